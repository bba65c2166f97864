"""First run, importing (dialog, drag and drop, rejected files), window state, screenshots."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from pmload_ui.app import qt_message_handler
from pmload_ui.main_window import MainWindow
from pmload_ui.week_view import WeekView
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from pmload.context import Context
from pmload.period import parse_week
from tests.ui.conftest import RULES, make_window, write_ics


def answer_first_run(qtbot: QtBot, window: MainWindow) -> None:
    """Save the first-run question's answers, asked once the import is in the store."""
    from pmload_ui.first_run import FirstRunDialog

    qtbot.waitUntil(lambda: window.findChild(FirstRunDialog) is not None, timeout=20000)
    dialog = window.findChild(FirstRunDialog)
    assert dialog is not None
    dialog.accept()


def test_first_run_offers_three_ways_in(window: MainWindow) -> None:
    window.show()
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.import_button.isEnabled()
    assert window.welcome.google_button.isEnabled()
    assert "read-only" in window.welcome.google_button.toolTip()
    assert window.welcome.sample_button.isEnabled()


def test_first_run_with_the_sample_calendar(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        QTest.mouseClick(window.welcome.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.session.busy, timeout=10000)
    assert window.session.settings.me == ("alex.rivera@northwind.test",)
    week = window.view("week")
    assert isinstance(week, WeekView)
    assert window.stack.currentWidget() is week
    # The current week is full: counted meetings on every weekday, Monday to Friday.
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    assert window.session.week == monday
    counted = [c for c in window.session.week_meetings() if c.excluded is None]
    zone = window.session.ctx.zone
    assert {c.occ.start.astimezone(zone).weekday() for c in counted} == {0, 1, 2, 3, 4}
    assert week.model.rowCount() == len(window.session.week_meetings()) > 15
    assert week.share_label.text().endswith("%")
    # The sample has people the rules do not know, so the review queue has work.
    assert window.session.analysis is not None
    assert window.session.analysis.review_queue()


def test_import_through_the_dialog(
    qtbot: QtBot, window: MainWindow, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx.paths.rules_file.write_text(RULES, encoding="utf-8")
    ctx.reload_settings()
    ics = write_ics(tmp_path / "work.ics")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(ics)], "Calendars (*.ics)")
    )
    window.show()
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        window.act_import.trigger()
    report = window.imports.last_report
    assert report is not None and [r.status for r in report.results] == ["imported"]
    window.session.set_week(parse_week("2026-W02"))
    week = window.view("week")
    assert isinstance(week, WeekView)
    assert window.stack.currentWidget() is week
    titles = {week.model.row_record(r).occ.title for r in range(week.model.rowCount())}
    assert titles == {"Model questions from Sales", "Catch-up"}
    cats = {
        week.model.row_record(r).occ.title: week.model.row_record(r).category
        for r in range(week.model.rowCount())
    }
    assert cats == {"Model questions from Sales": "translation", "Catch-up": "unclassified"}


