"""The Journal view driven through its real widgets: create, unlock, write, lock, files."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pmload_ui.journal_view import JournalView
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from pmload.journal import Entry, Journal
from pmload.journal.insights import week_label
from pmload.paths import Paths, resolve_paths
from tests.privacy import scan_for

PASS = "correct horse battery"
MARKER = "Qx9-gui-journal-marker-3187"


pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.fixture
def paths(pmload_home: Path) -> Paths:
    return resolve_paths().ensure()


def make_view(qtbot: QtBot, paths: Paths, **kw: Any) -> JournalView:
    view = JournalView(paths, **kw)
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    return view


def unlock(qtbot: QtBot, view: JournalView, passphrase: str = PASS) -> None:
    QTest.keyClicks(view.passphrase, passphrase)
    with qtbot.waitSignal(view.unlocked, timeout=10000):
        QTest.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)


def existing(paths: Paths, entries: int = 0) -> Journal:
    j = Journal.create(paths.journal_file, PASS)
    data = j.data
    for i in range(entries):
        data = data.with_entry(Entry(date(2026, 1, 5) + timedelta(days=7 * i), i % 11, 5))
    j.save(data)
    return j


def test_create_write_lock_leaves_no_plaintext(
    qtbot: QtBot, paths: Paths, pmload_home: Path, private_tmpdir: Path
) -> None:
    view = make_view(qtbot, paths)
    assert view.unlock_button.text() == "Create journal"
    assert view.warning.isVisible() and "no way to recover" in view.warning.text()
    QTest.keyClicks(view.passphrase, "short")
    QTest.keyClicks(view.confirm, "short")
    QTest.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)
    assert "at least 8 characters" in view.lock_status.text()
    assert not paths.journal_file.exists()
    view.passphrase.clear()
    view.confirm.clear()
    QTest.keyClicks(view.passphrase, PASS)
    QTest.keyClicks(view.confirm, PASS)
    with qtbot.waitSignal(view.unlocked, timeout=10000):
        QTest.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)
    assert view.passphrase.text() == "" and view.confirm.text() == ""

    editor = view.editor
    editor.burnout.slider.setValue(8)
    editor.isolation.slider.setValue(6)
    editor.kinds["credibility"].setChecked(True)
    QTest.keyClicks(editor.note, f"{MARKER} note")
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert view.history_model.rowCount() == 1
    QTest.keyClicks(view.peers.name, f"{MARKER}-peer")
    QTest.mouseClick(view.peers.add_button, Qt.MouseButton.LeftButton)
    QTest.keyClicks(view.review.answer, f"{MARKER} review")
    QTest.mouseClick(view.review.save_button, Qt.MouseButton.LeftButton)
    view.lock()
    assert view.is_locked and view.editor.note.toPlainText() == ""
    assert view.history_model.rowCount() == 0

    assert scan_for(MARKER, pmload_home, private_tmpdir) == []
    data = Journal.unlock(paths.journal_file, PASS).data
    assert data.entries[0].note == f"{MARKER} note"
    assert data.entries[0].kinds == ("credibility",)
    assert (data.entries[0].burnout, data.entries[0].isolation) == (8, 6)
    assert data.peers[0].name == f"{MARKER}-peer"
    assert data.reviews[0].answer == f"{MARKER} review"


def test_wrong_passphrase_and_damaged_file(qtbot: QtBot, paths: Paths) -> None:
    existing(paths, entries=2)
    view = make_view(qtbot, paths)
    assert view.unlock_button.text() == "Unlock" and not view.confirm.isVisible()
    QTest.keyClicks(view.passphrase, "not my passphrase")
    QTest.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: view.lock_status.text() == "That passphrase does not open this journal."
    )
    assert view.is_locked
    blob = bytearray(paths.journal_file.read_bytes())
    blob[150] ^= 0x10
    paths.journal_file.write_bytes(bytes(blob))
    QTest.keyClicks(view.passphrase, PASS)
    QTest.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "damaged" in view.lock_status.text())
    assert "nothing was changed" in view.lock_status.text()
    assert view.is_locked and paths.journal_file.read_bytes() == bytes(blob)
    # the previous version (before the last save) is offered and opens
    assert view.recover_button.isVisible()
    QTest.keyClicks(view.passphrase, PASS)
    with qtbot.waitSignal(view.unlocked, timeout=10000):
        QTest.mouseClick(view.recover_button, Qt.MouseButton.LeftButton)
    assert view.history_model.rowCount() == 0  # the version before the entries were added
    assert paths.journal_file.read_bytes() != bytes(blob)


def test_auto_lock_after_idle_time(qtbot: QtBot, paths: Paths) -> None:
    existing(paths, entries=1)
    view = make_view(qtbot, paths, auto_lock_minutes=0)
    unlock(qtbot, view)
    assert view.history_model.rowCount() == 1
    with qtbot.waitSignal(view.locked, timeout=5000):
        view.set_auto_lock_minutes(0.003)  # about 0.2 s
    assert view.is_locked and view.history_model.rowCount() == 0
    assert "without activity" in view.lock_status.text()


def test_checkins_through_the_dialogs(qtbot: QtBot, paths: Paths) -> None:
    existing(paths)
    view = make_view(qtbot, paths)
    unlock(qtbot, view)
    dialog = view.start_checkin("ucla")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.choose((1, 2, 3))
    assert ok.isEnabled()
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    dialog = view.start_checkin("cbi")
    dialog.choose((1, 2, 3, 4, 5, 5, 1))
    with qtbot.waitSignal(view.journalChanged):
        dialog.accept()
    assert view.checkins_model.rowCount() == 2
    assert "loneliness score is 6" in view.checkin_result.text()
    assert "burnout score is 35.7 out of 100" in view.checkin_result.text()
    stored = Journal.unlock(paths.journal_file, PASS).data.checkins
    assert {(c.instrument, c.answers) for c in stored} == {
        ("ucla", (1, 2, 3)),
        ("cbi", (1, 2, 3, 4, 5, 5, 1)),
    }


def test_history_models_and_editing(qtbot: QtBot, paths: Paths, qtmodeltester: Any) -> None:
    existing(paths, entries=3)
    view = make_view(qtbot, paths)
    unlock(qtbot, view)
    qtmodeltester.check(view.history_model)
    qtmodeltester.check(view.checkins_model)
    view.history.selectRow(0)  # newest first
    assert view.editor.burnout.slider.value() == 2
    view.editor.burnout.slider.setValue(9)
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(view.editor.save_button, Qt.MouseButton.LeftButton)
    entries = Journal.unlock(paths.journal_file, PASS).data.entries
    assert [e.burnout for e in entries] == [0, 1, 9]


def test_chart_states_the_correlation(qtbot: QtBot, paths: Paths) -> None:
    existing(paths, entries=8)
    shares = {
        week_label(date(2026, 1, 5) + timedelta(days=7 * i)): 0.1 * (i % 11) for i in range(8)
    }
    gate = threading.Event()
    on_gui_thread: list[bool] = []

    def whole_history_audit() -> dict[str, float]:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        gate.wait(5)  # a long audit: the window must stay responsive meanwhile
        return shares

    view = make_view(qtbot, paths, weekly_shares=whole_history_audit)
    unlock(qtbot, view)
    view.tabs.setCurrentWidget(view.chart)
    assert view.chart.sentence.text() == "Working out your weekly translation shares…"
    assert not view.chart.drawn
    with qtbot.waitSignal(view.shares.ready, timeout=10000):
        gate.set()
    assert on_gui_thread == [False]
    assert view.chart.drawn
    assert view.chart.sentence.text().startswith("Over 8 weeks of journal entries")
    assert "higher burnout the same week (a strong link, r = +1.00)" in view.chart.sentence.text()


def test_peer_council_and_calm_note(qtbot: QtBot, paths: Paths) -> None:
    j = existing(paths)
    today = date.today()
    data = j.data
    for i in range(3):
        data = data.with_entry(Entry(today - timedelta(days=7 * i), 8, 7))
    j.save(data.with_peer("Ana", today).talked_to("Ana", today - timedelta(days=45)))
    view = make_view(qtbot, paths)
    unlock(qtbot, view)
    assert view.notes.isVisible() and "someone you trust" in view.notes.text()
    assert "45 days since you talked with Ana" in view.peers.reminders.text()
    assert "45 days since you talked with Ana" in view.review.reminders.text()
    view.peers.list.setCurrentRow(0)
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(view.peers.talked_button, Qt.MouseButton.LeftButton)
    assert "Ana" not in view.peers.reminders.text()
    assert Journal.unlock(paths.journal_file, PASS).data.peers[0].last_talked == today


def test_change_passphrase(qtbot: QtBot, paths: Paths) -> None:
    existing(paths, entries=1)
    view = make_view(qtbot, paths)
    unlock(qtbot, view)
    dialog = view.change_passphrase()
    QTest.keyClicks(dialog.current, PASS)
    QTest.keyClicks(dialog.new, "a new passphrase")
    QTest.keyClicks(dialog.again, "a new passphrase")
    messages: list[str] = []
    view.message.connect(messages.append)
    with qtbot.waitSignal(view.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
        dialog.accept()
    assert len(Journal.unlock(paths.journal_file, "a new passphrase").data.entries) == 1
    assert "still open with the old passphrase" in messages[-1]


def test_backup_delete_restore(
    qtbot: QtBot, paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing(paths, entries=2)
    view = make_view(qtbot, paths)
    unlock(qtbot, view)
    backup = tmp_path / "backup.pmj"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(backup), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: yes)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: yes)
    view.backup_action.trigger()
    assert backup.exists()
    with qtbot.waitSignal(view.locked):
        view.delete_action.trigger()
    assert not any(paths.data_dir.glob("journal.pmj*"))
    assert view.unlock_button.text() == "Create journal"
    dialog = view.restore()
    assert dialog is not None
    QTest.keyClicks(dialog.edit, PASS)
    with qtbot.waitSignal(view.unlocked, timeout=10000):
        dialog.accept()
    assert view.history_model.rowCount() == 2
    assert paths.journal_file.exists()


def test_idle_lock_closes_an_open_checkin(qtbot: QtBot, paths: Paths) -> None:
    existing(paths)
    view = make_view(qtbot, paths, auto_lock_minutes=0)
    unlock(qtbot, view)
    dialog = view.start_checkin("cbi")
    dialog.choose((1, 1, 1, 1, 1, 1, 1))
    assert dialog.isVisible()
    with qtbot.waitSignal(view.locked, timeout=5000):
        view.set_auto_lock_minutes(0.003)
    assert not dialog.isVisible()
    assert Journal.unlock(paths.journal_file, PASS).data.checkins == ()


def test_errors_are_shown_in_one_sentence(
    qtbot: QtBot, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing(paths)
    view = make_view(qtbot, paths)
    unlock(qtbot, view)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    for _ in range(2):
        QTest.keyClicks(view.peers.name, "Ana")
        QTest.mouseClick(view.peers.add_button, Qt.MouseButton.LeftButton)
    assert shown == ["That peer is already in your council."]
    # another window saves meanwhile: this one refuses to overwrite it
    other = Journal.unlock(paths.journal_file, PASS)
    other.save(other.data.with_entry(Entry(date(2026, 1, 1), 1, 1)))
    QTest.mouseClick(view.editor.save_button, Qt.MouseButton.LeftButton)
    assert shown[-1] == "The journal was changed elsewhere; try again."
    assert len(Journal.unlock(paths.journal_file, PASS).data.entries) == 1
    with qtbot.waitSignal(view.journalChanged):  # trying again keeps the other window's entry
        QTest.mouseClick(view.editor.save_button, Qt.MouseButton.LeftButton)
    assert len(Journal.unlock(paths.journal_file, PASS).data.entries) == 2
    assert view.history_model.rowCount() == 2


def test_matplotlib_and_cryptography_load_only_when_needed() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pmload_ui.journal_view, pmload.cli.journal_cmd\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'cryptography'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_chart_line_is_the_settings_threshold_and_follows_the_palette(
    qtbot: QtBot, paths: Paths
) -> None:
    from PySide6.QtGui import QColor, QPalette

    existing(paths, entries=3)
    shares = {week_label(date(2026, 1, 5) + timedelta(days=7 * i)): 0.3 for i in range(3)}
    view = make_view(qtbot, paths, weekly_shares=lambda: shares, threshold=lambda: 0.35)
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    view.setPalette(dark)
    unlock(qtbot, view)
    view.tabs.setCurrentWidget(view.chart)
    qtbot.waitUntil(lambda: view.chart.drawn, timeout=10000)  # the shares come off the GUI thread
    view.chart.view.settle()
    fig = view.chart.view.figure
    assert fig is not None
    dashed = [
        line
        for ax in fig.axes
        for line in ax.lines
        if line.get_linestyle() == "--" and set(line.get_ydata()) == {0.35}  # type: ignore[arg-type]
    ]
    assert dashed, "the dashed line is not at the threshold from the settings"
    assert fig.get_facecolor()[:3] != (1.0, 1.0, 1.0), "a white block in dark mode"


def test_locking_while_it_unlocks_keeps_it_locked(qtbot: QtBot, paths: Paths) -> None:
    """Deleting all data locks the journal at once, even with an unlock on its way."""
    existing(paths, entries=1)
    view = make_view(qtbot, paths)
    QTest.keyClicks(view.passphrase, PASS)
    QTest.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)
    view.lock()
    with qtbot.waitSignal(view.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
        pass
    assert view.is_locked and view.stack.currentWidget() is view.locked_page
    assert view.history_model.rowCount() == 0
