"""The one background-operation API: results, failures (as exception objects), progress,
cancel, careful logging, and the modules it imports on the GUI thread."""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from pmload_ui.background import (
    BACKGROUND_MODULES,
    EXPORT_MODULES,
    JOURNAL_MODULES,
    BackgroundOp,
    Job,
    failure_text,
)
from pmload_ui.main_window import MainWindow
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from pmload.context import Context
from pmload.errors import ImportCancelled, PmloadError
from pmload.logs import setup_logging
from pmload.paths import Paths, resolve_paths
from tests.ui.conftest import make_window, write_ics

MARKER = "Zq7-private-meeting-title-5521"


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@pytest.fixture
def log_file(pmload_home: Path) -> Iterator[Path]:
    """pmload's own rotating log file, as the app sets it up, in the test's home."""
    paths: Paths = resolve_paths()
    setup_logging(paths)
    yield paths.log_file
    root = logging.getLogger()
    for handler in [h for h in root.handlers if type(h).__name__ == "_PmloadLog"]:
        root.removeHandler(handler)
        handler.close()


def test_success_delivers_the_result_on_the_gui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[str, bool]] = []

    def work(job: Job) -> str:
        seen.append(("work", on_gui_thread()))
        return "figures"

    got: list[str] = []

    def show(result: str) -> None:
        got.append(result)
        seen.append(("cb", on_gui_thread()))

    op = BackgroundOp(work).success(show)
    op.finished(lambda: seen.append(("finished", on_gui_thread())))
    op.run_in_background()
    assert op.is_running
    qtbot.waitUntil(lambda: not op.is_running, timeout=5000)
    assert got == ["figures"]
    assert seen == [("work", False), ("cb", True), ("finished", True)]


def test_failure_gets_the_exception_object_and_the_log_only_its_type(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture, log_file: Path
) -> None:
    failures: list[BaseException] = []

    def calm(job: Job) -> None:
        raise PmloadError(f"the calendar '{MARKER}' cannot be read.")

    def crash(job: Job) -> None:
        raise ValueError(f"bad value in {MARKER}")

    with caplog.at_level(logging.DEBUG):
        for fn in (calm, crash):
            op = BackgroundOp(fn).failure(failures.append).run_in_background()
            qtbot.waitUntil(lambda op=op: not op.is_running, timeout=5000)  # type: ignore[misc]
    assert [type(e) for e in failures] == [PmloadError, ValueError]
    assert all(e.__traceback__ is None for e in failures)  # no frame outlives the work
    # what the user reads: the PmloadError's sentence, or a calm generic one
    assert failure_text(failures[0]) == f"The calendar '{MARKER}' cannot be read."
    assert failure_text(failures[1]) == (
        "Something went wrong (ValueError); the details are in the log file."
    )
    # what the log keeps: type names and, for the unexpected one, code lines
    assert "PmloadError" in caplog.text and "ValueError" in caplog.text
    assert "test_background.py" in caplog.text
    written = log_file.read_text(encoding="utf-8")
    assert "ValueError" in written and "PmloadError" in written
    assert MARKER not in caplog.text and MARKER not in written


def test_progress_arrives_on_the_gui_thread_before_the_result(qtbot: QtBot) -> None:
    events: list[tuple[object, ...]] = []

    def work(job: Job) -> int:
        for i in range(3):
            job.progress(i, 3, f"file{i}.ics")
        return 3

    op = (
        BackgroundOp(work)
        .progress(lambda d, t, text: events.append((d, t, text, on_gui_thread())))
        .success(lambda r: events.append(("done", r, on_gui_thread())))
        .run_in_background()
    )
    qtbot.waitUntil(lambda: not op.is_running, timeout=5000)
    assert events == [
        (0, 3, "file0.ics", True),
        (1, 3, "file1.ics", True),
        (2, 3, "file2.ics", True),
        ("done", 3, True),
    ]


def test_cancel_reaches_the_work(qtbot: QtBot) -> None:
    started = threading.Event()
    failures: list[BaseException] = []

    def work(job: Job) -> None:
        started.set()
        while not job.cancelled():
            threading.Event().wait(0.01)
        raise ImportCancelled

    op = BackgroundOp(work).failure(failures.append).run_in_background()
    assert started.wait(5)
    op.cancel()
    qtbot.waitUntil(lambda: not op.is_running, timeout=5000)
    assert [type(e) for e in failures] == [ImportCancelled]


def test_no_callback_after_the_parent_is_gone(qtbot: QtBot) -> None:
    parent = QWidget()
    gate = threading.Event()
    called: list[str] = []
    op = BackgroundOp(lambda job: gate.wait(5), parent).success(lambda r: called.append("x"))
    op.run_in_background()
    parent.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(parent), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: not op.is_running, timeout=5000)
    assert called == []


def test_the_default_failure_handler_shows_one_sentence(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def work(job: Job) -> None:
        raise KeyError(MARKER)

    op = BackgroundOp(work, parent).run_in_background()
    qtbot.waitUntil(lambda: not op.is_running, timeout=5000)
    box = parent.findChild(QMessageBox, "background-failure")
    assert box is not None
    assert box.text() == "Something went wrong (KeyError); the details are in the log file."
    box.close()


@pytest.mark.parametrize("name", BACKGROUND_MODULES + EXPORT_MODULES + JOURNAL_MODULES)
def test_every_preloaded_module_exists(name: str) -> None:
    """preload() skips a missing module quietly: a rename must fail here instead."""
    assert importlib.util.find_spec(name) is not None


def test_a_cancelled_import_is_told_by_its_type(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [write_ics(tmp_path / f"cal{i:02d}.ics") for i in range(40)]
    failures: list[BaseException] = []
    real = window.imports._failed

    def spy(exc: BaseException) -> None:
        failures.append(exc)
        real(exc)

    monkeypatch.setattr(window.imports, "_failed", spy)
    shown: list[str] = []
    window.session.failed.connect(shown.append)
    messages: list[str] = []
    window.session.message.connect(messages.append)
    window.show()
    window.imports.start(files)
    assert window.imports.progress is not None
    window.imports.progress.canceled.emit()  # what its Cancel button does
    qtbot.waitUntil(lambda: not window.session.busy, timeout=20000)
    assert [type(e) for e in failures] == [ImportCancelled]
    assert shown == []  # a cancel is no failure: no dialog
    assert messages[-1] == failure_text(ImportCancelled())


def test_a_failure_that_mentions_cancelled_is_still_shown(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old flow searched the sentence for "cancelled": a home folder named so hid errors."""
    home = tmp_path / "cancelled-projects"
    monkeypatch.setenv("PMLOAD_HOME", str(home))
    ctx = Context(str(home), "Europe/Paris")
    ctx.paths.ensure()
    window = make_window(qtbot, ctx)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    window.show()
    ctx.close()
    for leftover in ctx.paths.data_dir.glob("pmload.sqlite3-*"):
        leftover.unlink()
    ctx.paths.database.write_bytes(b"this is no database " * 400)  # damaged under pmload
    window.imports.start([write_ics(tmp_path / "work.ics")])
    qtbot.waitUntil(lambda: not window.session.busy, timeout=20000)
    assert len(warnings) == 1
    assert warnings[0].startswith("The database ") and "cannot be opened" in warnings[0]
    ctx.close()
