"""What several commands share: opening the store from the global options."""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session, sessionmaker

from store.db import open_engine, resolve_url, session_factory


def open_store(ctx: typer.Context) -> sessionmaker[Session]:
    return session_factory(open_engine(resolve_url(ctx.obj.db)))
