"""A Review reason that names people with no side leads to them in People."""

from __future__ import annotations

from pmload_ui.main_window import MainWindow
from pmload_ui.people_view import COL_KEY, COL_NAME, COLUMNS, KeyRole, PeopleView
from pmload_ui.review_view import COL_REASON, ReviewView
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot


def review_of(w: MainWindow) -> ReviewView:
    w.show_view("review")
    view = w.view("review")
    assert isinstance(view, ReviewView)
    return view


def row_titled(view: ReviewView, title: str) -> int:
    return next(r for r in range(view.proxy.rowCount()) if view.proxy.index(r, 0).data() == title)


def test_clicking_an_unknown_reason_shows_that_person_selected_in_people(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    view = review_of(sample_window)
    row = row_titled(view, "Labelling vendor check")
    index = view.proxy.index(row, COL_REASON)
    assert index.data() == "No rule applies; unknown: Sam"  # written for people
    assert "sam.ortiz@labelco.test" in index.data(Qt.ItemDataRole.ToolTipRole)
    font = index.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.underline()  # it reads as a link
    rect = view.table.visualRect(index)
    QTest.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sample_window.current_view() == "people"
    people = sample_window.view("people")
    assert isinstance(people, PeopleView)
    shown = [people.proxy.index(r, 0).data(KeyRole) for r in range(people.proxy.rowCount())]
    assert shown == ["sam.ortiz@labelco.test"]
    assert people.selected_keys() == ["sam.ortiz@labelco.test"]
    assert "“Labelling vendor check”" in people.search.placeholderText()


def test_the_keyboard_way_to_the_same_people(qtbot: QtBot, sample_window: MainWindow) -> None:
    view = review_of(sample_window)
    view.table.selectRow(row_titled(view, "Lunch & learn: prompt evals"))
    assert view.people_button.isEnabled()
    view.people_button.click()
    people = sample_window.view("people")
    assert isinstance(people, PeopleView) and sample_window.current_view() == "people"
    shown = {people.proxy.index(r, 0).data(KeyRole) for r in range(people.proxy.rowCount())}
    assert len(shown) == 2 and "mei.lin@northwind.test" in shown
    # A series whose reason names nobody without a side has no such way.
    view = review_of(sample_window)
    view.table.clearSelection()
    view.table.selectRow(row_titled(view, "Launch go/no-go"))
    assert not view.people_button.isEnabled()
    index = view.proxy.index(row_titled(view, "Launch go/no-go"), COL_REASON)
    QTest.mouseClick(
        view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center()
    )
    assert sample_window.current_view() == "review"


def test_people_shows_names_first_then_the_address(sample_window: MainWindow) -> None:
    sample_window.show_view("people")
    people = sample_window.view("people")
    assert isinstance(people, PeopleView)
    assert COLUMNS[:2] == ("Name", "Address") and (COL_NAME, COL_KEY) == (0, 1)
    names = [people.proxy.index(r, COL_NAME).data() for r in range(people.proxy.rowCount())]
    assert all(names), "an empty name"
    row = next(
        r
        for r in range(people.proxy.rowCount())
        if people.proxy.index(r, COL_KEY).data() == "sam.ortiz@labelco.test"
    )
    assert people.proxy.index(row, COL_NAME).data() == "Sam Ortiz"
    header = people.table.horizontalHeader()
    # The name column is as wide as a name, not the stretching one.
    assert header.sectionSize(COL_NAME) < header.sectionSize(COL_KEY)
