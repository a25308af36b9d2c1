"""akhbar ingest: everything from a URL to a clean Arabic article."""

__version__ = "0.1.0"
