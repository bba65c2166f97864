"""One question, one number, in the app too: the CLI audit, the Week view, Trends, the
brief and the exported share chart give the same share, verdict, range and streak.

The calendar is tests/ui/verdict_calendar.py's (today frozen on Wednesday of 2026-W10):
W05-W07 over (a 3-week streak), W08 unsure 33–83%, W09 over (streak 1), W10 over
so far (in progress) and W11 scheduled.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pmload_ui.export_dialog import ExportDialog
from pmload_ui.main_window import MainWindow
from pmload_ui.trends_view import TrendsView, week_text
from pmload_ui.week_header import ordinal
from pmload_ui.week_view import WeekView
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pmload.cli import main
from pmload.context import Context
from pmload.export.brief_facts import brief_facts
from pmload.export.charts.style import UNDER_COLOUR, UNSURE_COLOUR, UNSURE_HATCH
from pmload.period import parse_period, parse_week
from pmload.rules.verdict import share_pct, verdict_pct
from pmload.vocab import Verdict
from tests.core.test_verdict_surfaces import _bar_looks
from tests.ui.conftest import make_window
from tests.ui.verdict_calendar import (
    PEOPLE,
    PERIOD,
    RULES,
    TODAY,
    WEEKS,
    frozen_today,
    import_calendar,
)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with frozen_today():
        import_calendar(tmp_path, RULES + PEOPLE)
        ctx = Context()
        w = make_window(qtbot, ctx)
        w.session.load_now()
        w.show_view("week")
        w.show()
        qtbot.waitExposed(w)
        yield w
        w.close()
        ctx.close()


def _audit(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["audit", *PERIOD, "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _pct(w: dict[str, Any]) -> str:
    """A week of the audit JSON printed as every surface prints it."""
    return verdict_pct(w["share_low"], w["share_high"], Verdict(w["verdict"]), 0.4)


def _svg_texts(path: Path) -> list[str]:
    return [
        "".join(t.itertext()).strip()
        for t in ET.parse(path).iter()
        if t.tag.endswith("text") and "".join(t.itertext()).strip()
    ]


def _trends(window: MainWindow) -> TrendsView:
    window.show_view("trends")
    view = window.view("trends")
    assert isinstance(view, TrendsView)
    view.range_combo.setCurrentIndex(view.range_combo.findData(12))
    view.settle()
    return view


def test_the_cli_the_app_the_brief_and_the_chart_agree(
    qtbot: QtBot, window: MainWindow, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The CLI's JSON: the per-week truth.
    data = _audit(capsys)
    weeks = data["weeks"]
    assert [w["week"] for w in weeks] == WEEKS
    assert [w["verdict"] for w in weeks] == ["over"] * 3 + ["unsure"] + ["over"] * 3
    assert [w["streak"] for w in weeks] == [1, 2, 3, 0, 1, 0, 0]
    assert [w["in_progress"] for w in weeks] == [False] * 5 + [True, False]
    assert [w["scheduled"] for w in weeks] == [False] * 6 + [True]
    assert [_pct(w) for w in weeks] == ["67%"] * 3 + ["33–83%", "67%", "50%", "67%"]
    s = data["summary"]
    assert (s["weeks_over"], s["weeks_unsure"], s["complete_weeks"]) == (4, 1, 5)
    assert (s["longest_streak"], s["current_streak"], s["in_progress_week"]) == (3, 1, "2026-W10")

    # The Week view, week by week: the same share or range, verdict and streak.
    for w in weeks:
        window.session.set_week(parse_week(w["week"]))
        view = window.view("week")
        assert isinstance(view, WeekView) and view.audit is not None
        assert view.share_label.text() == _pct(w), w["week"]
        assert view.header.swatch.verdict == w["verdict"]
        assert view.audit.streak == w["streak"]
        text = view.verdict_label.text()
        if w["streak"] > 1:
            assert f"the {ordinal(w['streak'])} week in a row" in text
        else:
            assert "in a row" not in text
        assert ("so far" in view.share_caption.text()) is w["in_progress"]
        assert ("scheduled" in view.share_caption.text()) is w["scheduled"]
        assert text.startswith("This week so far: ") is w["in_progress"]
        assert ("Under" in text) is False

    # Trends: the same counts over complete weeks, the week in progress beside them.
    trends = _trends(window)
    assert trends.summary.text() == (
        f"{s['weeks_over']} of {s['complete_weeks']} complete weeks over 40%, "
        f"{s['weeks_unsure']} unsure · longest streak {s['longest_streak']} · "
        f"current streak {s['current_streak']}"
    )
    period = verdict_pct(s["share_low"], s["share_high"], Verdict(s["verdict"]), 0.4)
    assert trends.period_summary.text().startswith(f"Translation {period} of these weeks'")
    w10 = weeks[5]
    assert f"this week so far (2026-W10): {share_pct(w10['share_low'], 0.4)}, over 40%" in (
        trends.period_summary.text()
    )
    assert trends.result is not None
    charted = {w.week: w for w in trends.result.weeks}
    for w in weeks[:6]:  # Trends ends with the week in progress
        assert _pct(w) in week_text(charted[w["week"]], 0.4)
    assert "unsure, 33–83% with 3.0 h unclassified" in week_text(charted["2026-W08"], 0.4)
    assert trends.chart.figure is not None
    looks = _bar_looks(trends.chart.figure)
    assert (UNSURE_COLOUR.upper(), UNSURE_HATCH) in looks[3]  # W08 as a grey range ...
    assert all(UNDER_COLOUR.upper() not in {c for c, _ in looks[i]} for i in looks)  # not under

    # The brief's facts, from the app's own analysis.
    analysis = window.session.analysis
    assert analysis is not None
    first, last = PERIOD[1], PERIOD[3]
    facts = brief_facts(analysis, parse_period(date_from=_d(first), date_to=_d(last)), TODAY)
    assert round(facts.share, 3) == s["share"] and round(facts.share_high, 3) == s["share_high"]
    assert facts.verdict == s["verdict"] and facts.n_weeks == s["complete_weeks"]
    assert (facts.weeks_over, facts.weeks_unsure) == (s["weeks_over"], s["weeks_unsure"])
    assert facts.current_streak == s["current_streak"]
    assert [
        (p.verdict, round(p.share, 3), round(p.share_high, 3), p.streak) for p in facts.weeks
    ] == [(w["verdict"], w["share_low"], w["share_high"], w["streak"]) for w in weeks]

    # The share chart exported from the app: the last 5 complete weeks, W05..W09.
    window.show_view("week")
    window.export()
    dialog = next(d for d in QApplication.topLevelWidgets() if isinstance(d, ExportDialog))
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=20_000)
    with qtbot.waitSignal(dialog.previewReady, timeout=20_000):
        dialog.kind.setCurrentIndex(dialog.kind.findData("share"))
    with qtbot.waitSignal(dialog.previewReady, timeout=20_000):
        dialog.weeks.setValue(5)
    assert dialog.period_label.text() == "2026-W05 to 2026-W09"
    texts = _svg_texts(dialog.save_to(tmp_path / "share.svg"))
    for w in weeks[:5]:
        assert _pct(w) in texts
    assert texts.count("67%") == 4 and "33–83%" in texts
    assert "3-week streak" in texts
    dialog.close()


def _d(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def test_trends_counts_complete_weeks_and_says_unsure_with_the_range(
    qtbot: QtBot, window: MainWindow
) -> None:
    trends = _trends(window)
    # Six weeks shown (W05..W10), five complete: the week in progress is beside them.
    assert trends.result is not None and len(trends.result.weeks) == 6
    assert trends.summary.text().startswith("4 of 5 complete weeks over 40%, 1 unsure")
    assert "current streak 1" in trends.summary.text()
    assert trends.period_summary.text() == (
        "Translation 56% of these weeks' meeting hours: over the 40% line · "
        "last 4 weeks 53% · this week so far (2026-W10): 50%, over 40%"
    )
    w08, w10 = trends.result.weeks[3], trends.result.weeks[5]
    assert week_text(w08, 0.4).startswith(
        "2026-W08 (16 Feb – 22 Feb 2026): 6.0 h in 3 meetings; translation unsure, 33–83%"
    )
    assert week_text(w10, 0.4).startswith(
        "2026-W10 so far (2 Mar – 8 Mar 2026): 4.0 h in 3 meetings, as scheduled; "
        "translation 50%, over 40%"
    )
