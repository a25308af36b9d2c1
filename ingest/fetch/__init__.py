"""The one way akhbar talks to the web: polite, bounded HTTP that returns a FetchResult, never raises."""

from ingest.fetch.client import (
    HTML_TYPES,
    USER_AGENT,
    XML_TYPES,
    Fetcher,
    FetchSettings,
    Politeness,
    fetch_all,
)
from ingest.fetch.result import FetchOutcome, FetchResult, Validators
from ingest.fetch.retry import RetryPolicy

__all__ = [
    "HTML_TYPES",
    "USER_AGENT",
    "XML_TYPES",
    "FetchOutcome",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "Politeness",
    "RetryPolicy",
    "Validators",
    "fetch_all",
]
