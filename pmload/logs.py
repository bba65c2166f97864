"""pmload's log: a rotating file in the log folder, and stderr with ``-v``.

What is logged never carries private text: journal content, meeting titles,
passphrases and subscription URLs stay out (unexpected errors log their type and
code lines only, through :func:`log_unexpected`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType

from pmload.paths import Paths

MAX_BYTES = 1_000_000
BACKUPS = 3


class _PmloadLog(logging.Handler):
    """pmload's own log file (so it can be found and replaced): a rotating file.

    The RotatingFileHandler is made at the first record, so a command that logs
    nothing (an unchanged re-import) never imports logging.handlers, which pulls
    in socket, pickle and queue.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(logging.DEBUG)
        self.baseFilename = str(path.absolute())
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            from logging.handlers import RotatingFileHandler

            self._file = RotatingFileHandler(
                self.baseFilename, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        super().close()


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
            fh = _PmloadLog(paths.log_file)
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


def log_unexpected(
    logger: logging.Logger, exc: BaseException, tb: TracebackType | None = None, what: str = ""
) -> None:
    """Log an unexpected error as its type and the code lines of its traceback.

    Never the message or any value: a message could quote journal text, a
    meeting title or a subscription URL.
    """
    import traceback

    where = "".join(traceback.format_tb(tb if tb is not None else exc.__traceback__))
    prefix = f"{what}: " if what else ""
    logger.error("%sunexpected %s (message withheld)\n%s", prefix, type(exc).__name__, where)
