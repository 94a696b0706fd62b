"""Finding candidate ledger updates in news text (see ``base`` for the interface)."""
