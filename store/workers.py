"""The worker registry: which `akhbar worker` processes share this database, their heartbeats and
how many pages they settle per minute (behind `akhbar status`).

Heartbeats are written by each worker on a timer; a worker whose heartbeat is older than
`stale_after` is shown as silent (crashed or cut off): its claims come back when their leases end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.db import WRITE_TRANSACTION
from store.schema import FrontierRow, WorkerMinuteRow, WorkerRow

# Finished workers and per-minute counts are kept this long, then pruned by the next registration.
KEEP_HISTORY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WorkerState:
    name: str
    hostname: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None
    pages: int
    failed: int
    claimed: int


@dataclass(frozen=True, slots=True)
class QueueState:
    urls: int  # URLs in the frontier
    due: int  # due now and not under a live lease
    claimed: int  # under a live lease
    scheduled: int  # due later (revisits, retries)


def register(session: Session, name: str, hostname: str, pid: int, now: datetime) -> None:
    """Record a starting worker (a restarted one with the same name starts its counts afresh)."""
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        session.execute(delete(WorkerRow).where(WorkerRow.name == name))
        session.execute(delete(WorkerRow).where(WorkerRow.heartbeat_at < now - KEEP_HISTORY))
        session.execute(delete(WorkerMinuteRow).where(WorkerMinuteRow.minute < now - KEEP_HISTORY))
        session.add(
            WorkerRow(
                name=name,
                hostname=hostname,
                pid=pid,
                started_at=now,
                heartbeat_at=now,
                pages=0,
                failed=0,
                claimed=0,
            )
        )


def heartbeat(
    session: Session, name: str, now: datetime, *, pages: int, failed: int, stopped: bool = False
) -> None:
    """The worker is alive: `pages` and `failed` are the pages it settled since its last heartbeat."""
    minute = now.replace(second=0, microsecond=0)
    with session.begin():
        session.connection(execution_options=WRITE_TRANSACTION)
        claimed = session.scalar(
            select(func.count()).select_from(FrontierRow).where(FrontierRow.claimed_by == name)
        )
        session.execute(
            update(WorkerRow)
            .where(WorkerRow.name == name)
            .values(
                heartbeat_at=now,
                pages=WorkerRow.pages + pages,
                failed=WorkerRow.failed + failed,
                claimed=claimed,
                stopped_at=now if stopped else None,
            )
        )
        if pages or failed:
            insert = (postgresql if _dialect(session) == "postgresql" else sqlite).insert(WorkerMinuteRow)
            statement = insert.values(worker=name, minute=minute, pages=pages, failed=failed)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["worker", "minute"],
                    set_={
                        "pages": WorkerMinuteRow.pages + statement.excluded.pages,
                        "failed": WorkerMinuteRow.failed + statement.excluded.failed,
                    },
                )
            )


def workers(session: Session) -> list[WorkerState]:
    """Every worker known (running, silent, or stopped within KEEP_HISTORY), newest first."""
    rows = session.scalars(select(WorkerRow).order_by(WorkerRow.started_at.desc(), WorkerRow.name))
    return [
        WorkerState(
            r.name,
            r.hostname,
            r.pid,
            _aware(r.started_at),
            _aware(r.heartbeat_at),
            _aware(r.stopped_at),
            r.pages,
            r.failed,
            r.claimed,
        )
        for r in rows
    ]


def throughput(session: Session, now: datetime, minutes: int) -> tuple[int, int]:
    """(pages, failed) settled by all workers in the last `minutes` whole minutes and this one."""
    since = now.replace(second=0, microsecond=0) - timedelta(minutes=minutes - 1)
    pages, failed = session.execute(
        select(
            func.coalesce(func.sum(WorkerMinuteRow.pages), 0),
            func.coalesce(func.sum(WorkerMinuteRow.failed), 0),
        ).where(WorkerMinuteRow.minute >= since)
    ).one()
    return int(pages), int(failed)


def queue_state(session: Session, now: datetime, sources: list[str] | None = None) -> QueueState:
    """The frontier now (of `sources`, or all of it)."""
    live_lease = (FrontierRow.claimed_by.is_not(None)) & (FrontierRow.lease_expires_at >= now)
    due = (FrontierRow.next_due_at <= now) & ~live_lease
    later = FrontierRow.next_due_at > now
    query = select(
        func.count(FrontierRow.id),
        func.coalesce(func.sum(_flag(due)), 0),
        func.coalesce(func.sum(_flag(live_lease)), 0),
        func.coalesce(func.sum(_flag(later & ~live_lease)), 0),
    )
    if sources is not None:
        query = query.where(FrontierRow.source.in_(sources))
    total, due_count, claimed, scheduled = session.execute(query).one()
    return QueueState(int(total), int(due_count), int(claimed), int(scheduled))


def _flag(condition):
    return case((condition, 1), else_=0)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
