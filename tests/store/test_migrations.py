"""Schema versions: new databases, 0.1.0 databases upgraded on first use, and databases we must refuse."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from setuptools import find_packages
from sqlalchemy import create_engine, text

from store.articles import find_article, revisions_of, urls_of
from store.db import StoreError, open_engine, session_factory
from store.migrate import MIGRATIONS, SCHEMA_HEAD, alembic_config, head_revision
from store.schema import Base
from store.search import SearchFilters, search
from tests.store.conftest import HOSPITAL_STORY

REPO = Path(__file__).resolve().parents[2]


def plain_engine(url: str):
    return create_engine(url)


def make_first_release_database(url: str, *, with_version_table: bool) -> None:
    """A database as akhbar 0.1.0 left it: its three tables and one article (0.1.0 had no alembic_version)."""
    engine = plain_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        if not with_version_table:
            connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(
            text(
                "INSERT INTO articles (canonical_url, url, site, title, text, authors, tags, content_hash,"
                " first_seen, last_fetched) VALUES ('https://alkarak.example/news/1/',"
                " 'https://alkarak.example/news/1/?utm_source=x', 'alkarak.example',"
                " 'افتتاح المستشفى', :text,"
                " '[]', '[]', 'h', '2024-03-01 10:00:00', '2024-03-02 10:00:00')"
            ),
            {"text": HOSPITAL_STORY},
        )
    engine.dispose()


def revision_of(url: str) -> str | None:
    engine = plain_engine(url)
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return revision


def test_the_head_recognised_without_alembic_is_the_newest_migration():
    # An archive at SCHEMA_HEAD opens without reading the migration scripts: a new migration must
    # move SCHEMA_HEAD with it, or archives would never be upgraded to it.
    assert head_revision() == SCHEMA_HEAD


def test_a_new_database_is_created_at_the_latest_schema(store_url):
    open_engine(store_url).dispose()

    assert revision_of(store_url) == head_revision()


def test_the_migrations_build_exactly_the_tables_the_models_describe(store_url):
    open_engine(store_url).dispose()

    def ours(obj, name, type_, reflected, compare_to) -> bool:
        # The search index is backend-specific SQL (FTS5 / tsvector), not an ORM model.
        return not (type_ == "table" and name.startswith("article_search"))

    engine = plain_engine(store_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": ours})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_first_release_database_is_upgraded_on_first_use(store_url):
    make_first_release_database(store_url, with_version_table=False)

    sessions = session_factory(open_engine(store_url))

    assert revision_of(store_url) == head_revision()
    with sessions() as session:
        article = find_article(session, "https://alkarak.example/news/1")
        assert article is not None and article.cluster_id is None
        assert [r.number for r in revisions_of(session, article.id)] == [1]
        assert urls_of(session, article.id) == ["https://alkarak.example/news/1"]
        assert [hit.article_id for hit in search(session, "مستشفى")] == [article.id]
        on_site = SearchFilters(site="alkarak.example")
        assert [hit.article_id for hit in search(session, "مستشفى", on_site)] == [article.id]
        assert search(session, "مستشفى", SearchFilters(site="irbid.example")) == []


def test_an_sqlite_database_is_backed_up_before_it_is_upgraded(tmp_path):
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    make_first_release_database(url, with_version_table=True)

    open_engine(url).dispose()

    (backup,) = tmp_path.glob("archive.db.0001-*.bak")
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert old.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_a_database_from_a_newer_akhbar_is_refused_and_left_untouched(store_url, tmp_path):
    open_engine(store_url).dispose()
    engine = plain_engine(store_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()

    with pytest.raises(StoreError, match=r"schema \(9999\) is newer than this akhbar understands"):
        open_engine(store_url)

    assert revision_of(store_url) == "9999"
    assert list(tmp_path.glob("*.bak")) == []


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("ملاحظات شخصية، ليست قاعدة بيانات\n" * 200, encoding="utf-8")
    before = notes.read_bytes()

    with pytest.raises(StoreError, match="not an SQLite database"):
        open_engine(f"sqlite:///{notes}")

    assert notes.read_bytes() == before


def test_an_sqlite_database_of_another_program_is_refused(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")

    with pytest.raises(StoreError, match="not an akhbar archive"):
        open_engine(f"sqlite:///{other}")
    with sqlite3.connect(other) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"notes"}


def test_a_location_where_no_folder_can_be_made_is_a_clear_error():
    with pytest.raises(StoreError, match=r"cannot create the folder for /proc/akhbar/archive\.db"):
        open_engine("sqlite:////proc/akhbar/archive.db")


@pytest.fixture
def read_only_view(tmp_path):
    """A read-only bind mount of a writable folder: (writable path, read-only path of the same folder)."""
    source, view = tmp_path / "source", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.decode().strip()}")
    try:
        remounted = subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True)
        if remounted.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {remounted.stderr.decode().strip()}")
        yield source, view
    finally:
        subprocess.run(["umount", str(view)], check=True)


def test_a_new_database_in_a_read_only_folder_is_a_clear_error(read_only_view):
    _, view = read_only_view

    with pytest.raises(StoreError, match="read-only"):
        open_engine(f"sqlite:///{view / 'archive.db'}")


def test_an_archive_on_a_read_only_file_system_is_a_clear_error_and_stays_intact(read_only_view):
    source, view = read_only_view
    engine = open_engine(f"sqlite:///{source / 'archive.db'}")
    engine.dispose()
    before = {path.name: path.read_bytes() for path in source.iterdir()}

    with pytest.raises(StoreError, match="read-only"):
        open_engine(f"sqlite:///{view / 'archive.db'}")

    assert {path.name: path.read_bytes() for path in source.iterdir()} == before


def test_an_unreachable_postgresql_is_a_clear_error_that_hides_the_password():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]

    with pytest.raises(StoreError) as caught:
        open_engine(f"postgresql://akhbar:s3cret-pw@127.0.0.1:{free_port}/archive")

    message = str(caught.value)
    assert "s3cret-pw" not in message and "***" in message
    assert f"127.0.0.1:{free_port}" in message and "\n" not in message


def test_a_missing_postgresql_database_is_a_clear_error(postgres_user):
    with pytest.raises(StoreError, match='database "akhbar_no_such_db" does not exist'):
        open_engine(f"postgresql://{postgres_user}:pw@127.0.0.1:5432/akhbar_no_such_db")


def test_the_migrations_ship_inside_the_package():
    packages = find_packages(str(REPO), include=["ingest*", "store*"])
    assert {"store.migrations", "store.migrations.versions"} <= set(packages)
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert MIGRATIONS.is_relative_to(REPO / "store")
