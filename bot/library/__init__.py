"""Colloquy's library: SQLAlchemy models, sessions, migrations and the library service."""
