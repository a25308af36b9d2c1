"""Hostile-input tests share the store tests' PostgreSQL fixture (it skips when the server is absent)."""

from tests.store.conftest import postgres_user  # noqa: F401
