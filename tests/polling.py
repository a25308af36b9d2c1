"""Waiting in tests for something another process or thread does."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest


def wait_for(condition: Callable[[], bool], what: str, limit: float = 60.0, every: float = 0.01) -> None:
    """Return as soon as `condition()` holds (checked every `every` seconds); fail the test after
    `limit` seconds."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(every)
