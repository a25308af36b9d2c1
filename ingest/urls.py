"""URL checks and canonical forms."""

from __future__ import annotations

from urllib.parse import urlsplit


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched, or None when it is a well-formed http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"malformed URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported URL scheme {parts.scheme or 'none'!r} (only http and https)"
    if not parts.hostname:
        return "malformed URL (no host)"
    if port == 0:
        return "malformed URL (port 0)"
    return None
