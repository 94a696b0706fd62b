"""The ledger domain: organizations, commitments, append-only ledger entries, pauses,
coordination mandates, sources and exchange rates, with the services that write them
and the selectors that read figures from them."""
