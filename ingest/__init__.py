"""Ingest: workers that feed the ledger from published data (IATI, OCHA FTS, CSV)."""
