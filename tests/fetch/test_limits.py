"""Limits: body size while streaming, decompression bombs, redirects, schemes and content types."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from dataclasses import replace

import brotli

from ingest.fetch import XML_TYPES, FetchOutcome
from tests.fetch.endpoints import QUICK, chunked, fetch

MB = 1024 * 1024
PAGE = "<html><body><p>أخبار اليوم</p></body></html>".encode()


def test_a_50_mb_body_is_abandoned_at_the_limit_and_memory_does_not_grow_with_it(server):
    url = server.handle("/huge", chunked(50 * MB))
    small_url = server.handle("/big", chunked(5 * MB))
    settings = replace(QUICK, max_body_bytes=2 * MB)

    fetch(small_url, settings)  # first use loads TLS certificates and codecs: not per-body memory
    peak_5 = _peak_memory(lambda: fetch(small_url, settings))
    peak_50 = _peak_memory(lambda: fetch(url, settings))
    result = fetch(url, settings)

    assert result.outcome is FetchOutcome.FAILED
    assert result.error == "body larger than 2 MiB (limit)"
    assert 2 * MB < result.received_bytes < 3 * MB
    print(f"tracemalloc peak: 50 MB body {peak_50 / MB:.1f} MiB, 5 MB body {peak_5 / MB:.1f} MiB")
    assert peak_50 < 2 * settings.max_body_bytes + MB
    assert peak_50 < peak_5 + MB


def test_a_declared_content_length_over_the_limit_is_refused_before_reading(server):
    url = server.add("/big", b"x" * (3 * MB))

    result = fetch(url, replace(QUICK, max_body_bytes=1 * MB))

    assert result.error == f"body larger than the limit: Content-Length {3 * MB} > {MB}"
    assert result.received_bytes == 0


def test_a_gzip_bomb_is_stopped_at_the_decompressed_limit_without_inflating_it(server):
    bomb = _gzip_zeros(200 * MB)
    url = server.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    settings = replace(QUICK, max_decoded_bytes=4 * MB)

    peak = _peak_memory(lambda: fetch(url, settings))
    result = fetch(url, settings)

    assert len(bomb) < MB
    assert result.outcome is FetchOutcome.FAILED
    assert result.error == "body decompresses to more than 4 MiB (limit)"
    print(f"gzip bomb ({len(bomb)} bytes -> 200 MiB): tracemalloc peak {peak / MB:.1f} MiB")
    assert peak < 3 * settings.max_decoded_bytes


def test_a_brotli_bomb_is_stopped_at_the_decompressed_limit(server):
    compressor = brotli.Compressor(quality=1)
    bomb = b"".join(compressor.process(b"\0" * MB) for _ in range(200)) + compressor.finish()
    url = server.add("/bomb", bomb, headers={"Content-Encoding": "br"})
    settings = replace(QUICK, max_decoded_bytes=4 * MB)

    peak = _peak_memory(lambda: fetch(url, settings))
    result = fetch(url, settings)

    assert result.error == "body decompresses to more than 4 MiB (limit)"
    assert peak < 3 * settings.max_decoded_bytes


def test_gzip_deflate_and_brotli_bodies_are_decoded(server):
    urls = [
        server.add("/gzip", gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}),
        server.add("/deflate", zlib.compress(PAGE), headers={"Content-Encoding": "deflate"}),
        server.add("/raw-deflate", _raw_deflate(PAGE), headers={"Content-Encoding": "deflate"}),
        server.add("/br", brotli.compress(PAGE), headers={"Content-Encoding": "br"}),
    ]

    results = [fetch(url) for url in urls]

    assert [r.body for r in results] == [PAGE] * 4
    assert "br" in server.requests_to("/br")[0].headers["Accept-Encoding"]


def test_a_corrupt_gzip_body_fails_with_the_reason(server):
    url = server.add("/broken", b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"})

    result = fetch(url)

    assert result.error.startswith("corrupt gzip body")


def test_an_unknown_content_encoding_is_refused(server):
    url = server.add("/zz", b"???", headers={"Content-Encoding": "compress"})

    assert fetch(url).error == "unsupported Content-Encoding 'compress'"


def test_a_png_served_as_text_html_is_not_taken_for_a_page(server):
    png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 200
    url = server.add("/photo", png, content_type="text/html")

    result = fetch(url)

    assert result.outcome is FetchOutcome.FAILED
    assert result.error == "not an HTML page: the body is a PNG image (served as text/html)"
    assert result.body == b""


def test_an_xhtml_page_is_fetched_as_an_article(server):
    url = server.add("/article.xhtml", PAGE, content_type="application/xhtml+xml; charset=utf-8")

    result = fetch(url)

    assert result.outcome is FetchOutcome.FETCHED and result.body == PAGE


def test_an_image_content_type_is_refused_for_an_article(server):
    url = server.add("/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")

    assert fetch(url).error == "not an HTML page (Content-Type: image/png)"


def test_feeds_ask_for_xml_and_accept_it(server):
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    url = server.add("/feed", rss, content_type="application/rss+xml")

    result = fetch(url, accept=XML_TYPES)

    assert result.outcome is FetchOutcome.FETCHED and result.body == rss
    assert server.requests_to("/feed")[0].headers["Accept"].startswith("application/rss+xml")


def test_a_gzipped_sitemap_asked_for_as_xml_is_fetched_as_it_is(server):
    sitemap = gzip.compress(b'<?xml version="1.0"?><urlset></urlset>')
    url = server.add("/sitemap.xml.gz", sitemap, content_type="application/x-gzip")

    result = fetch(url, accept=XML_TYPES)

    assert result.outcome is FetchOutcome.FETCHED and result.body == sitemap


def test_an_html_page_is_refused_where_xml_was_asked_for(server):
    url = server.add("/not-a-feed", PAGE)

    result = fetch(url, accept=XML_TYPES)

    assert result.error.startswith("not one of application/rss+xml")


def test_redirects_are_followed_to_the_final_url(server):
    final = server.add("/article/1", PAGE)
    start = server.add("/a/1", status=301, headers={"Location": "/article/1"})

    result = fetch(start)

    assert result.outcome is FetchOutcome.FETCHED
    assert (result.url, result.final_url, result.body) == (start, final, PAGE)


def test_a_redirect_loop_is_detected_and_named(server):
    server.add("/a", status=302, headers={"Location": "/b"})
    server.add("/b", status=302, headers={"Location": "/a"})

    result = fetch(server.url("/a"))

    assert result.error == f"redirect loop: {server.url('/a')} -> {server.url('/b')} -> {server.url('/a')}"
    assert len(server.requests_to("/a")) == 1


def test_a_redirect_chain_longer_than_the_limit_is_refused(server):
    for hop in range(10):
        server.add(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"})

    result = fetch(server.url("/hop0"), replace(QUICK, max_redirects=3))

    assert result.error == "too many redirects (more than 3)"
    assert len(server.requests_to("/hop4")) == 0


def test_a_redirect_to_another_scheme_is_refused(server):
    url = server.add("/away", status=302, headers={"Location": "ftp://files.example/x"})

    result = fetch(url)

    assert result.error == (
        "redirect to an unfetchable URL ftp://files.example/x: "
        "unsupported URL scheme 'ftp' (only http and https)"
    )


def test_a_non_http_url_is_refused_without_a_request(server):
    result = fetch("file:///etc/passwd")

    assert result.error == "unsupported URL scheme 'file' (only http and https)"
    assert server.requests == []


def test_the_default_user_agent_names_akhbar_and_a_contact_url(server):
    url = server.add("/page", PAGE)

    fetch(url)
    fetch(url, replace(QUICK, user_agent="my-archive/2.0 (+https://archive.example/contact)"))

    first, second = (r.headers["User-Agent"] for r in server.requests_to("/page"))
    assert first.startswith("akhbar/") and "+https://" in first
    assert second == "my-archive/2.0 (+https://archive.example/contact)"


def _peak_memory(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _gzip_zeros(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * MB
    return b"".join(packer.compress(zeros) for _ in range(size // MB)) + packer.flush()


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()
