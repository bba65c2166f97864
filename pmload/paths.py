"""Where pmload keeps its files.

By default the per-user directories of platformdirs. ``PMLOAD_HOME=DIR`` (or
the global ``--home DIR`` option, which sets it) puts everything under DIR:

    DIR/config/rules.toml      the user's settings and rules (TOML)
    DIR/config/pmload-gui.ini  window state (QSettings, IniFormat)
    DIR/data/pmload.sqlite3    the calendar store (see pmload.store)
    DIR/data/journal.pmj       the encrypted journal
    DIR/cache/                 disposable caches
    DIR/logs/pmload.log        rotating log file

The four folders are private to the user (0700, tightened when they already
exist) and so is every file pmload keeps in them (0600).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pmload.errors import PmloadError, UsageError
from pmload.fileio import PRIVATE_DIR, tighten

APP_NAME = "pmload"
HOME_ENV = "PMLOAD_HOME"


@dataclass(frozen=True, slots=True)
class Paths:
    """The directories and well-known files of one pmload home."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def rules_file(self) -> Path:
        return self.config_dir / "rules.toml"

    @property
    def gui_settings_file(self) -> Path:
        return self.config_dir / "pmload-gui.ini"

    @property
    def database(self) -> Path:
        return self.data_dir / "pmload.sqlite3"

    @property
    def journal_file(self) -> Path:
        return self.data_dir / "journal.pmj"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "pmload.log"

    def ensure(self) -> Paths:
        """Create the directories (private to the user, even when they exist) and return self."""
        for d in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            private_dir(d)
        return self


def private_dir(directory: Path) -> Path:
    """Create ``directory`` (0700) or take the group and other bits off it; PmloadError if not."""
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    except FileExistsError:
        raise PmloadError(f"pmload cannot use {directory} as a folder: it is a file.") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise PmloadError(f"pmload cannot create its folder {directory} ({reason}).") from None
    tighten(directory)
    return directory


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Paths for ``home``, else ``$PMLOAD_HOME``, else the platform's user dirs."""
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().absolute()
        existing = next(p for p in (root, *root.parents) if p.exists())
        if not existing.is_dir():
            raise UsageError(f"{existing} is a file: give --home (or {HOME_ENV}) a folder.")
        return Paths(root / "config", root / "data", root / "cache", root / "logs")
    import platformdirs

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return Paths(
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
    )
