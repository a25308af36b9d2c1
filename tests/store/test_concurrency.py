"""Several writers on one archive (cron jobs, workers): every article lands once, none is lost."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from store.articles import save_article
from store.db import open_engine, session_factory
from store.schema import ArticleRow, RevisionRow
from tests.store.conftest import HOSPITAL_STORY, LIBRARY_STORY, WEATHER_STORY, Page, when

TEXTS = (HOSPITAL_STORY, LIBRARY_STORY, WEATHER_STORY)


def run_writers(store_url: str, jobs: list[list[Page]]) -> list[BaseException]:
    """Each job saves its pages through its own engine (as a separate process would), all at once."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def work(pages: list[Page]) -> None:
        engine = open_engine(store_url)
        sessions = session_factory(engine)
        try:
            start.wait()
            for page in pages:
                with sessions() as session:
                    save_article(session, page.article(), page.url, page.raw(when(1)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_writers_store_every_article(store, store_url):
    jobs = [
        [Page(f"https://w{w}.example/{i}", f"{TEXTS[i % 3]}\nالتحديث رقم {w}-{i}") for i in range(12)]
        for w in range(3)
    ]

    assert run_writers(store_url, jobs) == []
    with store() as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 36
        assert session.scalar(select(func.count()).select_from(RevisionRow)) == 36


def test_writers_racing_on_one_url_make_one_article(store, store_url):
    page = Page("https://alkarak.example/news/1", HOSPITAL_STORY)

    assert run_writers(store_url, [[page], [page], [page]]) == []
    with store() as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 1
        assert session.scalar(select(func.count()).select_from(RevisionRow)) == 1
