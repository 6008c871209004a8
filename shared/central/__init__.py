"""The region: branches replicated into one central PostgreSQL (docs/central.md)."""
