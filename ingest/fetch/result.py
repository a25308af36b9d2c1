"""What a fetch returns: a value that says what happened, never an exception."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class FetchOutcome(StrEnum):
    FETCHED = "fetched"  # a body of an accepted type was read
    UNCHANGED = "unchanged"  # 304 to a conditional request: the stored copy is current
    FAILED = "failed"  # see `error`
    DISALLOWED = "disallowed"  # robots.txt forbids it
    DEFERRED = "deferred"  # robots.txt could not be read (5xx, timeout): try later


class Validators(NamedTuple):
    """What the previous fetch of a URL returned, sent back as If-None-Match / If-Modified-Since."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class FetchResult:
    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    elapsed: float = 0.0
    error: str | None = None
    outcome: FetchOutcome = FetchOutcome.FETCHED
    attempts: int = 0
    received_bytes: int = 0  # bytes read from the wire, including a body abandoned at a limit

    @property
    def ok(self) -> bool:
        """True for FETCHED (a body) and UNCHANGED (no body: keep the stored copy)."""
        return self.error is None

    @property
    def unchanged(self) -> bool:
        return self.outcome is FetchOutcome.UNCHANGED

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"))

    def fail(self, outcome: FetchOutcome, reason: str) -> FetchResult:
        self.outcome = outcome
        self.error = reason
        self.body = b""
        return self
