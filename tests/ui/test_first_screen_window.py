"""The Week view shown from the first screen's few weeks (``--screenshot``) is the one
shown from all history: the same header, streak, comparisons, table, chart and status bar,
pixel for pixel.

The calendar is tests/ui/verdict_calendar.py's (today frozen on Wednesday of 2026-W10):
a 3-week streak W05-W07, W08 unsure, W09 over, W10 in progress, W11 scheduled.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pmload_ui.main_window import MainWindow
from pmload_ui.week_view import WeekView
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pmload.context import Context
from pmload.period import parse_week
from pmload.rules.first_screen import WeekWindow
from tests.ui.conftest import make_window
from tests.ui.verdict_calendar import PEOPLE, RULES, WEEKS, frozen_today, import_calendar


def _shown(
    qtbot: QtBot, ctx: Context, week: date | None, first_screen: bool
) -> tuple[tuple[object, ...], QImage]:
    window: MainWindow = make_window(qtbot, ctx)
    window.remember_state = False
    if first_screen:
        window.session.load_week_now(week)
        assert isinstance(window.session.analysis, WeekWindow)
    else:
        window.session.load_now()
        assert window.session.analysis is not None and window.session.analysis.complete
    if week is not None:
        window.session.set_week(week)
    window.resize(window.default_size())
    window.show_view("week", remember=False)
    window.show()
    qtbot.waitExposed(window)
    for _ in range(5):
        QApplication.processEvents()
    window.settle()
    QApplication.processEvents()
    view = window.view("week")
    assert isinstance(view, WeekView)
    header = view.header
    texts = (
        window.session.week,
        header.share_label.text(),
        header.share_caption.text(),
        header.verdict_label.text(),
        header.facts_label.text(),
        window._summary.text(),
        view.model.rowCount(),
        window.act_prev.isEnabled(),
        window.act_next.isEnabled(),
    )
    image: QImage = window.grab().toImage()
    window.close()
    return texts, image


@pytest.mark.parametrize("threshold", [0.4, 0.2])
@pytest.mark.parametrize("week", [None, *WEEKS, "2025-W40", "2026-W30"])
def test_the_first_screen_shows_what_all_history_shows(
    qtbot: QtBot, tmp_path: Path, week: str | None, threshold: float
) -> None:
    """At a 20% line W05-W09 are all over: W09's streak (5) goes back beyond the
    4 weeks it is compared with, the weeks the first screen loads at first."""
    with frozen_today():
        import_calendar(tmp_path, f"{RULES}threshold = {threshold}\n{PEOPLE}")
        ctx = Context()
        monday = parse_week(week) if week else None
        full_texts, full_image = _shown(qtbot, ctx, monday, first_screen=False)
        texts, image = _shown(qtbot, ctx, monday, first_screen=True)
        ctx.close()
    assert texts == full_texts
    assert image == full_image
    if week == "2026-W07" and threshold == 0.4:
        assert "the 3rd week in a row" in str(texts[3])
    if week == "2026-W09" and threshold == 0.2:
        assert "the 5th week in a row" in str(texts[3])
