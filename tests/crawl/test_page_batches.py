"""A crawl writes its pages a batch per transaction, each page a savepoint of its own."""

from __future__ import annotations

import asyncio
from functools import partial

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from ingest.crawl import PAGE_BATCH_WAIT, _Store
from ingest.fetch import FetchResult
from ingest.pipeline import process_fetched
from store.articles import find_article
from store.db import open_engine, session_factory
from store.fetchlog import recent_fetches

STORIES = [
    "افتتحت البلدية صباح اليوم حديقة عامة جديدة في الحي الشرقي بعد عامين من أعمال التأهيل والتشجير.",
    "أعلنت مديرية التربية بدء التسجيل للعام الدراسي المقبل في جميع المدارس الحكومية اعتبارا من الأحد.",
    "قالت دائرة الأرصاد الجوية إن موجة من الهواء البارد تؤثر على المملكة حتى نهاية الأسبوع الحالي.",
]


def page(number: int) -> FetchResult:
    paragraphs = [
        STORIES[number],
        f"وأضاف المتحدث أن التفاصيل الكاملة للخبر رقم {number} ستعلن خلال مؤتمر صحفي يعقد غدا.",
        f"ويأتي هذا الإعلان ضمن إجراءات اتخذتها الجهات المعنية خلال الشهر الحالي في المحافظة رقم {number}.",
    ]
    body = f"<html lang='ar'><body><article><h1>خبر رقم {number}</h1>"
    body += "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs) + "</article></body></html>"
    url = f"https://akhbar.example/news/{number}"
    headers = {"content-type": "text/html; charset=utf-8"}
    return FetchResult(url=url, final_url=url, status=200, headers=headers, body=body.encode())


def test_a_page_whose_write_fails_rolls_back_alone_and_the_rest_of_its_batch_is_stored(db_url):
    sessions = session_factory(open_engine(db_url))
    store = _Store(sessions)

    def failing_write(session):
        process_fetched(page(1), session)
        raise ValueError("a fault after the page was written")

    async def write_three():
        writes = [lambda session: process_fetched(page(0), session), failing_write]
        writes.append(lambda session: process_fetched(page(2), session))
        return await asyncio.gather(*(store.store_page(write) for write in writes), return_exceptions=True)

    try:
        first, second, third = asyncio.run(write_three())
    finally:
        store.close()

    assert (first.outcome, third.outcome) == ("stored", "stored")
    assert isinstance(second, ValueError)
    with sessions() as session:
        assert find_article(session, page(0).url) is not None
        assert find_article(session, page(1).url) is None  # its savepoint was rolled back
        assert find_article(session, page(2).url) is not None


def test_a_page_rolled_back_in_a_batch_leaves_no_edit_in_memory_for_the_pages_after_it(db_url):
    sessions = session_factory(open_engine(db_url))
    with sessions() as session:
        process_fetched(page(0), session)
    edited = page(0)
    edited.body = edited.body.replace("حديقة عامة جديدة".encode(), "مكتبة عامة جديدة".encode())
    store = _Store(sessions)

    held = []  # the corrected row, still referenced, so the session's identity map keeps it

    def edit_then_fail(session):
        assert process_fetched(edited, session).outcome == "updated"
        held.append(find_article(session, page(0).url))
        raise ValueError("a fault after the correction was written")

    def read_back(session):
        # The same session as the failed page: it is handed the row object the failed page held.
        return find_article(session, page(0).url).text

    try:
        # One batch, one session: written together whatever the writer thread's timing.
        failed, text_seen = store._write_batch([edit_then_fail, read_back])
    finally:
        store.close()

    assert isinstance(failed, ValueError)
    assert "حديقة عامة جديدة" in text_seen and "مكتبة" not in text_seen
    with sessions() as session:
        assert "حديقة عامة جديدة" in find_article(session, page(0).url).text


def test_pages_ready_within_the_batch_wait_of_each_other_share_one_commit(db_url):
    engine = open_engine(db_url)
    commits = []
    event.listen(engine, "commit", lambda connection: commits.append(connection))
    store = _Store(session_factory(engine))

    async def write_three_a_moment_apart():
        pending = []
        for number in range(3):
            write = partial(lambda session, number: process_fetched(page(number), session), number=number)
            pending.append(store.store_page(write))
            await asyncio.sleep(PAGE_BATCH_WAIT / 10)
        return await asyncio.gather(*pending)

    try:
        outcomes = asyncio.run(write_three_a_moment_apart())
    finally:
        store.close()

    assert [outcome.outcome for outcome in outcomes] == ["stored"] * 3
    assert len(commits) == 1


def test_the_fetches_of_a_batch_whose_transaction_fails_are_still_logged(db_url):
    sessions = session_factory(open_engine(db_url))
    store = _Store(sessions)

    def database_failure(session):
        process_fetched(page(0), session)
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    async def fetch_then_fail():
        store.log_fetch(page(0))
        return await asyncio.gather(store.store_page(database_failure), return_exceptions=True)

    try:
        [outcome] = asyncio.run(fetch_then_fail())
    finally:
        store.close()

    assert isinstance(outcome, OperationalError)
    with sessions() as session:
        assert find_article(session, page(0).url) is None
        assert [row.url for row in recent_fetches(session)] == [page(0).url]
