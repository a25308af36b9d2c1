"""Run the statements of an article write straight on SQLite's cursor.

Why: SQLAlchemy's execution layer costs about 30 µs per statement on top of SQLite's own 2 µs,
and storing one article runs about ten statements: that layer was a sixth of ingest time. The
statements stay SQLAlchemy Core (one definition for every backend), compiled once per dialect
and set of parameter names; their values go through the bind processors SQLAlchemy itself would
apply, so what is stored is the same either way, and a driver error is raised as SQLAlchemy's
own exception class (IntegrityError, OperationalError), so callers handle it alike.

PostgreSQL runs them through SQLAlchemy as usual: there a network round trip dwarfs that
overhead, and SQLAlchemy's handling of a dropped connection is worth keeping.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

Params = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    # Per placeholder: the parameter's name, or None for a value fixed in the statement (a LIMIT).
    names: tuple[str | None, ...]
    fixed: tuple[Any, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]

    def positional(self, params: Params) -> list[Any]:
        values = []
        for name, fixed, process in zip(self.names, self.fixed, self.processors, strict=True):
            value = fixed if name is None else params[name]
            values.append(value if process is None or value is None else process(value))
        return values


_compiled: dict[tuple[ClauseElement, frozenset[str]], _Compiled] = {}


def rows(connection: Connection, statement: ClauseElement, params: Params) -> Sequence[Sequence[Any]]:
    """Every row the statement returns (raw driver values: ints, strings, bytes)."""
    if connection.dialect.name != "sqlite":
        return connection.execute(statement, params).all()
    return _executed(connection, statement, params).fetchall()


def value(connection: Connection, statement: ClauseElement, params: Params) -> Any:
    """The first column of the first row, or None when there is no row."""
    found = rows(connection, statement, params)
    return found[0][0] if found else None


def run(connection: Connection, statement: ClauseElement, params: Params) -> None:
    """A statement that returns no rows."""
    run_many(connection, statement, [params])


def changed(connection: Connection, statement: ClauseElement, params: Params) -> int:
    """Run a statement that returns no rows; how many rows it changed."""
    if connection.dialect.name != "sqlite":
        return connection.execute(statement, params).rowcount
    return _executed(connection, statement, params).rowcount


def _executed(connection: Connection, statement: ClauseElement, params: Params) -> sqlite3.Cursor:
    """The statement executed on SQLite's own cursor."""
    compiled = _compile(statement, params, connection.dialect)
    values = compiled.positional(params)
    try:
        return connection.connection.dbapi_connection.execute(compiled.sql, values)
    except sqlite3.Error as exc:
        raise _as_sqlalchemy_error(compiled.sql, values, exc) from exc


def run_many(connection: Connection, statement: ClauseElement, many: Sequence[Params]) -> None:
    """One statement over many parameter sets (all with the same names)."""
    if not many:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(statement, list(many))
        return
    compiled = _compile(statement, many[0], connection.dialect)
    values = [compiled.positional(params) for params in many]
    try:
        connection.connection.dbapi_connection.executemany(compiled.sql, values)
    except sqlite3.Error as exc:
        raise _as_sqlalchemy_error(compiled.sql, values, exc) from exc


def _compile(statement: ClauseElement, params: Params, dialect: Dialect) -> _Compiled:
    key = (statement, frozenset(params))
    found = _compiled.get(key)
    if found is None:
        found = _compiled[key] = _compile_for(statement, sorted(params), dialect)
    return found


def _compile_for(statement: ClauseElement, names: list[str], dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect, column_keys=names)
    if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
        # Column defaults computed in Python would be skipped here: give every column a value.
        raise TypeError(f"statement needs Python-side column defaults: {compiled.string}")
    binds = [compiled.binds[name] for name in compiled.positiontup or ()]
    if any(bind.expanding for bind in binds):
        raise TypeError(f"expanding IN parameters are not supported here: {compiled.string}")
    given = set(names)
    return _Compiled(
        sql=compiled.string,
        names=tuple(bind.key if bind.key in given else None for bind in binds),
        fixed=tuple(None if bind.key in given else bind.effective_value for bind in binds),
        processors=tuple(bind.type.dialect_impl(dialect).bind_processor(dialect) for bind in binds),
    )


def _as_sqlalchemy_error(sql: str, params: Any, exc: sqlite3.Error) -> DBAPIError:
    return DBAPIError.instance(sql, params, exc, sqlite3.Error)
