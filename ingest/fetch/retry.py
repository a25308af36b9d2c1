"""When to try again, and how long to wait: exponential backoff with jitter, or Retry-After."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# 501 Not Implemented and 505 HTTP Version Not Supported will not change on a retry.
_PERMANENT_5XX = frozenset({501, 505})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4  # tries per request, the first included
    backoff: float = 1.0  # wait before the second try; doubles each time
    max_backoff: float = 60.0
    jitter: float = 0.5  # each wait is shortened by a random share up to this, to spread retries


def retryable_status(status: int) -> bool:
    return status == 429 or (500 <= status < 600 and status not in _PERMANENT_5XX)


def backoff_delay(
    policy: RetryPolicy, failed_attempts: int, rng: Callable[[], float] = random.random
) -> float:
    """The wait after `failed_attempts` consecutive failures (1 for the first)."""
    delay = min(policy.max_backoff, policy.backoff * 2 ** (failed_attempts - 1))
    return delay * (1.0 - policy.jitter * rng())


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date; None when absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
