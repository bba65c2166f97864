"""Keyboard users and screen readers reach everything, and every figure is explained."""

from __future__ import annotations

import pytest
from pmload_ui.main_window import MainWindow
from pmload_ui.people_view import PeopleView
from pmload_ui.review_view import ReviewView
from pmload_ui.trends_view import TrendsView
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from pmload.cli import main
from pmload.rules import glossary
from tests.ui.test_views import week_view


def test_the_sidebar_takes_the_focus_and_the_arrow_keys_switch_views(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    w = sample_window
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    assert w.sidebar.focusPolicy() != Qt.FocusPolicy.NoFocus
    assert w.sidebar.accessibleName() == "Views"
    w.sidebar.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is w.sidebar
    QTest.keyClick(w.sidebar, Qt.Key.Key_Down)
    assert w.current_view() == "review"
    QTest.keyClick(w.sidebar, Qt.Key.Key_Down)
    assert w.current_view() == "people"


def test_tab_leaves_every_table(qtbot: QtBot, sample_window: MainWindow) -> None:
    w = sample_window
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    tables: list[QTableView] = [week_view(w).table]
    for name, kind in (("review", ReviewView), ("people", PeopleView)):
        w.show_view(name)
        view = w.view(name)
        assert isinstance(view, kind)
        tables.append(view.table)
    for table in tables:
        w.show_view(
            {"Meetings": "week", "Review queue": "review", "People": "people"}[
                table.accessibleName()
            ]
        )
        assert not table.tabKeyNavigation()
        table.setFocus(Qt.FocusReason.TabFocusReason)
        assert QApplication.focusWidget() is table
        QTest.keyClick(table, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is not table, table.accessibleName()


def test_the_share_verdict_tables_and_charts_have_names(sample_window: MainWindow) -> None:
    w = sample_window
    view = week_view(w)
    view.settle()
    audit = view.header.audit
    assert audit is not None
    assert view.share_label.accessibleName() == "Translation share"
    assert view.share_label.accessibleDescription() == view.verdict_label.text()
    assert view.verdict_label.accessibleName() == "Verdict"
    assert view.table.accessibleName() == "Meetings"
    assert view.chart.accessibleName() == "Week chart"
    described = view.chart.accessibleDescription()
    assert audit.week in described and "translation" in described
    assert view.chart.focusPolicy() != Qt.FocusPolicy.NoFocus  # reachable with Tab
    w.show_view("trends")
    trends = w.view("trends")
    assert isinstance(trends, TrendsView)
    assert trends.chart.accessibleName() == "Trends chart"
    assert trends.result is not None
    first, last = trends.result.weeks[0].week, trends.result.weeks[-1].week
    assert f"from {first} to {last}" in trends.chart.accessibleDescription()
    assert trends.summary.text() in trends.chart.accessibleDescription()


def test_the_figures_are_explained_in_the_cli_legends_words(
    sample_window: MainWindow, capsys: pytest.CaptureFixture[str]
) -> None:
    view = week_view(sample_window)
    settings = sample_window.session.settings
    facts = view.facts_label
    assert "context switches" in facts.text() and "back-to-back chains" in facts.text()
    assert "focus time" in facts.text()
    for term in (
        glossary.BACK_TO_BACK,
        glossary.CONTEXT_SWITCHES,
        glossary.focus_time(settings),
    ):
        assert glossary.explain(term) in facts.toolTip()
        assert glossary.explain(term) in facts.whatsThis()
    assert main(["audit"]) == 0
    legend = " ".join(capsys.readouterr().out.split())
    for term in (glossary.BACK_TO_BACK, glossary.CONTEXT_SWITCHES, glossary.focus_time(settings)):
        assert f"{term[0]}, {term[1]}." in legend, term[0]
