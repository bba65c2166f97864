"""Nothing is written that the user did not choose: cell editors, journal entries, scores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pmload_ui.main_window import MainWindow
from pmload_ui.meetings_model import COL_CATEGORY
from pmload_ui.people_view import COL_SIDE, KeyRole, PeopleView
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from pmload.journal import Journal
from pmload.paths import Paths, resolve_paths
from tests.ui.test_journal_view import PASS, existing, make_view, unlock
from tests.ui.test_views import select_title, week_view


def click_away(qtbot: QtBot, editor: QWidget, elsewhere: QWidget) -> None:
    """A click on another widget: the open cell editor loses the focus to it."""
    window = editor.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert QApplication.focusWidget() is editor
    QTest.mouseClick(elsewhere, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is elsewhere


def test_opening_the_category_editor_and_leaving_writes_no_tag(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    view = week_view(sample_window)
    record = select_title(view, "ML standup")
    assert (record.category, record.rule) == ("coordination", "keyword")
    index = view.table.currentIndex().siblingAtColumn(COL_CATEGORY)
    for leave in ("focus", "tab", "escape"):
        view.table.edit(index)
        editor = view.table.indexWidget(index)
        assert isinstance(editor, QComboBox) and editor.currentText() == "coordination"
        if leave == "focus":
            click_away(qtbot, editor, view.search)
        elif leave == "tab":
            QTest.keyClick(editor, Qt.Key.Key_Tab)
        else:
            QTest.keyClick(editor, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: view.table.indexWidget(index) is None)
    analysis = sample_window.session.analysis
    assert analysis is not None
    after = analysis.get(record.occ.id)
    assert (after.category, after.rule) == ("coordination", "keyword")  # not "tagged by you"
    assert sample_window.session.undo_stack.count() == 0
    assert sample_window.session.ctx.conn.execute("SELECT COUNT(*) FROM tags").fetchone() == (0,)
    # An actual choice still tags at once.
    view.table.edit(index)
    editor = view.table.indexWidget(index)
    assert isinstance(editor, QComboBox)
    editor.setCurrentText("strategy")
    editor.activated.emit(editor.currentIndex())
    assert analysis is not sample_window.session.analysis
    assert sample_window.session.undo_stack.count() == 1


def test_opening_the_side_editor_and_leaving_leaves_rules_toml_alone(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    sample_window.show_view("people")
    view = sample_window.view("people")
    assert isinstance(view, PeopleView)
    rules = sample_window.session.paths.rules_file
    before = rules.read_text(encoding="utf-8")
    # priya.sharma is technical through the pattern *@eng.northwind.test
    row = next(
        r
        for r in range(view.proxy.rowCount())
        if view.proxy.index(r, 0).data(KeyRole) == "priya.sharma@eng.northwind.test"
    )
    index = view.proxy.index(row, COL_SIDE)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editor = view.table.indexWidget(index)
    assert isinstance(editor, QComboBox) and editor.currentText() == "technical"
    click_away(qtbot, editor, view.search)
    assert rules.read_text(encoding="utf-8") == before
    assert sample_window.session.undo_stack.count() == 0


@pytest.fixture
def paths(pmload_home: Path) -> Paths:
    return resolve_paths().ensure()


@pytest.mark.usefixtures("fast_kdf")
def test_a_second_save_updates_the_saved_entry(qtbot: QtBot, paths: Paths) -> None:
    existing(paths)
    view = make_view(qtbot, paths)
    unlock(qtbot, view)
    editor = view.editor
    assert editor.heading.text() == "New entry"
    editor.burnout.slider.setValue(6)
    QTest.keyClicks(editor.note, "first thoughts")
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.heading.text() == f"Editing the entry of {date.today()}"
    assert editor.delete_button.isEnabled()
    editor.note.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(editor.note, ", and more")
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    entries = Journal.unlock(paths.journal_file, PASS).data.entries
    assert [(e.burnout, e.note) for e in entries] == [(6, "first thoughts, and more")]
    assert view.history_model.rowCount() == 1
    # "New entry" starts another one.
    QTest.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert view.history_model.rowCount() == 2


@pytest.mark.usefixtures("fast_kdf")
def test_scores_start_not_set_and_are_saved_only_when_set(qtbot: QtBot, paths: Paths) -> None:
    existing(paths)
    view = make_view(qtbot, paths)
    unlock(qtbot, view)
    editor = view.editor
    for score in (editor.burnout, editor.isolation):
        assert score.value() is None and score.value_label.text() == "not set"
    assert editor.energy.text() == "not set" and editor.mood.text() == "not set"
    # A key press on the isolation slider resting at 0 chooses 0: set, not "not set".
    editor.isolation.slider.setFocus()
    QTest.keyClick(editor.isolation.slider, Qt.Key.Key_Home)
    assert editor.isolation.value() == 0 and editor.isolation.value_label.text() == "0"
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    entry = Journal.unlock(paths.journal_file, PASS).data.entries[0]
    assert (entry.burnout, entry.isolation, entry.energy, entry.mood) == (None, 0, None, None)
    assert view.history_model.index(0, 1).data() == ""  # burnout: blank, not 0
    # Clear takes a score back to "not set".
    QTest.mouseClick(editor.isolation.clear_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.journalChanged):
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    entry = Journal.unlock(paths.journal_file, PASS).data.entries[0]
    assert entry.isolation is None


def test_old_journals_with_every_score_still_open(qtbot: QtBot, paths: Paths) -> None:
    existing(paths, entries=2)  # entries written with burnout and isolation, as before
    data = Journal.unlock(paths.journal_file, PASS).data
    assert [(e.burnout, e.isolation) for e in data.entries] == [(0, 5), (1, 5)]
