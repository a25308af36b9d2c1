"""robots.txt as a hostile site writes it: the rules always answer, delays stay usable numbers."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from hypothesis import assume, given
from hypothesis import strategies as st

from ingest.discover import robots_sitemaps
from ingest.fetch import FetchOutcome
from ingest.robots import RobotsRules, agent_token, robots_record
from ingest.urls import url_problem
from tests.fetch.endpoints import QUICK, fetch
from tests.hostile.seeds import FUZZ, bounded, mutated, own_documents

NOW = datetime(2026, 1, 5, tzinfo=UTC)
LINES = st.sampled_from(
    [
        "User-agent: *",
        "User-agent: akhbar",
        "User-agent: " + "a" * 5000,
        "Disallow: /",
        "Disallow: /أخبار/",
        "Disallow: /*?*",
        "Disallow: " + "*" * 3000,
        "Allow: /$",
        "Allow: /%D8%A3",
        "Allow: /%",
        "Crawl-delay: 5",
        "Crawl-delay: -5",
        "Crawl-delay: nan",
        "Crawl-delay: inf",
        "Crawl-delay: 1e400",
        "Crawl-delay: ٥",
        "Crawl-delay: 0x10",
        "Request-rate: 1/0",
        "Request-rate: 0/0s",
        "Sitemap: file:///etc/passwd",
        "Sitemap: /sitemap.xml",
        "\x00",
        "\ufeffUser-agent: *",
        "#" * 100,
    ]
)
ROBOTS = st.one_of(
    st.lists(LINES, max_size=12).map("\n".join),
    st.text(max_size=400),
    mutated([own_documents()["robots.txt"]]).map(lambda b: b.decode("utf-8", "replace")),
)
PATHS = st.one_of(
    st.sampled_from(["/", "/أخبار/1", "/a?b=1", "/%", "/%D8", "//x", "/" + "a" * 5000]), st.text(max_size=40)
)


@FUZZ
@given(body=ROBOTS, path=PATHS, agent=st.sampled_from(["akhbar", "*", "", "Mozilla/5.0", "أخبار"]))
def test_any_robots_txt_answers_every_url_and_gives_a_usable_delay(body, path, agent):
    url = "https://alofoq.example" + path
    assume(url_problem(url) is None)  # the fetcher consults robots.txt only for fetchable URLs
    rules = RobotsRules(robots_record("https://alofoq.example", 200, body, NOW, ttl=60, retry_ttl=60))

    assert bounded(rules.allows, url, agent) in (True, False)
    delay = rules.crawl_delay(agent)
    assert delay is None or (isinstance(delay, float) and not math.isnan(delay))


@FUZZ
@given(st.text(max_size=200))
def test_any_user_agent_string_has_a_product_token(user_agent):
    assert isinstance(agent_token(user_agent), str)


def test_a_byte_order_mark_does_not_void_the_first_group():
    body = "\ufeffUser-agent: *\nDisallow: /private/\n"
    rules = RobotsRules(robots_record("https://alofoq.example", 200, body, NOW, ttl=60, retry_ttl=60))

    assert not rules.allows("https://alofoq.example/private/x", "akhbar")


def test_a_byte_order_mark_does_not_hide_a_sitemap_line():
    body = "\ufeffSitemap: https://alofoq.example/sitemap.xml\n".encode()

    assert robots_sitemaps(body, "https://alofoq.example/robots.txt") == [
        "https://alofoq.example/sitemap.xml"
    ]


def test_a_nan_crawl_delay_does_not_reach_the_fetcher():
    rules = RobotsRules(
        robots_record(
            "https://alofoq.example", 200, "User-agent: *\nCrawl-delay: nan", NOW, ttl=60, retry_ttl=60
        )
    )

    delay = rules.crawl_delay("akhbar")

    assert delay is None or not math.isnan(delay)


def test_a_hostile_robots_txt_over_the_wire_leaves_the_page_fetchable(server):
    robots = (
        b"\xef\xbb\xbfUser-agent: *\nCrawl-delay: nan\nDisallow: /private/\n\x00\xff\xfe\n"
        + b"Allow: /" + b"\xd8\xa3" * 200_000 + b"\n"
        + b"Sitemap: file:///etc/passwd\n"
    )  # fmt: skip
    server.add("/robots.txt", robots, content_type="text/plain")
    url = server.add("/2026/01/05/story/", "<p>خبر</p>")
    hidden = server.add("/private/x/", "<p>سر</p>")

    page = bounded(fetch, url, QUICK)
    refused = bounded(fetch, hidden, QUICK)

    assert page.ok
    assert refused.outcome is FetchOutcome.DISALLOWED


def test_a_robots_txt_of_10_mb_is_cut_at_the_limit_and_the_site_stays_reachable(server):
    robots = b"User-agent: *\nDisallow: /private/\n" + b"# " + b"x" * (10 * 1024 * 1024) + b"\n"
    server.add("/robots.txt", robots, content_type="text/plain")
    url = server.add("/2026/01/05/story/", "<p>خبر</p>")

    result = bounded(fetch, url, QUICK)

    assert result.outcome in (FetchOutcome.FETCHED, FetchOutcome.DEFERRED)
    assert len(server.requests_to("/2026/01/05/story/")) == (1 if result.ok else 0)
