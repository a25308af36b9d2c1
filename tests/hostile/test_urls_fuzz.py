"""URL checks and canonical forms hold for any string a page or a user can produce."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from ingest.robots import origin_of
from ingest.urls import canonical_url, url_problem
from tests.hostile.seeds import FUZZ, bounded, mutated_url

SCHEMES = st.sampled_from(
    ["http", "https", "HTTP", "HtTpS", "file", "ftp", "javascript", "data", "gopher", "mailto", "", "http "]
)
HOSTS = st.one_of(
    st.sampled_from(
        [
            "alofoq.example",
            "WWW.AlOfoq.Example",
            "أخبار.مصر",
            "xn--mgbh0fb.xn--wgbh1c",
            "127.0.0.1",
            "[::1]",
            "[::ffff:10.0.0.1]",
            "[fe80::1%25eth0]",
            "2130706433",
            "user:pass@alofoq.example",
            "a" * 300 + ".example",
            "",
            "[",
            "]",
            "alofoq.example.",
        ]
    ),
    st.text(max_size=30),
)
PORTS = st.one_of(st.just(""), st.sampled_from([":80", ":443", ":0", ":65535", ":65536", ":-1", ":x", ":"]))
PATH_PIECES = st.sampled_from(
    [
        "",
        "/",
        "//",
        "/news/",
        "/2026/01/05/",
        "/أخبار-محلية/",
        "%D8%A3",
        "%",
        "%zz",
        "/../..",
        "/./",
        "\\",
        " ",
    ]
)
QUERY_PIECES = st.sampled_from(
    ["", "?", "?id=42", "?utm_source=fb&articleid=7", "?fbclid=x", "?b=2&a=1", "?q=غزة", "?a=%FF", "??"]
)
FRAGMENTS = st.sampled_from(["", "#", "#comments", "#:~:text=غزة"])


@st.composite
def urls(draw: st.DrawFn) -> str:
    path = "".join(draw(st.lists(PATH_PIECES, max_size=4)))
    return f"{draw(SCHEMES)}://{draw(HOSTS)}{draw(PORTS)}{path}{draw(QUERY_PIECES)}{draw(FRAGMENTS)}" + draw(
        st.text(max_size=10)
    )


ANY_URL = st.one_of(urls(), st.text(max_size=200))


@FUZZ
@given(ANY_URL)
def test_url_problem_answers_none_only_for_http_urls_with_a_host(url):
    problem = url_problem(url)

    if problem is None:
        parts = urlsplit(url)
        assert parts.scheme.lower() in ("http", "https")
        assert parts.hostname
    else:
        assert isinstance(problem, str) and problem


@FUZZ
@given(ANY_URL)
def test_canonical_url_accepts_any_string(url):
    assert isinstance(canonical_url(url), str)


@FUZZ
@given(urls().filter(lambda u: url_problem(u) is None))
def test_canonicalising_a_fetchable_url_keeps_it_fetchable_and_is_stable(url):
    once = canonical_url(url)

    assert url_problem(once) is None, once
    assert canonical_url(once) == once


@FUZZ
@given(urls().filter(lambda u: url_problem(u) is None))
def test_the_origin_of_a_fetchable_url_is_well_formed(url):
    origin = origin_of(url)

    assert origin.startswith(("http://", "https://"))
    assert url_problem(origin + "/robots.txt") is None


@FUZZ
@given(mutated_url())
def test_damaged_links_from_real_pages_are_judged_and_canonicalised(url):
    problem = bounded(url_problem, url)
    once = bounded(canonical_url, url)

    assert isinstance(once, str)
    if problem is None:
        assert url_problem(once) is None, once
        assert canonical_url(once) == once


# Found by the properties above, kept as plain examples.


def test_whitespace_before_a_fragment_is_not_part_of_the_canonical_url():
    assert canonical_url("https://alofoq.example/2026/01/05/story/ #comments") == (
        "https://alofoq.example/2026/01/05/story"
    )


def test_a_host_with_a_space_in_it_is_malformed():
    assert url_problem("http://alofoq.example ?id=1") == (
        "malformed URL (invalid character in host 'alofoq.example ')"
    )


def test_punycode_hosts_have_one_canonical_spelling_whatever_the_port_and_path():
    spellings = {
        "http://xn--mgbh0fb.xn--wgbh1c:80",
        "http://xn--mgbh0fb.xn--wgbh1c/",
        "http://مثال.xn--wgbh1c",
        "http://XN--MGBH0FB.مصر",
    }

    assert {canonical_url(url).rstrip("/") for url in spellings} == {"http://مثال.مصر"}


def test_a_host_of_unicode_whitespace_or_control_characters_is_malformed():
    for host in ("\x85", "\u2028", "a.example\xa0", "a.example\x9f"):
        assert url_problem(f"http://{host}/x").startswith("malformed URL (invalid character in host")
