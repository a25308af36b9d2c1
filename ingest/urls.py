"""URL checks and canonical forms."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url


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


def canonical_url(url: str) -> str:
    """One spelling per page, for dedup: lower-case scheme and host, no default port, no tracking
    parameters (utm_*, fbclid, gclid, ...), sorted query, no trailing slash, no fragment.

    courlan's non-strict mode does the work; its strict mode is avoided because it drops every
    parameter it does not know, and news sites identify articles by parameters like `articleid`.
    A URL that cannot be parsed is returned stripped of its fragment, unchanged otherwise.
    """
    try:
        parts = urlsplit(normalize_url(url.strip(), strict=False, trailing_slash=False))
    except ValueError:
        return url.strip().split("#", 1)[0]
    path = parts.path.rstrip("/") if len(parts.path) > 1 else parts.path
    return urlunsplit(parts._replace(path=path, fragment=""))
