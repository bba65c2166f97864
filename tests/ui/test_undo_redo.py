"""Undo and redo: working shortcuts, a toolbar that stays short, sides undone like tags."""

from __future__ import annotations

from pmload_ui.main_window import MainWindow
from pmload_ui.people_view import COL_SIDE, KeyRole, PeopleView
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolBar, QToolButton
from pytestqt.qtbot import QtBot

from pmload.config import load_settings
from pmload.vocab import Side
from tests.ui.test_views import category_of, select_title, week_view

LONG = "Launch readiness: ML x Sales"


def tag_with_key(window: MainWindow, title: str, key: Qt.Key) -> str:
    view = week_view(window)
    record = select_title(view, title)
    view.table.setFocus()
    QTest.keyClick(view.table, key)
    return record.occ.id


def active(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_ctrl_y_and_ctrl_shift_z_redo(qtbot: QtBot, sample_window: MainWindow) -> None:
    active(qtbot, sample_window)
    oid = tag_with_key(sample_window, "Design crit", Qt.Key.Key_1)
    assert category_of(sample_window, oid) == "translation"
    QTest.keyClick(sample_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert category_of(sample_window, oid) == "unclassified"
    # Ctrl+Y was bound twice: Qt said "Ambiguous shortcut overload" (a failing Qt
    # warning here) and redid nothing.
    QTest.keyClick(sample_window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert category_of(sample_window, oid) == "translation"
    QTest.keyClick(sample_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(
        sample_window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert category_of(sample_window, oid) == "translation"


def test_the_toolbar_stays_short_and_the_status_bar_says_what_was_undone(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    sample_window.resize(1024, 700)
    oid = tag_with_key(sample_window, LONG, Qt.Key.Key_3)
    toolbar = sample_window.findChild(QToolBar, "main-toolbar")
    assert toolbar is not None
    undo_button = toolbar.widgetForAction(sample_window.act_undo)
    assert isinstance(undo_button, QToolButton) and undo_button.text() == "Undo"
    assert sample_window.act_undo.toolTip().startswith(f"Undo tag '{LONG}' as strategy")
    assert sample_window.act_undo.text() == f"&Undo tag '{LONG}' as strategy"  # the Edit menu
    qtbot.wait(10)
    for action in toolbar.actions():
        button = toolbar.widgetForAction(action)
        if button is not None and not action.isSeparator():
            assert button.isVisible(), action.iconText()  # not pushed into the overflow
            assert button.geometry().right() <= toolbar.width()
    sample_window.act_undo.trigger()
    assert category_of(sample_window, oid) != "strategy"
    assert sample_window.statusBar().currentMessage() == f"Undone: tag '{LONG}' as strategy."
    redo_button = toolbar.widgetForAction(sample_window.act_redo)
    assert isinstance(redo_button, QToolButton) and redo_button.text() == "Redo"
    sample_window.act_redo.trigger()
    assert sample_window.statusBar().currentMessage() == f"Redone: tag '{LONG}' as strategy."


def sides(window: MainWindow) -> dict[Side, set[str]]:
    """Who is listed under each side in rules.toml (an undo may change their order)."""
    return {side: set(keys) for side, keys in load_settings(window.session.paths).people.items()}


def people(window: MainWindow) -> PeopleView:
    window.show_view("people")
    view = window.view("people")
    assert isinstance(view, PeopleView)
    return view


def row_of(view: PeopleView, key: str) -> int:
    return next(
        r for r in range(view.proxy.rowCount()) if view.proxy.index(r, 0).data(KeyRole) == key
    )


def test_a_side_change_is_undone_like_a_tag(qtbot: QtBot, sample_window: MainWindow) -> None:
    view = people(sample_window)
    session = sample_window.session
    before = sides(sample_window)
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        view.proxy.setData(
            view.proxy.index(row_of(view, "sam.ortiz@labelco.test"), COL_SIDE), "technical"
        )
    assert "sam.ortiz@labelco.test" in session.settings.people[Side.TECHNICAL]
    assert session.undo_stack.count() == 1
    assert sample_window.act_undo.toolTip().startswith(
        "Undo set sam.ortiz@labelco.test to technical"
    )
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        sample_window.act_undo.trigger()
    assert sides(sample_window) == before
    assert view.proxy.index(row_of(view, "sam.ortiz@labelco.test"), COL_SIDE).data() == "unknown"
    # A person listed by address gets that address back under their old side.
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        view.set_sides(["marco.rossi@northwind.test"], "technical")
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        sample_window.act_undo.trigger()
    assert sides(sample_window) == before
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        sample_window.act_redo.trigger()
    assert "marco.rossi@northwind.test" in load_settings(session.paths).people[Side.TECHNICAL]


def test_accepting_suggestions_is_one_undoable_step(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    view = people(sample_window)
    session = sample_window.session
    before = sides(sample_window)
    sel = view.table.selectionModel()
    for key in ("mei.lin@northwind.test", "ravi.menon@northwind.test"):
        sel.select(
            view.proxy.index(row_of(view, key), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        QTest.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    assert "mei.lin@northwind.test" in session.settings.people[Side.PRODUCT]
    assert session.undo_stack.count() == 1
    assert session.undo_stack.undoText() == "accept the suggested sides of 2 people"
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        sample_window.act_undo.trigger()
    assert sides(sample_window) == before
    assert (
        sample_window.statusBar()
        .currentMessage()
        .startswith("Undone: accept the suggested sides of 2 people")
    )
