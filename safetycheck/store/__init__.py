"""Storage adapter: SQLAlchemy 2.0 records, the unit of work and Alembic migrations."""
