"""Retries: what is tried again, how long we wait, and when we give up — against a real server."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from ingest.fetch import FetchOutcome, RetryPolicy
from ingest.fetch.retry import backoff_delay, retry_after_seconds
from tests.fetch.endpoints import (
    QUICK,
    Unaccepting,
    dribble,
    fetch,
    reply,
    reset_mid_body,
    sequence,
    slow,
)

PAGE = "<html><body><p>خبر</p></body></html>".encode()


def ok(request):
    reply(request, 200, PAGE)


def test_a_response_slower_than_the_read_timeout_fails_as_timed_out_after_every_attempt(server):
    url = server.handle("/slow", slow(2.0))

    result = fetch(url)

    assert result.outcome is FetchOutcome.FAILED
    assert result.error == "timed out waiting for the server (0.4 s) (after 3 attempts)"
    assert len(server.requests_to("/slow")) == 3


def test_a_body_that_trickles_forever_is_cut_by_the_time_limit_per_url(server):
    url = server.handle("/dribble", dribble)
    settings = replace(QUICK, total_timeout=1.0)

    result = fetch(url, settings)

    assert result.outcome is FetchOutcome.FAILED
    assert result.error == "gave up: 1 s limit per URL reached"
    assert result.elapsed < 5


def test_429_is_retried_after_the_seconds_in_retry_after(server):
    url = server.handle("/busy", sequence(lambda r: reply(r, 429, b"", {"Retry-After": "1"}), ok))

    result = fetch(url)

    assert result.outcome is FetchOutcome.FETCHED and result.body == PAGE
    first, second = server.requests_to("/busy")
    assert second.at - first.at >= 0.9  # Retry-After: 1, less the server's scheduling jitter


def test_retry_after_as_an_http_date_is_honoured(server):
    def busy_until_soon(request):
        # An HTTP-date has whole seconds: 3 s from now, cut to the second, is 2 to 3 s away.
        when = datetime.now(UTC) + timedelta(seconds=3)
        reply(request, 503, b"", {"Retry-After": format_datetime(when, usegmt=True)})

    url = server.handle("/busy", sequence(busy_until_soon, ok))

    result = fetch(url)

    assert result.outcome is FetchOutcome.FETCHED
    assert result.attempts == 2
    first, second = server.requests_to("/busy")
    assert second.at - first.at >= 1.5  # the backoff alone would wait at most 0.2 s


def test_a_retry_after_beyond_the_time_limit_fails_at_once_with_the_reason(server):
    url = server.handle("/busy", sequence(lambda r: reply(r, 429, b"", {"Retry-After": "3600"}), ok))

    result = fetch(url)

    assert result.outcome is FetchOutcome.FAILED
    assert result.status == 429
    assert "HTTP 429 Too Many Requests" in result.error
    assert "waiting 3600 s would exceed the 8 s limit per URL" in result.error
    assert len(server.requests_to("/busy")) == 1


def test_503_then_200_ends_fetched_on_the_second_attempt(server):
    url = server.handle("/flaky", sequence(lambda r: reply(r, 503), ok))

    result = fetch(url)

    assert result.outcome is FetchOutcome.FETCHED
    assert (result.status, result.attempts, result.body) == (200, 2, PAGE)


def test_a_server_that_stays_down_fails_with_the_last_status_and_the_attempt_count(server):
    url = server.handle("/down", lambda r: reply(r, 503))

    result = fetch(url)

    assert result.error == "HTTP 503 Service Unavailable (after 3 attempts)"
    assert result.status == 503
    assert len(server.requests_to("/down")) == 3


def test_other_4xx_are_not_retried(server):
    url = server.handle("/gone", lambda r: reply(r, 410))

    result = fetch(url)

    assert result.error == "HTTP 410 Gone"
    assert len(server.requests_to("/gone")) == 1


def test_a_connection_reset_mid_body_is_retried_then_reported(server):
    url = server.handle("/reset", reset_mid_body)

    result = fetch(url)

    assert result.outcome is FetchOutcome.FAILED
    reason = r"connection lost mid-body after \d+ of 100000 bytes \(after 3 attempts\)"
    assert re.fullmatch(reason, result.error)
    assert result.received_bytes < 100000
    assert result.body == b""


def test_a_connection_reset_once_is_survived_by_a_retry(server):
    url = server.handle("/reset", sequence(reset_mid_body, ok))

    result = fetch(url)

    assert result.outcome is FetchOutcome.FETCHED and result.body == PAGE


def test_a_closed_port_fails_as_cannot_connect(server):
    result = fetch("http://127.0.0.1:9/", replace(QUICK, obey_robots=False))

    assert result.outcome is FetchOutcome.FAILED
    assert result.error.startswith("cannot connect")


def test_a_server_that_never_accepts_the_connection_fails_as_connect_timed_out():
    with Unaccepting() as url:
        result = fetch(url, replace(QUICK, obey_robots=False, connect_timeout=0.3))

    assert result.outcome is FetchOutcome.FAILED
    assert result.error == "connect timed out (0.3 s) (after 3 attempts)"


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 11, 25, 9, 0, 0, tzinfo=UTC)

    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Wed, 25 Nov 2026 09:00:30 GMT", now) == 30
    assert retry_after_seconds("Wed, 25 Nov 2026 08:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_backoff_doubles_up_to_its_cap_and_jitter_only_shortens_it():
    policy = RetryPolicy(backoff=1.0, max_backoff=5.0, jitter=0.5)

    assert [backoff_delay(policy, n, rng=lambda: 0.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    assert backoff_delay(policy, 2, rng=lambda: 1.0) == 1.0
