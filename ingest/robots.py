"""robots.txt policy: what a fetched (or failed) robots.txt means for the URLs of its origin.

Parsing is Protego's; here is only the policy of RFC 9309: a 2xx body is obeyed, a 4xx (other
than 429) means no rules, and a 5xx, 429 or network failure means "do not crawl yet".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from protego import Protego

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 lets crawlers stop parsing after 500 KiB


@dataclass(frozen=True, slots=True)
class RobotsRecord:
    """One origin's robots.txt as fetched; `status` None means the fetch itself failed."""

    origin: str
    status: int | None
    body: str
    fetched_at: datetime
    expires_at: datetime

    @property
    def usable(self) -> bool:
        """Whether the record decides anything (False: robots.txt unavailable, try later)."""
        return self.status is not None and (
            200 <= self.status < 300 or (400 <= self.status < 500 and self.status != 429)
        )

    def fresh(self, now: datetime) -> bool:
        return now < self.expires_at


class RobotsCache(Protocol):
    """Where robots records outlive one run (the store); `get` may return an expired record."""

    def get(self, origin: str) -> RobotsRecord | None: ...

    def put(self, record: RobotsRecord) -> None: ...


class RobotsRules:
    def __init__(self, record: RobotsRecord) -> None:
        self.record = record
        body = record.body if record.status and 200 <= record.status < 300 else ""
        # A byte-order mark would glue itself to the first "User-agent" and void that group's rules.
        self._parser = Protego.parse(body.removeprefix("\ufeff"))

    def allows(self, url: str, agent: str) -> bool:
        return self._parser.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float | None:
        delay = self._parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(scheme)
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}{port}"


def robots_url(origin: str) -> str:
    return f"{origin}/robots.txt"


def robots_record(
    origin: str, status: int | None, body: str, now: datetime, *, ttl: float, retry_ttl: float
) -> RobotsRecord:
    """A record that expires after `ttl` s, or after `retry_ttl` s when robots.txt was unavailable."""
    record = RobotsRecord(origin, status, body, now, now)
    lifetime = ttl if record.usable else retry_ttl
    return RobotsRecord(origin, status, body, now, now + timedelta(seconds=lifetime))


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups match against: 'akhbar' in 'akhbar/0.1 (+...)'."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0] or user_agent
