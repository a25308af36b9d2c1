"""Crawl tests: the fake news site on 127.0.0.1, a real SQLite file, and PostgreSQL for the frontier."""

from __future__ import annotations

# The store fixtures (SQLite and PostgreSQL, a fresh schema per test) serve the frontier tests too.
from tests.store.conftest import postgres_url, postgres_user, store, store_url  # noqa: F401
