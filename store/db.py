"""Engine and sessions from a database URL (SQLite by default, PostgreSQL at scale).

Opening a database brings its schema up to date (store/migrate.py), so every command works on
the current schema; failures become a StoreError with one line for the user, password hidden.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from store.migrate import SchemaError, UpgradeReport, current_revision, head_revision, upgrade


class StoreError(Exception):
    """A database that cannot be opened or used; the message is one line for the user."""


def default_url() -> str:
    data_dir = Path(platformdirs.user_data_dir("akhbar", appauthor=False))
    return f"sqlite:///{data_dir / 'akhbar.db'}"


def resolve_url(url: str | None) -> str:
    return url or os.environ.get("AKHBAR_DB") or default_url()


# libpq also takes the password as a query parameter (postgresql://host/db?password=...).
_SECRET_PARAMETERS = frozenset({"password", "sslpassword"})


def redacted(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return _hidden(make_url(url))
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return "<unparsable database URL>"


def _hidden(parsed: URL) -> str:
    secrets = {key: "***" for key in parsed.query if key.lower() in _SECRET_PARAMETERS}
    return parsed.update_query_dict(secrets).render_as_string(hide_password=True)


def _secrets(parsed: URL) -> list[str]:
    found = [str(parsed.password)] if parsed.password else []
    for key, value in parsed.query.items():
        if key.lower() in _SECRET_PARAMETERS:
            found.extend([value] if isinstance(value, str) else value)
    return [secret for secret in found if secret]


def open_engine(url: str, *, auto_upgrade: bool = True) -> Engine:
    """An engine on an up-to-date schema; an older database is upgraded first (SQLite: backed up)."""
    engine, _ = open_and_upgrade(url) if auto_upgrade else (_create_engine(url), None)
    return engine


def open_and_upgrade(url: str) -> tuple[Engine, UpgradeReport]:
    engine = _create_engine(url)
    parsed = engine.url.set(drivername=make_url(url).drivername)
    try:
        with engine.execution_options(**WRITE_TRANSACTION).begin() as connection:
            report = upgrade(connection, _sqlite_path(parsed))
    except SchemaError as exc:
        engine.dispose()
        raise StoreError(f"{_describe(parsed)}: {exc}") from exc
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        engine.dispose()
        raise StoreError(f"{_describe(parsed)}: {_reason(parsed, exc)}") from exc
    return engine, report


def schema_status(url: str) -> tuple[str | None, str]:
    """(the database's schema revision or None when empty, this version's) without changing anything."""
    engine = _create_engine(url)
    parsed = engine.url.set(drivername=make_url(url).drivername)
    try:
        with engine.connect() as connection:
            return current_revision(connection), head_revision()
    except SchemaError as exc:
        raise StoreError(f"{_describe(parsed)}: {exc}") from exc
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        raise StoreError(f"{_describe(parsed)}: {_reason(parsed, exc)}") from exc
    finally:
        engine.dispose()


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"not a database URL: {redacted(url)}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = _sqlite_path(parsed)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {path}: {exc.strerror or exc}") from exc
            if path.is_dir():
                raise StoreError(f"{path}: is a folder, not a database file")
    elif backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
    else:
        raise StoreError(f"unsupported database {backend!r} in {redacted(url)} (use sqlite or postgresql)")
    try:
        engine = create_engine(parsed, pool_pre_ping=backend == "postgresql")
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"no driver for {redacted(url)} ({exc.name} missing; pip install 'akhbar[postgres]')"
        ) from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        event.listen(engine, "connect", _postgres_settings)
    return engine


def _sqlite_path(parsed: URL) -> Path | None:
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # The driver's own transaction handling is off: "begin" below starts every transaction, so DDL
    # in migrations is transactional too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL is the setting WAL is designed for: a commit survives a crash of akhbar, and the
    # database is never corrupted; only a power cut may lose the last commits. FULL would cost an
    # fsync per article.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # 4 MiB of page cache. A larger one made ingest slower, not faster: on an archive of 100,000
    # articles (bench/store.py), 64 MiB stored 535 articles/s and 4 MiB 622, with the same search
    # latency. The operating system's file cache keeps the indexes in memory either way.
    cursor.execute("PRAGMA cache_size=-4096")
    # Checkpoint the WAL every ~40 MiB instead of every 4 MiB: each checkpoint syncs the database
    # file, and a busy ingest should not pay that every few dozen articles. The WAL file is cut
    # back to 64 MiB after a checkpoint.
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.execute("PRAGMA journal_size_limit=67108864")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _postgres_settings(dbapi_connection, _record) -> None:
    # Every statement is planned for its own parameters and the tables as they are now. psycopg
    # prepares a statement on its fifth run, and PostgreSQL may then keep one generic plan for
    # it: planned while the archive was small (or never analyzed: autovacuum may be off), it kept
    # sequential scans as the archive grew, and ingest fell from 150 to 35 articles/s; a search
    # planned for a rare word sorted every match of a common one. Planning costs far less.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


# Execution option for a transaction that will write: on SQLite it takes the write lock up front
# (BEGIN IMMEDIATE), so a read-then-write transaction waits its turn under busy_timeout instead of
# failing with "database is locked" because another process wrote in between. Readers stay
# deferred so that a long export or reextract never blocks writers.
WRITE_TRANSACTION = {"akhbar_write": True}


@contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """A write of its own: a transaction taking the write lock up front, or, inside the caller's
    transaction (pages written a batch at a time), a savepoint, so that a write that fails rolls
    back alone."""
    if session.in_transaction():
        with rolled_back_alone(session):
            yield
        return
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        yield


@contextmanager
def rolled_back_alone(session: Session) -> Iterator[None]:
    """Inside the caller's transaction, work that rolls back alone if it raises: a savepoint.

    The savepoint is SQL only. The ORM's own (`begin_nested`) did the same with bookkeeping that
    cost several times the SQL, twice per page of a crawl (the page, and the article write in it):
    about a tenth of the writer's CPU for each of the two. The ORM's state is kept true by hand
    instead: pending changes are flushed before the savepoint and before its release, so each lands
    on the right side of it, and after a rollback every ORM object is expired, so that nothing the
    undone work left in memory is read or written again.
    """
    connection = session.connection()
    session.flush()
    connection.exec_driver_sql(_SAVEPOINT)
    try:
        yield
        session.flush()
    except BaseException:
        try:
            connection.exec_driver_sql(_ROLLBACK_TO_SAVEPOINT)
            connection.exec_driver_sql(_RELEASE_SAVEPOINT)
        except SQLAlchemyError:
            pass  # the transaction itself is lost (disk I/O, connection gone): the error that lost it follows
        session.expire_all()
        raise
    connection.exec_driver_sql(_RELEASE_SAVEPOINT)


# Savepoints may share a name: ROLLBACK TO and RELEASE refer to the innermost (SQLite, PostgreSQL).
_SAVEPOINT = "SAVEPOINT akhbar_alone"
_ROLLBACK_TO_SAVEPOINT = "ROLLBACK TO SAVEPOINT akhbar_alone"
_RELEASE_SAVEPOINT = "RELEASE SAVEPOINT akhbar_alone"


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get("akhbar_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def describe_failure(engine: Engine, exc: BaseException) -> str:
    """One line for a database that failed mid-run (disk full, read-only, server gone), password hidden."""
    return f"{_describe(engine.url)}: {_reason(engine.url, exc)}"


def _describe(parsed: URL) -> str:
    path = _sqlite_path(parsed)
    if path is not None:
        return str(path)
    return _hidden(parsed)


def _reason(parsed: URL, exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    message = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    for secret in _secrets(parsed):
        message = message.replace(secret, "***")
    if parsed.get_backend_name() == "sqlite":
        lowered = message.lower()
        if "file is not a database" in lowered:
            return "not an SQLite database"
        if "readonly" in lowered or "unable to open" in lowered:
            return f"cannot open for writing ({message}); is the location read-only?"
        return message
    return f"cannot use the PostgreSQL database: {message}"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
