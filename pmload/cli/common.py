"""What every command shares: the context (paths, settings, zone, database)."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sqlite3
from datetime import date
from pathlib import Path
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


class _PmloadLog(logging.handlers.RotatingFileHandler):
    """pmload's own log file handler (so it can be found and replaced)."""


def setup_logging(paths: Paths, verbose: bool = False) -> None:
    """A rotating log file in the log dir; warnings (or everything with -v) on stderr.

    Calling it again for another home (tests, ``--home``) moves the log there.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    current = [h for h in root.handlers if isinstance(h, _PmloadLog)]
    if not (current and Path(current[0].baseFilename) == paths.log_file.absolute()):
        for h in current:
            root.removeHandler(h)
            h.close()
        try:
            paths.log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            fh = _PmloadLog(paths.log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
            fh.setLevel(logging.DEBUG)
            fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            root.addHandler(fh)
        except OSError:
            pass
    if verbose and not any(getattr(h, "_pmload_verbose", False) for h in root.handlers):
        sh = logging.StreamHandler()
        sh.setLevel(logging.DEBUG)
        sh.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        sh._pmload_verbose = True  # type: ignore[attr-defined]
        root.addHandler(sh)


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD dates."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use YYYY-MM-DD)") from None


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=f"output format (default {choices[0]})",
    )
