"""pmload's log: a rotating file in the log folder, and stderr with ``-v``.

What is logged never carries private text: journal content, meeting titles,
passphrases and subscription URLs stay out (unexpected errors log their type and
code lines only, through :func:`log_unexpected`, and a traceback logged with
``exc_info`` is written without its message). The log folder is private to
the user (0700) and so are the log and its rotations (0600).
"""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from pmload.errors import PmloadError
from pmload.fileio import PRIVATE_FILE, tighten
from pmload.paths import Paths, private_dir

MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LIBRARIES = ("matplotlib", "PIL")
"""Libraries logged from INFO up: matplotlib alone writes ~950 font-matching debug lines
for each chart, which cost the first screen tens of milliseconds and fill the log."""


class _WithheldTracebacks(logging.Formatter):
    """Tracebacks (``exc_info=True``) as type and code lines: the message may quote a title."""

    def formatException(self, ei: Any) -> str:
        etype, _value, tb = ei
        where = "".join(traceback.format_tb(tb))
        name = etype.__name__ if etype is not None else "exception"
        return f"Traceback (most recent call last; message withheld):\n{where}{name}"

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the full traceback in exc_text: never reuse it.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached


def _rotating_file(path: str) -> logging.Handler:
    """A RotatingFileHandler whose files are created 0600."""
    from logging.handlers import RotatingFileHandler

    class PrivateRotatingFile(RotatingFileHandler):
        def _open(self) -> Any:
            fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
            tighten(Path(self.baseFilename))
            return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)

    return PrivateRotatingFile(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")


class _PmloadLog(logging.Handler):
    """pmload's own log file (so it can be found and replaced): a private rotating file.

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
            self._file = _rotating_file(self.baseFilename)
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
    for chatty in QUIET_LIBRARIES:  # their debug lines say nothing about pmload
        logging.getLogger(chatty).setLevel(logging.INFO)
    # urllib3 logs each request's path at DEBUG: a subscription's path is its secret
    logging.getLogger("urllib3").setLevel(logging.ERROR)
    current = [h for h in root.handlers if isinstance(h, _PmloadLog)]
    if not (current and Path(current[0].baseFilename) == paths.log_file.absolute()):
        for h in current:
            root.removeHandler(h)
            h.close()
        try:
            private_dir(paths.log_dir)
            for name in (
                paths.log_file.name,
                *(f"{paths.log_file.name}.{i}" for i in range(1, BACKUP_COUNT + 1)),
            ):
                tighten(paths.log_file.with_name(name))
            fh = _PmloadLog(paths.log_file)
            fh.setFormatter(_WithheldTracebacks(_FORMAT))
            root.addHandler(fh)
        except (OSError, PmloadError):
            pass  # no log file is better than no pmload; the command reports the folder
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
    where = "".join(traceback.format_tb(tb if tb is not None else exc.__traceback__))
    prefix = f"{what}: " if what else ""
    logger.error("%sunexpected %s (message withheld)\n%s", prefix, type(exc).__name__, where)
