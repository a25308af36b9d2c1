"""Saving articles: revisions, URL variants, exact and near duplicates, raw pages (both backends)."""

from __future__ import annotations

import zstandard
from sqlalchemy import func, select

from store.articles import (
    NEAR_DUP_PER_BAND,
    SaveOutcome,
    find_article,
    near_duplicates_of,
    revisions_of,
    save_article,
    urls_of,
)
from store.captures import body_of
from store.schema import ArticleRow, BlobRow, CaptureRow
from tests.store.conftest import HOSPITAL_STORY, LIBRARY_STORY, WEATHER_STORY, Page, when


def save(store, page: Page, day: int = 1, fetched_url: str | None = None):
    with store() as session:
        outcome, row = save_article(session, page.article(), fetched_url or page.url, page.raw(when(day)))
        return outcome, row.id


def count(store, model) -> int:
    with store() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_new_article_is_stored_with_its_first_revision(store):
    outcome, article_id = save(store, Page("https://alkarak.example/news/1", HOSPITAL_STORY, "مستشفى جديد"))

    assert outcome is SaveOutcome.STORED
    with store() as session:
        history = revisions_of(session, article_id)
        assert [(r.number, r.title, r.text) for r in history] == [(1, "مستشفى جديد", HOSPITAL_STORY)]


def test_an_unchanged_refetch_only_moves_last_fetched(store):
    page = Page("https://alkarak.example/news/1", HOSPITAL_STORY)
    _, article_id = save(store, page, day=1)

    outcome, _ = save(store, page, day=5)

    assert outcome is SaveOutcome.UNCHANGED
    with store() as session:
        row = session.get(ArticleRow, article_id)
        assert row.first_seen.day == 1 and row.last_fetched.day == 5
        assert len(revisions_of(session, article_id)) == 1


def test_changed_text_makes_a_new_revision_and_keeps_the_old_one(store):
    page = Page("https://alkarak.example/news/1", HOSPITAL_STORY, "مستشفى جديد")
    _, article_id = save(store, page, day=1)
    page.text = HOSPITAL_STORY.replace("مئتي سرير", "مئتين وخمسين سريرا")

    outcome, _ = save(store, page, day=2)

    assert outcome is SaveOutcome.UPDATED
    with store() as session:
        history = revisions_of(session, article_id)
        assert [r.number for r in history] == [1, 2]
        assert "مئتي سرير" in history[0].text and "مئتين وخمسين سريرا" in history[1].text
        assert session.get(ArticleRow, article_id).text == page.text


def test_a_changed_title_alone_makes_a_new_revision(store):
    page = Page("https://alkarak.example/news/1", HOSPITAL_STORY, "مستشفى جديد")
    _, article_id = save(store, page)
    page.title = "افتتاح مستشفى الكرك الجديد"

    assert save(store, page, day=2)[0] is SaveOutcome.UPDATED
    with store() as session:
        assert [r.title for r in revisions_of(session, article_id)] == ["مستشفى جديد", page.title]


def test_new_metadata_without_new_text_updates_the_article_but_makes_no_revision(store):
    page = Page("https://alkarak.example/news/1", HOSPITAL_STORY)
    _, article_id = save(store, page)
    page.tags = ["صحة", "الكرك"]

    assert save(store, page, day=2)[0] is SaveOutcome.UPDATED
    with store() as session:
        assert session.get(ArticleRow, article_id).tags == ["صحة", "الكرك"]
        assert len(revisions_of(session, article_id)) == 1


def test_url_variants_are_one_article_that_remembers_every_url(store):
    base = "https://alkarak.example/news/1"
    _, article_id = save(store, Page(base, HOSPITAL_STORY))
    for variant in (
        "HTTPS://AlKarak.example:443/news/1/?utm_source=facebook&fbclid=abc",
        "https://alkarak.example/news/1#comments",
        "https://alkarak.example/news/1?gclid=xyz",
    ):
        assert save(store, Page(variant, HOSPITAL_STORY), day=2)[0] is SaveOutcome.UNCHANGED

    assert count(store, ArticleRow) == 1
    with store() as session:
        assert urls_of(session, article_id) == [base]
        assert find_article(session, "https://alkarak.example/news/1/?utm_medium=x").id == article_id


