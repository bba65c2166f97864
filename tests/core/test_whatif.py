"""What-if arithmetic against hand-computed weeks.

Today is Wednesday 2026-03-04 (2026-W10 in progress); the period is 2026-W06 ..
W10, so its complete weeks are W06..W09. Series (threshold 40%):

* ``salesml`` "Sales x ML", Mondays 2 h, sole bridge (translation), W05..W11: it
  spans both edges of the period (W05 before it, W10 in progress, W11 scheduled);
* ``sync`` "Team sync", Tuesdays 2 h, coordination (keyword), W05..W11;
* ``readout`` "Exec readout", Thursdays 1 h, translation (keyword), W06..W09;
* ``hand`` "Design review", Wednesdays 1 h with an engineer only (coordination by
  the rules) but tagged by hand as translation for the whole series, W06..W09;
* ``vendor`` "Vendor call", Fridays 1 h with an unknown person: W07 unclassified,
  W08 tagged translation by hand on that occurrence only;
* ``launch`` "Launch review", 3 h sole bridge on Thursday of W10 only.

Complete weeks before any change (translation / unclassified / meeting hours):

    W06  2+1+1 = 4 / 0 / 6   66.7%         over
    W07  4         / 1 / 7   57.1%..71.4%  over
    W08  4+1 = 5   / 0 / 7   71.4%         over
    W09  4         / 0 / 6   66.7%         over
    all  17 / 1 / 26         65.4%..69.2%  over, 4 weeks over

W05 (2 h of 4 h, 50%) is over too, so W06..W09 continue its streak.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from pmload.config import parse_settings
from pmload.errors import UsageError
from pmload.model import Occurrence
from pmload.period import parse_period
from pmload.rules.analysis import Analysis
from pmload.rules.audit import audit_to_json
from pmload.rules.classify import Tag, Tags, occurrence_start_key
from pmload.rules.whatif import (
    SeriesChange,
    UnknownSeries,
    figures,
    what_if,
    what_if_to_json,
)
from pmload.vocab import Category, WhatIfChange
from tests.core.test_audit import BRIDGE, LA, RULES, TECH, local, occ

TODAY = date(2026, 3, 4)
PERIOD = parse_period(date_from=date(2026, 2, 2), date_to=date(2026, 3, 8))
W05 = date(2026, 1, 26)
WITHOUT, SHARED = WhatIfChange.WITHOUT, WhatIfChange.SHARED
TAGGED_AT = "2026-01-02T10:00:00Z"


def _at(monday: date, weekday: int, hour: int = 9) -> datetime:
    day = monday + timedelta(days=weekday)
    return local(day.year, day.month, day.day, hour)


def _weekly(
    uid: str, title: str, weekday: int, minutes: float, people: tuple[str, ...], weeks: range
) -> list[Occurrence]:
    return [
        occ(_at(W05 + timedelta(weeks=i), weekday), minutes, people, title, uid=uid) for i in weeks
    ]


def _calendar() -> tuple[list[Occurrence], Tags]:
    w06_to_w09 = range(1, 5)
    vendor_w07 = occ(
        _at(W05 + timedelta(weeks=2), 4), 60, ("x@unknown.test",), "Vendor call", uid="vendor"
    )
    vendor_w08 = occ(
        _at(W05 + timedelta(weeks=3), 4), 60, ("x@unknown.test",), "Vendor call", uid="vendor"
    )
    occs = [
        *_weekly("salesml", "Sales x ML", 0, 120, BRIDGE, range(7)),
        *_weekly("sync", "Team sync", 1, 120, TECH, range(7)),
        *_weekly("readout", "Exec readout", 3, 60, TECH, w06_to_w09),
        *_weekly("hand", "Design review", 2, 60, TECH, w06_to_w09),
        vendor_w07,
        vendor_w08,
        occ(_at(W05 + timedelta(weeks=5), 3, 13), 180, BRIDGE, "Launch review", uid="launch"),
    ]
    tags = Tags(
        occurrence={
            ("vendor", occurrence_start_key(vendor_w08)): Tag(
                "vendor", occurrence_start_key(vendor_w08), Category.TRANSLATION, TAGGED_AT
            )
        },
        series={"hand": Tag("hand", "", Category.TRANSLATION, TAGGED_AT)},
    )
    return sorted(occs, key=lambda o: o.start), tags


@pytest.fixture
def analysis() -> Analysis:
    occs, tags = _calendar()
    return Analysis(None, parse_settings(RULES), LA, occs, tags)


def _run(analysis: Analysis, *changes: tuple[str, WhatIfChange]) -> dict[str, Any]:
    result = what_if(analysis, PERIOD, [SeriesChange(u, w) for u, w in changes], today=TODAY)
    return what_if_to_json(result)


def test_before_is_the_audit_summary_of_the_same_complete_weeks(analysis: Analysis) -> None:
    data = _run(analysis, ("salesml", SHARED))
    summary = audit_to_json(analysis.audit(PERIOD, TODAY))["summary"]
    before = data["before"]
    assert isinstance(before, dict)
    for key in (
        "share",
        "share_low",
        "share_high",
        "verdict",
        "weeks_over",
        "weeks_unsure",
        "complete_weeks",
        "weeks_without_data",
    ):
        assert before[key] == summary[key], key
    assert (before["share"], before["share_high"], before["verdict"]) == (0.654, 0.692, "over")
    assert (before["weeks_over"], before["weeks_unsure"], before["complete_weeks"]) == (4, 0, 4)
    assert (before["translation_hours"], before["unclassified_hours"], before["meeting_hours"]) == (
        17.0,
        1.0,
        26.0,
    )


def test_shared_series_across_the_periods_edges_counts_its_complete_weeks_only(
    analysis: Analysis,
) -> None:
    data = _run(analysis, ("salesml", SHARED))
    # 2 h a week in W06..W09 move to coordination; W05 (before), W10 (in progress) and
    # W11 (scheduled) are not in the figures. W06 2/6, W07 2/7..3/7 (unsure), W08 3/7 (still
    # over: 42.9%), W09 2/6; all 9 of 26 h, 34.6%..38.5%: under, though one week is over.
    assert data["changes"] == [
        {
            "uid": "salesml",
            "title": "Sales x ML",
            "hours": 8.0,
            "what": "shared",
            "in_progress_hours": 2.0,
            "note": None,
        }
    ]
    after = data["after"]
    assert isinstance(after, dict)
    assert (after["translation_hours"], after["meeting_hours"]) == (9.0, 26.0)
    assert (after["share"], after["share_high"], after["verdict"]) == (0.346, 0.385, "under")
    assert (after["weeks_over"], after["weeks_unsure"]) == (1, 1)
    assert data["in_progress_week"] == "2026-W10"


def test_a_change_reaches_before_the_period_for_streaks(analysis: Analysis) -> None:
    result = what_if(analysis, PERIOD, [SeriesChange("salesml", SHARED)], today=TODAY)
    # Before: W05 is over, so W05..W09 make a streak of 5; shared, W05 is 0% and only W08
    # is over: a streak of 1, and none by W09.
    assert (result.before.summary.longest_streak, result.before.summary.current_streak) == (5, 5)
    assert (result.after.summary.longest_streak, result.after.summary.current_streak) == (1, 0)
    # ... and the comparisons of W06 look back to W05 in the after-analysis too (0% then).
    w06 = result.after.weeks[0]
    assert w06.baseline is not None and w06.baseline.prev_share == 0.0


def test_a_series_tagged_translation_by_hand_still_moves_when_shared(analysis: Analysis) -> None:
    data = _run(analysis, ("hand", SHARED))
    (change,) = data["changes"]
    assert (change["title"], change["hours"], change["note"]) == ("Design review", 4.0, None)
    after = data["after"]
    assert isinstance(after, dict)
    # 13 h of 26 h; W07 3/7 = 42.9% is still over, so all 4 weeks stay over.
    assert (after["translation_hours"], after["share"], after["weeks_over"]) == (13.0, 0.5, 4)


def test_without_a_series_with_an_occurrence_tag_drops_every_occurrence(
    analysis: Analysis,
) -> None:
    data = _run(analysis, ("vendor", WITHOUT))
    (change,) = data["changes"]
    # 1 h unclassified in W07 and 1 h tagged translation in W08: both no longer happen.
    assert (change["what"], change["hours"], change["note"]) == ("without", 2.0, None)
    after = data["after"]
    assert isinstance(after, dict)
    assert (after["translation_hours"], after["unclassified_hours"], after["meeting_hours"]) == (
        16.0,
        0.0,
        24.0,
    )
    assert (after["share"], after["share_high"], after["weeks_unsure"]) == (0.667, 0.667, 0)


def test_a_series_only_in_the_week_in_progress_changes_no_figure(analysis: Analysis) -> None:
    data = _run(analysis, ("launch", SHARED), ("launch", SHARED))  # a repeat counts once
    assert data["before"] == data["after"]
    (change,) = data["changes"]
    assert (change["hours"], change["in_progress_hours"]) == (0.0, 3.0)
    assert change["note"] == (
        "translation only in the week in progress (2026-W10), which these figures leave out"
    )
    result = what_if(analysis, PERIOD, [SeriesChange("launch", SHARED)], today=TODAY)
    # The week in progress itself does change (5 h of 7 h -> 2 h of 7 h), beside the figures.
    before_w10, after_w10 = result.before.weeks[-1], result.after.weeks[-1]
    assert before_w10.in_progress and (
        before_w10.hours[Category.TRANSLATION],
        after_w10.hours[Category.TRANSLATION],
    ) == (5.0, 2.0)


def test_sharing_a_series_that_is_not_translation_says_so(analysis: Analysis) -> None:
    data = _run(analysis, ("sync", SHARED))
    (change,) = data["changes"]
    assert (change["title"], change["hours"]) == ("Team sync", 0.0)
    assert change["note"] == (
        "not translation in this period's complete weeks: sharing it changes nothing here"
    )
    assert data["before"] == data["after"]


def test_changes_stack_and_the_hours_add_up(analysis: Analysis) -> None:
    data = _run(analysis, ("salesml", SHARED), ("readout", WITHOUT), ("hand", SHARED))
    changes = data["changes"]
    assert isinstance(changes, list)
    assert [(c["uid"], c["what"], c["hours"]) for c in changes] == [
        ("salesml", "shared", 8.0),
        ("readout", "without", 4.0),
        ("hand", "shared", 4.0),
    ]
    after = data["after"]
    assert isinstance(after, dict)
    # 17 - 8 - 4 - 4 = 1 h of translation (the vendor's tagged hour) in 26 - 4 = 22 h.
    assert (after["translation_hours"], after["meeting_hours"]) == (1.0, 22.0)
    assert (after["share"], after["verdict"], after["weeks_over"]) == (0.045, "under", 0)


def test_the_analysis_is_left_unchanged(analysis: Analysis) -> None:
    before = audit_to_json(analysis.audit(PERIOD, TODAY))
    classified = list(analysis.classified)
    counted = {m: list(analysis.counted_in_week(m)) for m in PERIOD.weeks()}
    what_if(
        analysis,
        PERIOD,
        [SeriesChange("salesml", SHARED), SeriesChange("vendor", WITHOUT)],
        today=TODAY,
    )
    assert analysis.classified == classified
    assert {m: analysis.counted_in_week(m) for m in PERIOD.weeks()} == counted
    assert audit_to_json(analysis.audit(PERIOD, TODAY)) == before


def test_a_week_left_with_no_meeting_keeps_its_calendar_data(analysis: Analysis) -> None:
    # Without every series held in W06..W09, those weeks have calendar data and no meeting:
    # a real 0%, not "no calendar data".
    result = what_if(
        analysis,
        PERIOD,
        [SeriesChange(u, WITHOUT) for u in ("salesml", "sync", "readout", "hand", "vendor")],
        today=TODAY,
    )
    after = figures(result.after)
    assert (after.meeting_hours, after.share, after.verdict, after.weeks_without_data) == (
        0.0,
        0.0,
        "under",
        0,
    )


def test_bad_changes_are_one_sentence(analysis: Analysis) -> None:
    with pytest.raises(UnknownSeries, match=r"^no series has the UID 'nope@x'; ") as err:
        what_if(analysis, PERIOD, [SeriesChange(" nope@x ", SHARED)], today=TODAY)
    assert "\n" not in str(err.value)
    with pytest.raises(UsageError, match="both name 'sync'"):
        what_if(analysis, PERIOD, [SeriesChange("sync", SHARED), SeriesChange("sync", WITHOUT)])