def test_rejected_files_are_listed_with_their_reason(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.ics"
    bad.write_text("this is not a calendar", encoding="utf-8")
    good = write_ics(tmp_path / "good.ics")
    window.show()
    with qtbot.waitSignal(window.imports.finished, timeout=20000) as blocker:
        window.imports.start([bad, good])
    report = blocker.args[0]
    assert [r.status for r in report.results] == ["rejected", "imported"]
    box = window.findChild(QMessageBox, "rejected-files")
    assert box is not None
    assert "broken.ics: " + report.rejected[0].message in box.text()
    box.close()
    qtbot.waitUntil(lambda: not window.session.busy, timeout=10000)


def test_drop_ics_files_and_folders_imports_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "cals"
    folder.mkdir()
    write_ics(folder / "a.ics")
    (tmp_path / "notes.txt").write_text("not a calendar", encoding="utf-8")
    window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    assert (
        window._dropped_paths(
            QDropEvent(
                QPointF(5, 5),
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
            )
        )
        == []
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        answer_first_run(qtbot, window)
    assert window.session.has_data()


def test_the_first_run_question_writes_me_and_zone(
    qtbot: QtBot, window: MainWindow, ctx: Context, tmp_path: Path
) -> None:
    from pmload_ui.first_run import FirstRunDialog

    ics = write_ics(tmp_path / "work.ics")
    window.show()
    window.imports.start([ics])
    qtbot.waitUntil(lambda: window.findChild(FirstRunDialog) is not None, timeout=20000)
    dialog = window.findChild(FirstRunDialog)
    assert dialog is not None and dialog.isVisible()
    # Asked before anything is drawn: no week is loaded behind the question.
    assert window.session.analysis is None
    # Found in every event: the user's own address is guessed.
    assert dialog.me.text() == "me@acme.test"
    dialog.zone.setCurrentText("Europe/Berlin")
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        dialog.accept()
    settings = window.session.settings
    assert settings.me == ("me@acme.test",) and settings.timezone == "Europe/Berlin"
    assert "me@acme.test" in ctx.paths.rules_file.read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: not window.session.busy, timeout=10000)
    # Asked once only.
    assert not window.imports.ask_first_run_questions()


def test_window_geometry_and_last_view_are_remembered(
    qtbot: QtBot, sample_window: MainWindow, ctx: Context
) -> None:
    sample_window.show_view("people")
    sample_window.resize(800, 560)
    sample_window.close()
    assert ctx.paths.gui_settings_file.exists()
    again = make_window(qtbot, ctx)
    assert again.current_view() == "people"
    assert again.height() == 560  # the offscreen screen is 800 px wide: width is clamped


def test_qt_messages_go_to_logging(caplog: pytest.LogCaptureFixture) -> None:
    from PySide6.QtCore import QtMsgType

    with caplog.at_level(logging.INFO, logger="qt"):
        qt_message_handler(QtMsgType.QtInfoMsg, None, "hello from Qt")
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("qt", logging.INFO, "hello from Qt")
    ]