def test_an_amp_page_declaring_its_canonical_joins_the_article(store):
    canonical = "https://alkarak.example/news/1"
    _, article_id = save(store, Page(canonical, HOSPITAL_STORY))

    amp = Page("https://alkarak.example/amp/news/1", HOSPITAL_STORY, canonical=canonical)
    save(store, amp, day=2)

    assert count(store, ArticleRow) == 1
    with store() as session:
        assert urls_of(session, article_id) == ["https://alkarak.example/amp/news/1", canonical]


def test_the_same_text_at_another_url_of_the_same_site_is_the_same_article(store):
    _, article_id = save(store, Page("https://alkarak.example/news/1", HOSPITAL_STORY))
    # The same story under a second path, spelt with diacritics and different spacing.
    reprint = HOSPITAL_STORY.replace("المستشفى", "المُسْتَشْفَى").replace(" إن ", "  إن  ")

    outcome, same_id = save(store, Page("https://alkarak.example/health/99", reprint))

    assert outcome is SaveOutcome.UNCHANGED and same_id == article_id
    with store() as session:
        assert "https://alkarak.example/health/99" in urls_of(session, article_id)


def test_a_copy_on_another_site_is_kept_and_linked_as_a_near_duplicate(store):
    _, first = save(store, Page("https://alkarak.example/news/1", HOSPITAL_STORY))

    outcome, copy = save(store, Page("https://agency.example/wire/77", HOSPITAL_STORY))

    assert outcome is SaveOutcome.STORED and copy != first
    with store() as session:
        assert [row.id for row in near_duplicates_of(session, session.get(ArticleRow, copy))] == [first]


def test_a_lightly_edited_syndicated_story_joins_the_cluster(store):
    _, original = save(store, Page("https://agency.example/wire/77", HOSPITAL_STORY))
    edited = "الكرك - خاص\n" + HOSPITAL_STORY.replace("ثلاث سنوات", "ثلاثة أعوام") + "\nللمزيد تابعونا."

    _, copy = save(store, Page("https://alkarak.example/news/1", edited))
    _, third = save(store, Page("https://irbid.example/3", HOSPITAL_STORY + "\nالمصدر: وكالات."))

    with store() as session:
        assert [r.id for r in near_duplicates_of(session, session.get(ArticleRow, original))] == [copy, third]
        assert [r.id for r in near_duplicates_of(session, session.get(ArticleRow, third))] == [original, copy]


def test_a_story_copied_by_more_sites_than_are_read_per_band_still_joins_the_first_copy(store):
    # Every copy shares every band: past NEAR_DUP_PER_BAND copies, only the newest holders of each
    # band are read, and they all lead back to the first copy's cluster.
    copies = [
        save(store, Page(f"https://site{n}.example/wire/77", HOSPITAL_STORY))[1]
        for n in range(NEAR_DUP_PER_BAND + 8)
    ]

    with store() as session:
        clusters = {session.get(ArticleRow, copy).cluster_id for copy in copies[1:]}
        assert clusters == {copies[0]}


def test_different_stories_are_not_clustered(store):
    ids = [
        save(store, Page(f"https://alkarak.example/news/{i}", text))[1]
        for i, text in enumerate((HOSPITAL_STORY, LIBRARY_STORY, WEATHER_STORY))
    ]

    with store() as session:
        assert all(near_duplicates_of(session, session.get(ArticleRow, i)) == [] for i in ids)


def test_raw_bytes_are_kept_compressed_and_come_back_exactly(store):
    body = ("<html><body>" + "<p>" + HOSPITAL_STORY + "</p>" * 3 + "</body></html>").encode("cp1256")
    page = Page("https://alkarak.example/news/1", HOSPITAL_STORY, body=body)
    _, article_id = save(store, page)

    with store() as session:
        capture = session.scalar(select(CaptureRow).where(CaptureRow.article_id == article_id))
        blob = session.get(BlobRow, capture.body_sha256)
        assert body_of(session, capture) == body
        assert zstandard.ZstdDecompressor().decompress(blob.zstd) == body
        assert len(blob.zstd) < len(body)


def test_every_fetch_is_a_capture_but_an_identical_body_is_stored_once(store):
    page = Page("https://alkarak.example/news/1", HOSPITAL_STORY)
    for day in (1, 2, 3):
        save(store, page, day=day)

    assert count(store, CaptureRow) == 3
    assert count(store, BlobRow) == 1
