"""Where pmload keeps its files.

By default the per-user directories of platformdirs. ``PMLOAD_HOME=DIR`` (or
the global ``--home DIR`` option, which sets it) puts everything under DIR:

    DIR/config/rules.toml      the user's settings and rules (TOML)
    DIR/config/pmload-gui.ini  window state (QSettings, IniFormat)
    DIR/data/pmload.sqlite3    the calendar store (see pmload.store)
    DIR/data/journal.pmj       the encrypted journal
    DIR/cache/                 disposable caches
    DIR/logs/pmload.log        rotating log file
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
        """Create the directories (private to the user) and return self."""
        for d in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Paths for ``home``, else ``$PMLOAD_HOME``, else the platform's user dirs."""
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().absolute()
        return Paths(root / "config", root / "data", root / "cache", root / "logs")
    import platformdirs

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return Paths(
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
    )