def run_gui(ctx: Context, *args: str) -> subprocess.CompletedProcess[str]:
    """``pmload-gui --home HOME ARGS...`` in a fresh offscreen process."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pmload_ui.app import main; sys.exit(main(sys.argv[1:]))",
            "--home",
            str(ctx.paths.config_dir.parent),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_screenshot_renders_the_window_and_exits_0(ctx: Context, tmp_path: Path) -> None:
    from pmload.ingest.sample import install_sample

    install_sample(ctx.paths, ctx.conn, ctx.zone)
    out = tmp_path / "trends.png"
    proc = run_gui(ctx, "--screenshot", str(out), "--view", "trends")
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 780)
    # the trends chart was drawn: a blank or single-colour window has few colours,
    # and the translation bars are in the chart's vermillion or blue
    colours = {image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 780, 7)}
    assert len(colours) > 50
    rgb = [((c >> 16) & 255, (c >> 8) & 255, c & 255) for c in colours]
    assert any(abs(r - 0xD5) + abs(g - 0x5E) + abs(b) < 40 for r, g, b in rgb) or any(
        abs(r - 0x56) + abs(g - 0xB4) + abs(b - 0xE9) < 40 for r, g, b in rgb
    )
    # rendering offscreen leaves the user's window size and last view alone
    gui_ini = ctx.paths.gui_settings_file
    assert not gui_ini.exists() or "geometry" not in gui_ini.read_text()


def test_screenshot_with_a_bad_week_is_one_sentence(ctx: Context, tmp_path: Path) -> None:
    proc = run_gui(ctx, "--screenshot", str(tmp_path / "x.png"), "--week", "2026-W60")
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "W02" in proc.stderr


def test_the_journal_is_a_view_of_the_window(sample_window: MainWindow) -> None:
    from pmload_ui.journal_view import JournalView

    names = [sample_window.sidebar.item(r).text() for r in range(sample_window.sidebar.count())]
    assert names == ["Week", "Review", "People", "Trends", "Journal", "Settings"]
    sample_window.show_view("journal")
    journal = sample_window.view("journal")
    assert isinstance(journal, JournalView)
    assert sample_window.stack.currentWidget() is journal
    # The journal sees the same weekly shares as the Week view.
    shares = sample_window._weekly_shares()
    week = sample_window.view("week")
    assert isinstance(week, WeekView) and week.audit is not None
    assert shares[week.audit.week] == week.audit.translation_share
    figures = sample_window._week_figures(week.audit.week)
    assert figures is not None and figures.streak == week.audit.streak


def test_an_import_can_be_cancelled(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    files = [
        write_ics(tmp_path / f"cal{i:02d}.ics", monday=f"202601{5 + i % 20:02d}") for i in range(40)
    ]
    window.show()
    messages: list[str] = []
    window.session.message.connect(messages.append)
    window.imports.start(files)
    assert window.imports.progress is not None
    window.imports.progress.canceled.emit()  # what its Cancel button does
    qtbot.waitUntil(lambda: not window.session.busy, timeout=20000)
    assert any("cancelled" in m for m in messages)
    assert window.imports.progress is None
    stored = window.session.ctx.conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    assert stored < len(files)


def test_export_opens_the_export_dialog(qtbot: QtBot, sample_window: MainWindow) -> None:
    from pmload_ui.export_dialog import ExportDialog

    assert sample_window.act_export.isEnabled()
    sample_window.act_export.trigger()
    dialog = sample_window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.previewReady, timeout=20000):
        pass
    dialog.close()


def test_reimport_reads_changed_files_again(
    qtbot: QtBot, window: MainWindow, ctx: Context, tmp_path: Path
) -> None:
    ctx.paths.rules_file.write_text(RULES, encoding="utf-8")
    ctx.reload_settings()
    ics = write_ics(tmp_path / "work.ics")
    window.show()
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        window.imports.start([ics])
    ics.write_text(
        ics.read_text(encoding="utf-8").replace("Catch-up", "Roadmap catch-up"), encoding="utf-8"
    )
    assert window.act_refresh.isEnabled()
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        window.act_refresh.trigger()
    assert window.imports.last_report is not None
    assert [r.status for r in window.imports.last_report.results] == ["imported"]
    assert window.session.analysis is not None
    titles = {c.occ.title: c.category for c in window.session.analysis.classified}
    assert titles["Roadmap catch-up"] == "strategy"


def test_the_sample_asks_before_joining_real_data(
    qtbot: QtBot, window: MainWindow, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ics = write_ics(tmp_path / "work.ics")
    window.show()
    window.imports.start([ics])
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        answer_first_run(qtbot, window)
    asked: list[str] = []

    def no(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    window.act_sample.trigger()
    assert asked and "beside your own data" in asked[0]
    assert window.imports.progress is None
    assert ctx.conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 1


def test_uncaught_errors_are_logged_without_their_message_and_shown_calmly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from pmload_ui.app import make_excepthook

    shown: list[str] = []
    hook = make_excepthook(tmp_path / "pmload.log", shown.append)
    secret = "MARKER-journal-note-4711"
    try:
        raise ValueError(f"bad value {secret}")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="pmload_ui.app"):
            hook(ValueError, exc, exc.__traceback__)
    assert shown and "your data is safe" in shown[0] and str(tmp_path / "pmload.log") in shown[0]
    assert "ValueError" in caplog.text and "test_app_flows.py" in caplog.text
    assert secret not in caplog.text and secret not in shown[0]
    # and a crash report beside the log, named in the message, with nothing private
    reports = list(tmp_path.glob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in shown[0]
    text = reports[0].read_text(encoding="utf-8")
    assert "builtins.ValueError (message withheld)" in text and "test_app_flows.py" in text
    assert secret not in text
