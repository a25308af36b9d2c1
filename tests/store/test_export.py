"""Exports: one JSONL/CSV row per article with the extract contract keys, WARC from the raw captures."""

from __future__ import annotations

import csv
import io
import json

from warcio.archiveiterator import ArchiveIterator

from ingest.article import CONTRACT_KEYS
from store import export
from store.articles import save_article
from store.export import EXPORT_KEYS, article_records, write_csv, write_jsonl, write_warc
from tests.store.conftest import HOSPITAL_STORY, LIBRARY_STORY, Page, when


def save(store, page: Page, day: int) -> int:
    with store() as session:
        return save_article(session, page.article(), page.url, page.raw(when(day)))[1].id


def jsonl_rows(store, **filters) -> list[dict]:
    out = io.StringIO()
    with store() as session:
        write_jsonl(article_records(session, **filters), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_jsonl_row_has_the_extract_keys_then_the_archive_fields(store):
    page = Page("https://alkarak.example/news/1", HOSPITAL_STORY, "افتتاح المستشفى", tags=["صحة"])
    article_id = save(store, page, day=1)
    save(store, Page("https://alkarak.example/news/1?utm_source=x", HOSPITAL_STORY, "افتتاح المستشفى"), day=2)
    page.text += "\nتحديث: بدأ استقبال المرضى."
    save(store, page, day=3)

    (row,) = jsonl_rows(store)

    assert list(row)[: len(CONTRACT_KEYS)] == list(CONTRACT_KEYS)
    assert set(row) == set(EXPORT_KEYS)
    assert row["id"] == article_id
    assert row["text"].endswith("بدأ استقبال المرضى.") and row["tags"] == ["صحة"]
    assert row["urls"] == ["https://alkarak.example/news/1"]
    assert row["revision_count"] == 2
    assert row["first_seen"].startswith("2024-03-01") and row["last_fetched"].startswith("2024-03-03")


def test_one_row_per_article_even_when_seen_under_many_urls(store):
    for path in ("news/1", "news/1/", "news/1?fbclid=a", "news/1#top"):
        save(store, Page(f"https://alkarak.example/{path}", HOSPITAL_STORY), day=1)
    save(store, Page("https://irbid.example/2", LIBRARY_STORY), day=1)

    assert len(jsonl_rows(store)) == 2


def test_since_and_site_select_articles(store):
    old = save(store, Page("https://alkarak.example/1", HOSPITAL_STORY), day=1)
    new = save(store, Page("https://irbid.example/2", LIBRARY_STORY), day=9)

    assert [r["id"] for r in jsonl_rows(store, since=when(5))] == [new]
    assert [r["id"] for r in jsonl_rows(store, site="alkarak.example")] == [old]


def test_rows_are_read_in_pages_and_each_article_comes_once(store, monkeypatch):
    monkeypatch.setattr(export, "PAGE_SIZE", 2)
    texts = [HOSPITAL_STORY, LIBRARY_STORY]
    ids = [
        save(store, Page(f"https://s{i}.example/{i}", texts[i % 2] + f" رقم {i}"), day=1) for i in range(5)
    ]

    assert [r["id"] for r in jsonl_rows(store)] == ids


def test_csv_has_a_header_and_json_lists(store):
    save(
        store,
        Page("https://alkarak.example/1", HOSPITAL_STORY, "افتتاح المستشفى", tags=["صحة", "الكرك"]),
        day=1,
    )
    out = io.StringIO()
    with store() as session:
        write_csv(article_records(session), out)

    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))

    assert list(row) == list(EXPORT_KEYS)
    assert row["title"] == "افتتاح المستشفى" and row["text"] == HOSPITAL_STORY
    assert json.loads(row["tags"]) == ["صحة", "الكرك"]


def test_warc_holds_a_request_and_a_response_per_fetched_page(store):
    body = "<html><body><p>نص الصفحة كما وصل</p></body></html>".encode("cp1256")
    page = Page("https://alkarak.example/news/1?id=5", HOSPITAL_STORY, body=body)
    save(store, page, day=1)
    save(store, page, day=2)
    out = io.BytesIO()
    with store() as session:
        written = write_warc(session, out)

    records, payloads = [], []
    for record in ArchiveIterator(io.BytesIO(out.getvalue())):
        records.append(record)
        payloads.append(record.content_stream().read())

    assert written == 2
    assert [r.rec_type for r in records] == ["request", "response"] * 2
    request, response = records[0], records[1]
    assert request.rec_headers.get_header("WARC-Target-URI") == page.url
    assert f"{request.http_headers.protocol} {request.http_headers.statusline}" == "GET /news/1?id=5 HTTP/1.1"
    assert request.http_headers.get_header("User-Agent") == "akhbar-test"
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers.get_header("Content-Encoding") is None  # the stored body is decoded
    assert payloads[1] == body
    assert response.rec_headers.get_header("WARC-Date") == "2024-03-01T12:00:00Z"
    assert request.rec_headers.get_header("WARC-Concurrent-To") == response.rec_headers.get_header(
        "WARC-Record-ID"
    )


def test_warc_selects_pages_by_fetch_date_and_site(store):
    save(store, Page("https://alkarak.example/1", HOSPITAL_STORY), day=1)
    save(store, Page("https://irbid.example/2", LIBRARY_STORY), day=9)
    with store() as session:
        assert write_warc(session, io.BytesIO(), since=when(5)) == 1
        assert write_warc(session, io.BytesIO(), site="alkarak.example") == 1
        assert write_warc(session, io.BytesIO(), site="nowhere.example") == 0
