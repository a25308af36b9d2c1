"""URL checks and canonical forms."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url

# WHATWG URL standard "forbidden host code points" that urlsplit leaves in the host part; any
# whitespace (NEL, no-break space) and control character is refused too.
_FORBIDDEN_IN_HOST = frozenset("<>\\^|")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched, or None when it is a well-formed http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"malformed URL ({exc})"
    if not parts.scheme:
        return "malformed URL (no scheme: begin it with http:// or https://)"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported URL scheme {parts.scheme!r} (only http and https)"
    if not parts.hostname:
        return "malformed URL (no host)"
    if any(
        ch in _FORBIDDEN_IN_HOST or ch.isspace() or unicodedata.category(ch) == "Cc" for ch in parts.netloc
    ):
        return f"malformed URL (invalid character in host {parts.netloc!r})"
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
    # The fragment goes first: whitespace before a '#' is trailing whitespace too.
    url = url.split("#", 1)[0].strip()
    try:
        parts = urlsplit(normalize_url(url, strict=False, trailing_slash=False))
    except ValueError:
        return url
    path = parts.path.rstrip("/") if len(parts.path) > 1 else parts.path
    return urlunsplit(parts._replace(netloc=_unicode_host(parts.netloc), path=path, fragment=""))


def _unicode_host(netloc: str) -> str:
    """Every punycode label of the host in Unicode ("xn--mgbh0fb" -> "مثال"): courlan decodes some
    labels and not others depending on the port and path, which gave one site three spellings."""
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.rpartition(":") if not hostport.endswith("]") else (hostport, "", "")
    if not colon or not port.isdigit():
        host, colon, port = hostport, "", ""
    if "xn--" not in host.lower():
        return netloc
    labels = [_unicode_label(label) for label in host.lower().split(".")]
    return f"{userinfo}{at}{'.'.join(labels)}{colon}{port}"


def _unicode_label(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        return label.encode("ascii").decode("idna")
    except UnicodeError:
        return label
