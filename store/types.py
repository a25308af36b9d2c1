"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A moment kept in UTC on every backend and read back timezone-aware (UTC).

    SQLite has no zoned timestamp: SQLAlchemy writes an aware value's wall-clock digits and drops
    its offset, so 10:30+02:00 and 10:30Z would be stored alike and compare, sort and filter wrong.
    Converting to UTC first makes both backends agree. A naive value (a page that printed no zone)
    is stored as given.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is None:
            return value
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def offset_minutes(value: datetime | None) -> int | None:
    """The UTC offset a publisher gave a date in, in minutes; None for no date or no zone."""
    if value is None or value.utcoffset() is None:
        return None
    return int(value.utcoffset() // timedelta(minutes=1))


def in_original_zone(stored: datetime | None, offset: int | None) -> datetime | None:
    """A stored publisher date as the publisher gave it: in its own offset, or naive without one."""
    if stored is None:
        return None
    if offset is None:
        return stored.replace(tzinfo=None)
    return stored.astimezone(timezone(timedelta(minutes=offset)))
