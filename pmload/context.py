"""The home of one invocation: paths, settings, the user's zone and the database.

Both the CLI (one command) and the app (one session) hold one :class:`Context`;
each resource is opened on first use.
"""

from __future__ import annotations

import os
import sqlite3
from zoneinfo import ZoneInfo

from pmload import store
from pmload.config import Settings, load_settings, resolve_zone
from pmload.errors import ConfigError, UsageError
from pmload.paths import HOME_ENV, Paths, resolve_paths


class Context:
    """Lazily opened resources of one CLI invocation (or one GUI session)."""

    def __init__(self, home: str | None = None, tz: str | None = None) -> None:
        if home is not None:
            os.environ[HOME_ENV] = os.path.abspath(os.path.expanduser(home))
        self.paths: Paths = resolve_paths(home)
        self.cli_tz = tz
        self._settings: Settings | None = None
        self._zone: ZoneInfo | None = None
        self._conn: sqlite3.Connection | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.paths)
        return self._settings

    def reload_settings(self) -> Settings:
        self._settings = None
        self._zone = None
        return self.settings

    @property
    def zone(self) -> ZoneInfo:
        if self._zone is None:
            try:
                self._zone = resolve_zone(self.cli_tz, self.settings)
            except ConfigError as exc:
                raise UsageError(str(exc)) from None
        return self._zone

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self.paths.ensure()
            self._conn = store.connect(self.paths.database)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
