"""Background work on the global QThreadPool, so the window never freezes.

A :class:`Worker` runs one callable off the GUI thread. The callable gets a
:class:`Job` it can use to report progress and to ask whether the user
cancelled. Results come back through signals, delivered in the GUI thread.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from pmload.errors import PmloadError

log = logging.getLogger(__name__)

# Modules the background work imports. PySide6 hooks every Python import
# (shibokensupport's feature check reads the module source); importing on a
# pool thread while the GUI thread runs can corrupt memory and crash the
# process ("Fatal Python error: none_dealloc"). So they are imported on the
# GUI thread before the first worker starts.
BACKGROUND_MODULES = (
    "icalendar",
    "icalendar.timezone.windows_to_olson",
    "recurring_ical_events",
    "x_wr_timezone",
    "pmload.ingest.expand",
    "pmload.ingest.ics_text",
    "pmload.ingest.importer",
    "pmload.ingest.parallel",
    "pmload.rules.analysis",
    "pmload.ingest.sample",
)
# What the export preview renders with, and what unlocking the journal uses.
EXPORT_MODULES = (
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_pdf",
    "matplotlib.backends.backend_svg",
    "pmload.export.charts",
    "pmload.export.brief",
    "pmload.export.brief_facts",
    "pmload.export.data",
    "pmload.export.render",
    "pmload.export.redact",
)
JOURNAL_MODULES = (
    "cryptography.exceptions",
    "cryptography.hazmat.primitives.ciphers.aead",
    "cryptography.hazmat.primitives.kdf.argon2",
    "cryptography.hazmat.primitives.kdf.scrypt",
    "pmload.journal",
)


def preload(modules: tuple[str, ...] = BACKGROUND_MODULES) -> None:
    """Import ``modules`` now, on the calling (GUI) thread; missing ones are skipped."""
    for name in modules:
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except ImportError:
            log.debug("cannot preload %s", name)


class Job:
    """What the work function sees: progress reporting and the cancel flag."""

    def __init__(self, signals: WorkerSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, text: str) -> None:
        self._signals.progress.emit(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class WorkerSignals(QObject):
    """Signals of a :class:`Worker`.

    succeeded(object): the work function's return value.
    failed(str): one sentence for the user (a PmloadError's message, or a
        generic sentence when something unexpected happened; the traceback
        goes to the log).
    progress(int, int, str): done, total, what is being done.
    finished(): after succeeded or failed.
    """

    succeeded = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int, str)
    finished = Signal()


class Worker(QRunnable):
    """Runs ``fn(job)`` on a pool thread and reports through :attr:`signals`."""

    def __init__(self, fn: Callable[[Job], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = WorkerSignals()
        self.job = Job(self.signals)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn(self.job)
        except PmloadError as exc:
            log.info("background work failed: %s", exc)
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            log.error("background work crashed:\n%s", traceback.format_exc())
            self.signals.failed.emit(
                f"Something went wrong ({type(exc).__name__}); the details are in the log file."
            )
        else:
            self.signals.succeeded.emit(result)
        self.signals.finished.emit()


def start(
    fn: Callable[[Job], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    pool: QThreadPool | None = None,
) -> Worker:
    """Start ``fn`` in the pool and connect the given callbacks; returns the worker."""
    preload()
    worker = Worker(fn)
    if on_success is not None:
        worker.signals.succeeded.connect(on_success)
    if on_failure is not None:
        worker.signals.failed.connect(on_failure)
    if on_progress is not None:
        worker.signals.progress.connect(on_progress)
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker
