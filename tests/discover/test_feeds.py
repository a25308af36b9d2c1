"""RSS and Atom feeds -> candidate URLs with the titles and dates the feed gives."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.discover import parse_feed
from ingest.sources import Source

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://alofoq.example/2026/01/01/laughs-1/</link></item>
</channel></rss>"""


def rss(items: str) -> bytes:
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{items}</channel></rss>".encode()


def test_rss_items_become_candidates_with_title_and_date(site, get):
    listed = parse_feed(get("/rss.xml"), site.base + "/rss.xml")

    assert listed.error is None
    assert len(listed.candidates) == 30
    newest = site.article(site.article_count)
    first = listed.candidates[0]
    assert first.url == site.article_url(site.article_count)
    assert first.via == "feed"
    assert first.title == newest.title
    assert first.published == newest.published.replace(second=0, microsecond=0)
    assert first.published.tzinfo is not None


def test_atom_entries_carry_published_and_updated_dates(site, get):
    site.edit_article(site.article_count, at=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))

    listed = parse_feed(get("/atom.xml"), site.base + "/atom.xml")

    edited = listed.candidates[0]
    assert edited.url == site.article_url(site.article_count)
    assert edited.modified == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert edited.published < edited.modified
    assert {c.url for c in listed.candidates} <= set(site.article_urls())


def test_relative_links_resolve_against_the_feed_and_non_web_links_are_dropped():
    body = rss(
        "<item><title>أ</title><link>/politics/2026/01/01/a-1/</link></item>"
        "<item><title>ب</title><link>javascript:alert(1)</link></item>"
        "<item><title>ج</title><link>mailto:desk@alofoq.example</link></item>"
    )

    listed = parse_feed(body, "https://alofoq.example/feeds/rss.xml")

    assert [c.url for c in listed.candidates] == ["https://alofoq.example/politics/2026/01/01/a-1/"]


def test_a_feedburner_original_link_is_preferred_to_the_proxy_link():
    body = (
        b'<?xml version="1.0"?><rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">'
        b"<channel><title>t</title><item><title>x</title>"
        b"<link>https://feedproxy.example/~r/alofoq/~3/abc/</link>"
        b"<feedburner:origLink>https://alofoq.example/2026/01/01/story-9/</feedburner:origLink>"
        b"</item></channel></rss>"
    )

    listed = parse_feed(body, "https://feeds.example/alofoq")

    assert [c.url for c in listed.candidates] == ["https://alofoq.example/2026/01/01/story-9/"]


def test_with_a_source_only_its_own_permitted_urls_are_kept():
    body = rss(
        "<item><link>https://alofoq.example/2026/01/01/a-1/</link></item>"
        "<item><link>https://alofoq.example/tag/sport/</link></item>"
        "<item><link>https://partner.example/2026/01/01/b-2/</link></item>"
    )
    source = Source(name="a", base_url="https://alofoq.example/", deny=("/tag/",))

    listed = parse_feed(body, "https://alofoq.example/rss.xml", source)

    assert [c.url for c in listed.candidates] == ["https://alofoq.example/2026/01/01/a-1/"]


def test_an_undated_item_has_no_date_rather_than_a_guess():
    listed = parse_feed(
        rss("<item><link>https://a.example/x-1</link><pubDate>الخميس</pubDate></item>"),
        "https://a.example/rss",
    )

    assert listed.candidates[0].published is None


def test_a_billion_laughs_feed_is_refused_without_expansion():
    listed = parse_feed(BILLION_LAUGHS, "https://alofoq.example/rss.xml")

    assert listed.candidates == ()
    assert "unsafe XML refused" in listed.error


def test_an_external_entity_feed_is_refused_and_the_file_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title>'
        "<item><title>&xxe;</title><link>https://alofoq.example/2026/01/01/x-1/</link></item>"
        "</channel></rss>"
    ).encode()

    listed = parse_feed(body, "https://alofoq.example/rss.xml")

    assert "unsafe XML refused" in listed.error
    assert not any("TOP-SECRET" in (c.title or "") for c in listed.candidates)


def test_an_html_page_is_not_a_feed(site, get):
    listed = parse_feed(get("/"), site.base + "/")

    assert listed.candidates == ()
    assert listed.error.startswith("not a feed")
