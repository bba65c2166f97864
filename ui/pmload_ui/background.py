"""The one way the app runs work off the GUI thread (in the spirit of Anki's ``QueryOp``).

Usage::

    op = (
        BackgroundOp(work, parent=widget)   # work(job) runs on the global QThreadPool
        .success(show)                      # show(result), on the GUI thread
        .failure(explain)                   # explain(exception), on the GUI thread
        .progress(update)                   # update(done, total, text), on the GUI thread
        .run_in_background()
    )
    op.cancel()                             # job.cancelled() becomes True

The work function gets a :class:`Job`: ``job.progress(done, total, text)``
reports progress and ``job.cancelled()`` says whether the user cancelled (the
work then stops its own way, e.g. by raising ``ImportCancelled``).

The failure callback gets the exception object, so a cancel is told by its
type, never by a word in a message. Without a failure callback the op shows
:func:`failure_text` in a message box. Logging never carries a message: a
:class:`PmloadError` is logged by its type name only (its sentence may quote
a title or a path), anything else through :func:`pmload.logs.log_unexpected`
(type and code lines). The exception reaches the callback without its
traceback, so no frame (and no passphrase in one) outlives the work.

Callbacks are skipped once ``parent`` has been deleted (a dialog closed while
its preview rendered). Every op is kept alive until its result is delivered,
so an op needs no reference of the caller's.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pmload.errors import PmloadError
from pmload.logs import log_unexpected

log = logging.getLogger(__name__)

T = TypeVar("T")

# Modules the background work imports. PySide6 hooks every Python import
# (shibokensupport's feature check reads the module source); importing on a
# pool thread while the GUI thread runs can corrupt memory and crash the
# process ("Fatal Python error: none_dealloc"). So they are imported on the
# GUI thread before an op starts (tests/ui/test_background.py checks that
# every name here still exists, so a rename cannot silently drop one).
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
    "pmload.wipe",
)
# What the export preview renders with.
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
# What unlocking, creating, restoring and re-keying the journal use.
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


def failure_text(exc: BaseException) -> str:
    """One sentence for the user: a PmloadError's own, or a calm generic one."""
    if isinstance(exc, PmloadError) and str(exc).strip():
        text = str(exc).strip()
        return text[:1].upper() + text[1:]
    return f"Something went wrong ({type(exc).__name__}); the details are in the log file."


def show_failure(exc: BaseException, parent: QObject | None = None) -> None:
    """The default failure handler: :func:`failure_text` in a (non-blocking) message box."""
    window = parent.window() if isinstance(parent, QWidget) else None
    ok = QMessageBox.StandardButton.Ok
    box = QMessageBox(QMessageBox.Icon.Warning, "pmload", failure_text(exc), ok, window)
    box.setObjectName("background-failure")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


class Job:
    """What the work function sees: progress reporting and the cancel flag."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, text: str) -> None:
        self._report(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


_PROGRESS, _SUCCEEDED, _FAILED = range(3)


class _Dispatcher(QObject):
    """Lives on the GUI thread; carries (op, kind, payload) from pool threads to it."""

    posted = Signal(object, int, object)

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object, int, object)
    def _deliver(self, op: BackgroundOp[Any], kind: int, payload: object) -> None:
        op._deliver(kind, payload)


_dispatcher: _Dispatcher | None = None
_live_ops: set[BackgroundOp[Any]] = set()  # until delivered; touched on the GUI thread only


def _gui_dispatcher() -> _Dispatcher:
    global _dispatcher
    if QApplication.instance() is None or threading.current_thread() is not threading.main_thread():
        raise RuntimeError("background ops are started from the GUI thread")
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()
    return _dispatcher


def _detach(exc: BaseException) -> BaseException:
    """Drop the tracebacks of ``exc`` and its chain (logged already; their frames hold values)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return exc


class BackgroundOp(Generic[T]):
    """``fn(job)`` on a pool thread; its result, failure and progress on the GUI thread."""

    def __init__(
        self,
        fn: Callable[[Job], T],
        parent: QObject | None = None,
        *,
        imports: tuple[str, ...] = BACKGROUND_MODULES,
    ) -> None:
        self._fn: Callable[[Job], T] | None = fn
        self._parent = parent
        self._imports = imports
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_progress: Callable[[int, int, str], None] | None = None
        self._on_finished: list[Callable[[], None]] = []
        self._dispatcher: _Dispatcher | None = None
        self._running = False
        self.job = Job(self._post_progress)

    # --- building ----------------------------------------------------------

    def success(self, cb: Callable[[T], None]) -> BackgroundOp[T]:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> BackgroundOp[T]:
        self._on_failure = cb
        return self

    def progress(self, cb: Callable[[int, int, str], None]) -> BackgroundOp[T]:
        self._on_progress = cb
        return self

    def finished(self, cb: Callable[[], None]) -> BackgroundOp[T]:
        """Also call ``cb`` after the success or failure callback (several may be added)."""
        self._on_finished.append(cb)
        return self

    @property
    def handles_failure(self) -> bool:
        return self._on_failure is not None

    # --- running -----------------------------------------------------------

    def run_in_background(self) -> BackgroundOp[T]:
        """Start the work on the global pool (call on the GUI thread, once); returns this op."""
        if self._running or self._fn is None:
            raise RuntimeError("a background op runs once")
        self._dispatcher = _gui_dispatcher()
        preload(self._imports)
        self._running = True
        _live_ops.add(self)
        QThreadPool.globalInstance().start(self._work)
        return self

    @property
    def is_running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        """Ask the work to stop: ``job.cancelled()`` is True from now on."""
        self.job.cancel()

    def _work(self) -> None:  # on a pool thread
        assert self._fn is not None
        try:
            result = self._fn(self.job)
        except PmloadError as exc:  # the sentence may quote a title or a path: type only
            log.info("background work ended with %s", type(exc).__name__)
            self._post(_FAILED, _detach(exc))
        except BaseException as exc:  # every failure reaches the GUI thread, logged calmly
            log_unexpected(log, exc, what="background work")
            self._post(_FAILED, _detach(exc))
        else:
            self._post(_SUCCEEDED, result)

    def _post(self, kind: int, payload: object) -> None:
        assert self._dispatcher is not None
        self._dispatcher.posted.emit(self, kind, payload)

    def _post_progress(self, done: int, total: int, text: str) -> None:
        self._post(_PROGRESS, (done, total, text))

    def _alive(self) -> bool:
        return self._parent is None or shiboken6.isValid(self._parent)

    def _deliver(self, kind: int, payload: Any) -> None:  # on the GUI thread
        if kind == _PROGRESS:
            if self._on_progress is not None and self._running and self._alive():
                self._on_progress(*payload)
            return
        self._running = False
        _live_ops.discard(self)
        try:
            if not self._alive():
                return
            try:
                if kind == _SUCCEEDED:
                    if self._on_success is not None:
                        self._on_success(payload)
                elif self._on_failure is not None:
                    self._on_failure(payload)
                else:
                    show_failure(payload, self._parent)
            finally:
                for cb in self._on_finished:
                    cb()
        finally:
            self._release()

    def _release(self) -> None:
        """Drop the work and the callbacks (and what their closures hold, e.g. a
        passphrase) as soon as the result is delivered, not when a GC pass runs."""
        self._fn = None
        self._on_success = self._on_failure = self._on_progress = None
        self._on_finished = []
