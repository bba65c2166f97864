"""The status bar says only what is true now, and nothing private."""

from __future__ import annotations

import pytest
from pmload_ui.journal_view import JournalView
from pmload_ui.main_window import MainWindow
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.ui.test_journal_view import PASS, existing


def journal_of(w: MainWindow) -> JournalView:
    w.show_view("journal")
    view = w.view("journal")
    assert isinstance(view, JournalView)
    return view


def unlock_in(qtbot: QtBot, w: MainWindow, view: JournalView) -> list[str]:
    """Unlock through the view's widgets; returns what the status bar showed meanwhile."""
    shown: list[str] = []
    w.statusBar().messageChanged.connect(shown.append)
    QTest.keyClicks(view.passphrase, PASS)
    with qtbot.waitSignal(view.unlocked, timeout=10000):
        QTest.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)
    return shown


@pytest.mark.usefixtures("fast_kdf")
def test_unlocking_is_said_while_it_lasts_only(qtbot: QtBot, sample_window: MainWindow) -> None:
    existing(sample_window.session.paths)
    view = journal_of(sample_window)
    shown = unlock_in(qtbot, sample_window, view)
    assert "Unlocking…" in shown
    assert sample_window.statusBar().currentMessage() == ""


@pytest.mark.usefixtures("fast_kdf")
def test_check_in_scores_never_reach_the_status_bar(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    existing(sample_window.session.paths)
    view = journal_of(sample_window)
    shown = unlock_in(qtbot, sample_window, view)
    for key, answers in (("ucla", (3, 3, 3)), ("cbi", (1, 2, 3, 4, 5, 5, 1))):
        dialog = view.start_checkin(key)
        dialog.choose(answers)
        with qtbot.waitSignal(view.journalChanged):
            dialog.accept()
    assert "loneliness score is 9" in view.checkin_result.text()  # shown in the journal
    sample_window.show_view("week")  # and gone with it
    for text in [*shown, sample_window.statusBar().currentMessage()]:
        assert "score" not in text and "lonely" not in text.lower(), text
        assert "35.7" not in text and " 9" not in text, text
    assert "Check-in saved." in shown


def test_no_loading_message_on_the_empty_welcome_screen(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    with qtbot.waitSignal(window.session.loaded, timeout=10000):
        window.session.load_async()
    assert window.stack.currentWidget() is window.welcome
    assert not any("Loading" in text for text in shown)
    assert window.statusBar().currentMessage() == ""


def test_the_loading_message_goes_once_loaded(qtbot: QtBot, sample_window: MainWindow) -> None:
    shown: list[str] = []
    sample_window.statusBar().messageChanged.connect(shown.append)
    with qtbot.waitSignal(sample_window.session.loaded, timeout=20000):
        sample_window.session.load_async()
    assert "Loading your calendar…" in shown
    assert sample_window.statusBar().currentMessage() == ""
