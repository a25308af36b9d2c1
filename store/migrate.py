"""Schema versions with Alembic: where a database stands, and upgrading it (SQLite backed up first).

Alembic is imported only when a database is not at SCHEMA_HEAD: every command opens the archive,
and importing Alembic and reading the migration scripts cost a fifth of a second of each start-up.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The revision whose tables 0.1.0 created without recording a version.
FIRST_RELEASE = "0001"
# The newest migration's revision (a test holds it to the scripts' head).
SCHEMA_HEAD = "0009"
# Serialises concurrent upgrades of one PostgreSQL database by several workers.
_PG_UPGRADE_LOCK = 0x616B68626172


class SchemaError(Exception):
    """The database cannot be brought to this version's schema; the message is one line."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@dataclass(slots=True)
class UpgradeReport:
    before: str | None  # None: a new, empty database
    after: str
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def current_revision(connection: Connection) -> str | None:
    """The stored revision; FIRST_RELEASE for a 0.1.0 database; None for an empty one."""
    from alembic.runtime.migration import MigrationContext

    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is not None:
        return revision
    tables = set(inspect(connection).get_table_names())
    if not tables:
        return None
    if {"articles", "fetches"} <= tables:
        return FIRST_RELEASE
    raise SchemaError("the database holds other tables and is not an akhbar archive")


def upgrade(connection: Connection, sqlite_path: Path | None) -> UpgradeReport:
    """Bring the schema to head inside the caller's transaction (rolled back whole on failure)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_UPGRADE_LOCK})
    if _recorded_revision(connection) == SCHEMA_HEAD:
        return UpgradeReport(before=SCHEMA_HEAD, after=SCHEMA_HEAD)
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    head = head_revision()
    before = current_revision(connection)
    if before is not None and before not in known_revisions():
        raise SchemaError(
            f"the database schema ({before}) is newer than this akhbar understands ({head}); upgrade akhbar"
        )
    report = UpgradeReport(before=before, after=head)
    if before == head:
        return report
    if before is not None and sqlite_path is not None:
        report.backup = backup_sqlite(sqlite_path, before)
    config = alembic_config(connection)
    if before == FIRST_RELEASE and MigrationContext.configure(connection).get_current_revision() is None:
        command.stamp(config, FIRST_RELEASE)
    command.upgrade(config, "head")
    return report


def _recorded_revision(connection: Connection) -> str | None:
    """The revision in Alembic's version table, read without Alembic; None without that table."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_sqlite(path: Path, revision: str) -> Path:
    """A consistent copy next to the database, taken with SQLite's online backup API."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{revision}-{stamp}.bak")
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(target)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise SchemaError(f"cannot back up {path} to {target} before upgrading: {exc}") from exc
    return target
