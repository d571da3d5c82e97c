"""Rasa's SQL tracker store, pointed at PostgreSQL when `TRACKER_DB_URL` is set.

endpoints.yml names this class (`type: bot.tracker_store.EnvSQLTrackerStore`) with the SQLite
settings of a workstation; Rasa's `${VAR}` substitution has no default value, so the choice
between the two is made here. Rasa imports the class from the directory it runs in (the
repository root) and calls it with the endpoint's keys as keyword arguments.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy import event


class EnvSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        dialect: str = "sqlite",
        db: str = "rasa.db",
        **kwargs: Any,
    ) -> None:
        url = os.environ.get("TRACKER_DB_URL")
        if url:
            # SQLTrackerStore takes a host holding "://" as the whole database URL.
            host = url
        elif dialect == "sqlite":
            # A missing folder would make Rasa retry the connection forever, every 5 s.
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=host, dialect=dialect, db=db, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _write_ahead_log)
            self.engine.dispose()  # connections opened before the listener get it on reopening


def _write_ahead_log(connection, _record) -> None:
    """Write-ahead logging: the review app reads while Rasa writes, and a turn's commit waits for
    one sync of the log instead of two of the database (the last commits before a power cut may
    be lost, never corrupted)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
