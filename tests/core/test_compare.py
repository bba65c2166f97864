"""Comparisons at a glance: each week against last week and the 4-week average, and next week.

Hand-computed weeks (translation by sole bridge, the rest coordination; no
unclassified time unless said), with today on Wednesday 2026-02-04 (2026-W06 in
progress) unless said:

    2026-W01  1 h of 5 h  20%
    2026-W02  2 h of 5 h  40%
    2026-W03  no calendar data at all
    2026-W04  3 h of 5 h  60%
    2026-W05  1 h of 4 h  25%
    2026-W06  2 h of 4 h  50%   in progress
    2026-W07  1 h of 2 h  50%   scheduled (next week)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pmload.config import parse_settings
from pmload.model import Occurrence
from pmload.period import parse_period
from pmload.rules.audit import AuditResult, audit_to_json
from pmload.rules.compare import comparison_text, whole_points
from tests.core.test_audit import BRIDGE, RULES, TECH, analysis, local, occ

UNKNOWN = ("x@unknown.test",)
TODAY = date(2026, 2, 4)
HOURS = {  # Monday: (translation, coordination)
    date(2025, 12, 29): (1, 4),
    date(2026, 1, 5): (2, 3),
    date(2026, 1, 19): (3, 2),
    date(2026, 1, 26): (1, 3),
    date(2026, 2, 2): (2, 2),
    date(2026, 2, 9): (1, 1),
}


def _week(monday: date, translation: float, coordination: float) -> list[Occurrence]:
    tue = monday + timedelta(days=1)
    return [
        occ(local(monday.year, monday.month, monday.day, 9), 60 * translation, BRIDGE),
        occ(local(tue.year, tue.month, tue.day, 9), 60 * coordination, TECH, "Sync"),
    ]


def _calendar(extra: list[Occurrence] | None = None) -> list[Occurrence]:
    out = [o for monday, (t, c) in HOURS.items() for o in _week(monday, t, c)]
    return out + (extra or [])


def _audit(
    occs: list[Occurrence], first: date, last: date, today: date = TODAY, rules: str = RULES
) -> AuditResult:
    return analysis(occs, parse_settings(rules)).audit(
        parse_period(date_from=first, date_to=last), today=today
    )


def _json(result: AuditResult) -> dict[str, Any]:
    return audit_to_json(result)


def test_each_week_against_last_week_and_the_four_before_looking_before_the_period() -> None:
    # The period starts at W04: its comparisons look back to W01 (and W52, no data).
    data = _json(_audit(_calendar(), date(2026, 1, 19), date(2026, 2, 15)))
    weeks = {w["week"]: w for w in data["weeks"]}
    # W04, 60%: last week (W03) has no calendar data -> null, not a drop of 60 points;
    # the average covers W02 and W01 only (40%, 20%: mean 30%).
    w04 = weeks["2026-W04"]
    assert (w04["delta_prev"], w04["delta_4w"], w04["delta_4w_weeks"]) == (None, 30.0, 2)
    # W05, 25%: 35 points under W04's 60%; mean of W04, W02, W01 = 40%.
    w05 = weeks["2026-W05"]
    assert (w05["delta_prev"], w05["delta_4w"], w05["delta_4w_weeks"]) == (-35.0, -15.0, 3)
    # W06 in progress, 50% so far: against W05 (25%) and W05..W02 (25, 60, 40: 41.67%).
    w06 = weeks["2026-W06"]
    assert w06["in_progress"] is True
    assert (w06["delta_prev"], w06["delta_4w"], w06["delta_4w_weeks"]) == (25.0, 8.3, 3)
    # W07 is scheduled: compared with the last complete week (W05), not with W06 so far.
    w07 = weeks["2026-W07"]
    assert (w07["delta_prev"], w07["delta_4w"]) == (25.0, 8.3)


def test_comparison_sentences_say_what_they_compare_with() -> None:
    result = _audit(_calendar(), date(2026, 1, 19), date(2026, 2, 15))
    by_week = {w.week: w for w in result.weeks}
    text = {label: comparison_text(w, 0.4) for label, w in by_week.items()}
    assert text["2026-W05"] == (
        "25%, down 35 points on last week, 15 below your 4-week average (3 with data)"
    )
    assert text["2026-W04"] == (
        "60%, no calendar data last week, 30 above your 4-week average (2 with data)"
    )
    assert text["2026-W06"] == (
        "50%, up 25 points on last week, 8 above your 4-week average (3 with data)"
    )
    assert text["2026-W07"].startswith("50%, up 25 points on 2026-W05, ")


def test_a_week_without_data_and_the_first_week_have_nothing_to_compare() -> None:
    data = _json(_audit(_calendar(), date(2025, 12, 29), date(2026, 1, 25)))
    weeks = {w["week"]: w for w in data["weeks"]}
    assert weeks["2026-W01"]["delta_prev"] is None and weeks["2026-W01"]["delta_4w"] is None
    # W03 has no calendar data: its share is not 0 points below anything.
    assert weeks["2026-W03"]["has_data"] is False
    assert (weeks["2026-W03"]["delta_prev"], weeks["2026-W03"]["delta_4w"]) == (None, None)
    # W02 against W01 alone: the average is last week, so the sentence does not repeat it.
    assert (weeks["2026-W02"]["delta_prev"], weeks["2026-W02"]["delta_4w"]) == (20.0, 20.0)
    result = _audit(_calendar(), date(2025, 12, 29), date(2026, 1, 25))
    first, second = result.weeks[0], result.weeks[1]
    assert comparison_text(first, 0.4) == "20%, nothing to compare with in the 4 weeks before"
    assert comparison_text(second, 0.4) == "40.0%, up 20 points on last week"


def test_an_unsure_week_compared_says_it_is_known_translation_only() -> None:
    # W05 gets 3 h with an unknown person: 1 h of 7 h, range 14%..57%, unsure.
    vendor = occ(local(2026, 1, 28, 9), 180, UNKNOWN, "Vendor")
    result = _audit(_calendar([vendor]), date(2026, 1, 26), date(2026, 2, 8))
    w05, w06 = result.weeks
    assert w05.verdict == "unsure"
    assert comparison_text(w05, 0.4) == (
        "14–57%, down 46 points on last week, 26 below your 4-week average (3 with data) "
        "(known translation only: unclassified hours could change these)"
    )
    # The week in progress compared with an unsure week says so too.
    assert comparison_text(w06, 0.4).endswith(
        "(known translation only: unclassified hours could change these)"
    )
    assert w06.delta_prev is not None and round(w06.delta_prev, 1) == 35.7


def test_next_week_is_reported_as_scheduled_beside_the_period() -> None:
    # The period W01..W05 does not hold next week (W07): the audit carries it anyway.
    data = _json(_audit(_calendar(), date(2025, 12, 29), date(2026, 2, 1)))
    assert data["next_week"] == {
        "week": "2026-W07",
        "start": "2026-02-09",
        "state": "scheduled",
        "share_low": 0.5,
        "share_high": 0.5,
        "verdict": "over",
        "meeting_hours": 2.0,
        "has_data": True,
        "delta_prev": 25.0,
        "delta_4w": 8.3,
    }
    # A week later nothing is on the calendar for next week (W08) yet: null, not 0%.
    later = _json(_audit(_calendar(), date(2025, 12, 29), date(2026, 2, 1), date(2026, 2, 11)))
    nw = later["next_week"]
    assert (nw["week"], nw["state"], nw["has_data"], nw["meeting_hours"]) == (
        "2026-W08",
        "scheduled",
        False,
        0.0,
    )
    assert (nw["share_low"], nw["share_high"], nw["verdict"], nw["delta_prev"]) == (
        None,
        None,
        None,
        None,
    )


def test_comparisons_are_the_same_whatever_the_period() -> None:
    # One question, one number: W05's comparison does not depend on where the period starts.
    short = _audit(_calendar(), date(2026, 1, 26), date(2026, 2, 1))
    long = _audit(_calendar(), date(2025, 12, 1), date(2026, 2, 1))
    assert short.weeks[-1].delta_prev == long.weeks[-1].delta_prev
    assert short.weeks[-1].delta_4w == long.weeks[-1].delta_4w
    assert short.next_week == long.next_week


def test_points_round_half_away_from_zero() -> None:
    # (0.6 - 0.555) x 100 is 4.4999999999999996 in floating point: still 4.5, so 5.
    assert [whole_points(x) for x in (3.5, -3.5, 0.49, -0.49, 4.49, (0.6 - 0.555) * 100)] == [
        4,
        -4,
        0,
        0,
        4,
        5,
    ]


def test_rolling_line_is_the_mean_of_the_four_weeks_ending_with_each_complete_week() -> None:
    from pmload.export.data import week_points

    # Period W04..W07 (W06 in progress, W07 scheduled); W04 looks back to W01..W04.
    result = _audit(_calendar(), date(2026, 1, 19), date(2026, 2, 15))
    rolling = {w.week: w.rolling_4w for w in result.weeks}
    assert rolling["2026-W04"] is not None and rolling["2026-W05"] is not None
    assert abs(rolling["2026-W04"] - (0.20 + 0.40 + 0.60) / 3) < 1e-9  # W03 has no data
    assert abs(rolling["2026-W05"] - (0.40 + 0.60 + 0.25) / 3) < 1e-9
    assert rolling["2026-W06"] is None and rolling["2026-W07"] is None  # not complete
    # It is what the next complete week is compared with, and the chart carries it.
    w05 = next(w for w in result.weeks if w.week == "2026-W05")
    assert w05.baseline is not None and w05.baseline.mean_4w is not None
    assert abs(w05.baseline.mean_4w - rolling["2026-W04"]) < 1e-9
    assert [p.rolling_4w for p in week_points(result)] == list(rolling.values())


def test_next_week_text_is_labelled_scheduled() -> None:
    from pmload.rules.compare import next_week_text

    result = _audit(_calendar(), date(2026, 1, 19), date(2026, 2, 8))
    assert result.next_week is not None
    assert next_week_text(result.next_week, 0.4) == (
        "Next week (2026-W07, scheduled so far): translation 50% of the 2.0 meeting hours "
        "already on your calendar, over"
    )


def test_share_chart_draws_the_rolling_line_only_when_asked() -> None:
    from pmload.export.charts import share_chart
    from pmload.export.data import week_points

    points = week_points(_audit(_calendar(), date(2026, 1, 19), date(2026, 2, 15)))
    plain = share_chart(points, 0.4)
    with_line = share_chart(points, 0.4, rolling=True)
    labels = [str(ln.get_label()) for ln in with_line.axes[0].get_lines()]
    assert "4-week average" in labels
    assert not any("4-week" in str(ln.get_label()) for ln in plain.axes[0].get_lines())
    legend = with_line.axes[0].get_legend()
    assert legend is not None and "4-week average" in [t.get_text() for t in legend.get_texts()]
