"""The SQLAlchemy store: typed models, engines (SQLite / PostgreSQL), migrations and roles."""
