"""The ingest app's writes: sources and their schedules, runs and their leases, and the
batches that go into the ledger through ``ledger.services``."""
