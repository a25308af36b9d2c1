"""--block-private: no request reaches a host that resolves to a non-public address."""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import replace
from urllib.parse import urlsplit

import httpx
import pytest

from ingest.fetch import Fetcher, FetchOutcome, FetchSettings
from ingest.fetch.addresses import PublicOnlyTransport, non_public_reason, private_host_problem
from tests.fakesite import FakeNewsSite
from tests.fetch.endpoints import QUICK, fetch
from tests.store.conftest import postgres_url, postgres_user  # noqa: F401
from tests.workers.conftest import workers  # noqa: F401

BLOCKING = replace(QUICK, block_private=True)
PAGE = "<html><body><p>خبر عاجل من العاصمة</p></body></html>".encode()


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.20.30.40", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoints live here
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "reserved"),  # carrier-grade NAT: not private, not public either
        ("::ffff:192.168.0.1", "private"),  # an IPv4 address in IPv6 clothing
        ("2002:c0a8:0101::1", "private"),  # 6to4 wrapping 192.168.1.1
    ],
)
def test_non_public_addresses_are_named_by_their_kind(address, reason):
    assert non_public_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert non_public_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/news/1",
        "http://2130706433/news/1",  # 127.0.0.1 as one decimal number: only the resolver knows
        "http://0x7f000001/news/1",
        "http://[::1]/news/1",
        "http://127.1/news/1",
    ],
)
def test_hosts_are_judged_by_what_they_resolve_to_not_how_they_are_spelt(url):
    problem = asyncio.run(private_host_problem(url))

    assert problem is not None
    assert "resolves to loopback address" in problem


def test_a_host_that_does_not_resolve_is_refused():
    problem = asyncio.run(private_host_problem("http://no-such-host.invalid/x"))

    assert problem is not None
    assert problem.startswith("cannot resolve no-such-host.invalid")


def test_a_loopback_url_is_refused_without_any_request_when_blocking(server):
    url = server.add("/2026/01/05/story/", PAGE)

    result = fetch(url, BLOCKING)

    assert result.outcome is FetchOutcome.FAILED
    assert result.error == "refused: 127.0.0.1 resolves to loopback address 127.0.0.1 (--block-private)"
    assert server.requests == []  # not even robots.txt


def test_the_same_loopback_url_is_fetched_with_the_option_off(server):
    url = server.add("/2026/01/05/story/", PAGE)

    assert fetch(url).body == PAGE


def test_a_redirect_from_a_public_host_to_a_private_one_is_refused(server):
    """The public first hop is served in-process (no traffic leaves the machine); its redirect points
    at the loopback server, which must never see a request."""
    secret = server.add("/admin/", "<p>internal</p>")

    def public_site(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": secret})

    async def run():
        async with Fetcher(BLOCKING, transport=httpx.MockTransport(public_site)) as fetcher:
            return await fetcher.fetch("http://93.184.216.34/2026/01/05/story/")

    result = asyncio.run(run())

    assert result.error == "refused: 127.0.0.1 resolves to loopback address 127.0.0.1 (--block-private)"
    assert result.final_url == secret
    assert server.requests == []


def answers(*addresses: str):
    """A resolver for tests: each lookup of any name gets the next answer, the last one repeated
    (a DNS server with a time-to-live of zero can change its answer between two lookups)."""
    queue = [[ipaddress.ip_address(a)] for a in addresses]
    asked: list[str] = []

    async def resolve(host: str) -> list:
        asked.append(host)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    resolve.asked = asked
    return resolve


def test_a_host_rebound_to_loopback_after_the_check_is_refused_at_connect(server):
    """DNS rebinding: the check per URL is told a public address, the connection would be told
    127.0.0.1. The connection resolves once, checks that answer and refuses it."""
    url = server.add("/2026/01/05/story/", PAGE).replace("127.0.0.1", "rebind.test")
    resolve = answers("93.184.216.34", "127.0.0.1")

    async def run():
        async with Fetcher(replace(BLOCKING, obey_robots=False), resolve=resolve) as fetcher:
            return await fetcher.fetch(url)

    result = asyncio.run(run())

    assert result.error == "refused: rebind.test resolves to loopback address 127.0.0.1 (--block-private)"
    assert result.attempts == 1  # a refusal is final, not retried
    assert resolve.asked == ["rebind.test", "rebind.test"]
    assert server.requests == []


def test_a_connection_goes_to_the_checked_address_with_the_host_name_kept(server):
    url = server.add("/2026/01/05/story/", PAGE).replace("127.0.0.1", "news.test")
    everything_allowed = PublicOnlyTransport(
        verify=httpx.create_ssl_context(),
        limits=httpx.Limits(),
        resolve=answers("127.0.0.1"),
        judge=lambda address: None,
    )

    async def run():
        async with httpx.AsyncClient(transport=everything_allowed) as client:
            return await client.get(url)

    response = asyncio.run(run())

    assert response.content == PAGE
    [request] = server.requests
    assert request.headers["Host"] == urlsplit(url).netloc


def test_scrape_block_private_refuses_a_loopback_url(server, akhbar, db_url):
    url = server.add("/2026/01/05/story/", PAGE)

    result = akhbar("--db", db_url, "scrape", "--block-private", url)

    assert result.code == 1
    assert f"failed     {url}  refused: 127.0.0.1 resolves to loopback address" in result.stderr
    assert server.requests == []


def test_the_settings_default_is_off():
    assert FetchSettings().block_private is False


def test_sources_add_block_private_refuses_a_loopback_site(server, akhbar, tmp_path):
    site = FakeNewsSite(articles=5).mount(server)

    result = akhbar("sources", "add", "--block-private", site.base + "/")

    assert result.code != 0
    assert "resolves to loopback address 127.0.0.1 (--block-private)" in result.stderr
    assert not (tmp_path / "config" / "akhbar" / "sources.toml").exists()
    assert server.requests == []


@pytest.mark.postgres
def test_worker_block_private_refuses_queued_loopback_urls(server, workers):  # noqa: F811
    site = FakeNewsSite(articles=5).mount(server)
    workers.sources.write_text(site.sources_toml(), encoding="utf-8")
    assert workers.run("crawl", "--discover-only").returncode == 0  # queued with the option off
    listed = len(server.requests)

    done = workers.run("worker", "--block-private", "--exit-when-idle", "--poll", "0.2")

    assert done.returncode == 1, done.stderr
    assert "0 stored" in done.stdout
    assert "(--block-private)" in done.stderr
    assert server.requests[listed:] == []
    assert workers.query("SELECT count(*) FROM articles") == [(0,)]
