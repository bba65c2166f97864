"""Never a false all-clear: each week's range and verdict, and the week in progress.

Hours are chosen so every share is exact: a week with unclassified hours that
could still be translation is "unsure", never "under"; the week containing
today and later weeks stay out of streaks, "weeks over" and the period's figures.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from freezegun import freeze_time

from pmload.config import parse_settings
from pmload.model import Occurrence
from pmload.period import Period, parse_period
from pmload.rules.audit import audit_to_json
from pmload.vocab import Verdict
from tests.core.test_audit import BRIDGE, RULES, TECH, analysis, local, occ

UNKNOWN = ("x@unknown.test",)
UNKNOWN_2 = ("z@unknown.test", "t@eng.acme.test")
CROWDED = ("kim@acme.test", *BRIDGE)  # technical + business + another PM: unclassified


def _week(
    monday: date, translation: float, coordination: float, unclassified: float
) -> list[Occurrence]:
    """Meetings of one week with these hours (translation by sole bridge)."""
    out: list[Occurrence] = []
    if translation:
        out.append(occ(local(monday.year, monday.month, monday.day, 9), 60 * translation, BRIDGE))
    if coordination:
        day = monday + timedelta(days=1)
        out.append(occ(local(day.year, day.month, day.day, 9), 60 * coordination, TECH, "Sync"))
    if unclassified:
        day = monday + timedelta(days=2)
        out.append(
            occ(local(day.year, day.month, day.day, 9), 60 * unclassified, UNKNOWN, "Vendor")
        )
    return out


W02 = date(2026, 1, 5)
LATER = date(2026, 6, 1)  # "today" for weeks that are all complete


def _only(occs: list[Occurrence], label: str, rules: str = RULES) -> dict[str, Any]:
    a = analysis(occs, parse_settings(rules))
    return audit_to_json(a.audit(parse_period(week=label), today=LATER))["weeks"][0]  # type: ignore[no-any-return]


def test_over_under_and_unsure_from_the_range() -> None:
    # over: 3 h translation of 5 h, nothing unclassified -> 60%..60%
    w = _only(_week(W02, 3, 2, 0), "2026-W02")
    assert (w["share_low"], w["share_high"], w["verdict"]) == (0.6, 0.6, "over")
    assert w["over_threshold"] is True
    # under: 1 h translation, 0.5 h unclassified of 4 h -> 25%..37.5%, all of it under 40%
    w = _only(_week(W02, 1, 2.5, 0.5), "2026-W02")
    assert (w["share_low"], w["share_high"], w["verdict"]) == (0.25, 0.375, "under")
    # unsure: 1 h translation, 2 h unclassified of 5 h -> 20%..60%: not a green "under"
    w = _only(_week(W02, 1, 2, 2), "2026-W02")
    assert (w["share_low"], w["share_high"], w["verdict"]) == (0.2, 0.6, "unsure")
    assert w["translation_share"] == 0.2 and w["over_threshold"] is False
    assert w["streak"] == 0


def test_a_range_ending_exactly_at_the_threshold_is_under() -> None:
    # 1 h translation + 1 h unclassified of 5 h: the high end is 40%, not above it.
    w = _only(_week(W02, 1, 3, 1), "2026-W02")
    assert (w["share_low"], w["share_high"], w["verdict"]) == (0.2, 0.4, "under")
    # 2 h of 5 h, all classified: exactly at the line is not over.
    w = _only(_week(W02, 2, 3, 0), "2026-W02")
    assert (w["share_low"], w["share_high"], w["verdict"]) == (0.4, 0.4, "under")
    # A second of unclassified time above the line makes it unsure.
    w = _only([*_week(W02, 1, 3, 1), occ(local(2026, 1, 9, 9), 1 / 60, UNKNOWN)], "2026-W02")
    assert w["verdict"] == "unsure"


def test_working_hours_basis_divides_the_range_by_the_working_week() -> None:
    rules = 'basis = "working-hours"\nworking_hours = 20\n' + RULES
    # 6 h translation, 4 h unclassified of a 20 h week -> 30%..50%
    w = _only(_week(W02, 6, 1, 4), "2026-W02", rules)
    assert (w["share_low"], w["share_high"], w["verdict"]) == (0.3, 0.5, "unsure")
    # 9 h translation -> 45% even with nothing else: over
    w = _only(_week(W02, 9, 0, 0), "2026-W02", rules)
    assert (w["share_low"], w["share_high"], w["verdict"]) == (0.45, 0.45, "over")


def test_what_settles_an_unsure_week_is_its_unknown_people_and_unclassified_series() -> None:
    occs = [
        *_week(W02, 1, 1, 1),  # "Vendor" with x@unknown.test
        occ(local(2026, 1, 8, 9), 60, UNKNOWN_2, "Partner"),  # z@unknown.test + an engineer
        occ(local(2026, 1, 9, 9), 30, CROWDED, "Crowded"),  # no unknown people, still unclassified
        occ(local(2026, 1, 9, 11), 30, UNKNOWN, "Team sync"),  # keyword: classified, not counted
    ]
    a = analysis(occs)
    w = a.audit(parse_period(week="2026-W02"), today=LATER).weeks[0]
    assert w.verdict is Verdict.UNSURE
    assert w.unknown_people == ("x@unknown.test", "z@unknown.test")
    assert len(w.unclassified_series) == 3
    j = audit_to_json(a.audit(parse_period(week="2026-W02"), today=LATER))
    assert (j["weeks"][0]["unknown_people"], j["weeks"][0]["unclassified_series"]) == (2, 3)
    assert j["weeks"][0]["unclassified_hours"] == 2.5
    assert (j["summary"]["unknown_people"], j["summary"]["unclassified_series"]) == (2, 3)


def _over_every_week(first: date, weeks: int) -> list[Occurrence]:
    return [m for i in range(weeks) for m in _week(first + timedelta(weeks=i), 3, 2, 0)]


def test_week_in_progress_and_scheduled_weeks_stay_out_of_streaks_and_weeks_over() -> None:
    # Over every week W02..W06; today is Wednesday of W05.
    a = analysis(_over_every_week(W02, 5))
    period = Period(date(2025, 12, 29), date(2026, 2, 8))  # W01 (no data) .. W06
    today = date(2026, 1, 28)
    data = audit_to_json(a.audit(period, today=today))
    weeks = {w["week"]: w for w in data["weeks"]}
    assert [w["streak"] for w in data["weeks"]] == [0, 1, 2, 3, 0, 0]
    assert weeks["2026-W05"]["in_progress"] is True and weeks["2026-W05"]["verdict"] == "over"
    assert weeks["2026-W06"]["scheduled"] is True and weeks["2026-W06"]["in_progress"] is False
    assert [w["in_progress"] for w in data["weeks"]].count(True) == 1
    s = data["summary"]
    assert (s["weeks_over"], s["complete_weeks"], s["current_streak"], s["longest_streak"]) == (
        3,
        4,
        3,
        3,
    )
    assert (s["in_progress_week"], s["scheduled_weeks"]) == ("2026-W05", 1)
    # The period's share: 9 h of 15 h over the complete weeks W01..W04, not 15 of 25.
    assert (s["share"], s["share_low"], s["share_high"], s["verdict"]) == (0.6, 0.6, 0.6, "over")
    # W01 has no calendar data: it does not pull the mean weekly share down to 45%.
    assert (s["mean_weekly_share"], s["weeks_without_data"]) == (0.6, 1)


def test_an_unsure_week_breaks_a_streak_and_counts_as_unsure() -> None:
    occs = [*_over_every_week(W02, 2), *_week(W02 + timedelta(weeks=2), 1, 2, 2)]
    occs += _over_every_week(W02 + timedelta(weeks=3), 1)
    data = audit_to_json(a := analysis(occs).audit(Period.of_weeks(W02, 4), today=LATER))
    assert [w["verdict"] for w in data["weeks"]] == ["over", "over", "unsure", "over"]
    assert [w["streak"] for w in data["weeks"]] == [1, 2, 0, 1]
    assert (data["summary"]["weeks_over"], data["summary"]["weeks_unsure"]) == (3, 1)
    # 10 h translation, 2 h unclassified of 20 h: 50%..60%, over whatever the 2 h are.
    assert (data["summary"]["share_low"], data["summary"]["share_high"]) == (0.5, 0.6)
    assert a.summary.verdict is Verdict.OVER


def test_a_period_that_is_only_unclassified_is_unsure_not_zero_and_under() -> None:
    # The defect: sides not set yet, so nothing is translation and the share reads 0%.
    data = audit_to_json(analysis(_week(W02, 0, 2, 4)).audit(Period.of_weeks(W02, 1), today=LATER))
    s = data["summary"]
    assert (s["share"], s["share_high"], s["verdict"], s["weeks_unsure"]) == (
        0.0,
        0.667,
        "unsure",
        1,
    )


def test_default_today_is_in_the_users_zone() -> None:
    a = analysis(_over_every_week(W02, 3))
    # 06:00 UTC on Monday 19 January is still Sunday 18 January in Los Angeles (W03).
    with freeze_time("2026-01-19 06:00:00", tz_offset=0):
        weeks = a.audit(Period.of_weeks(W02, 3)).weeks
        assert a.current_week() == date(2026, 1, 12)
    assert [w.in_progress for w in weeks] == [False, True, False]
    assert [w.scheduled for w in weeks] == [False, False, True]
    assert [w.streak for w in weeks] == [1, 0, 0]


def test_a_week_without_calendar_data_is_not_a_week_without_meetings() -> None:
    solo = occ(local(2026, 1, 13, 9), 60, (), "Focus")  # no other person: not a meeting
    occs = [*_week(W02, 1, 1, 0), solo, *_week(date(2026, 1, 26), 1, 1, 0)]
    a = analysis(occs)
    weeks = a.audit(Period.of_weeks(W02, 5), today=LATER).weeks
    assert [w.has_data for w in weeks] == [True, True, False, True, False]
    assert [w.meetings for w in weeks] == [2, 0, 0, 2, 0]  # W03 has only a solo event
    assert weeks[1].verdict is Verdict.UNDER and weeks[1].meeting_hours == 0
    j = audit_to_json(a.audit(Period.of_weeks(W02, 5), today=LATER))
    assert [w["has_data"] for w in j["weeks"]] == [True, True, False, True, False]
    # Navigation stops at the weeks with data.
    assert (a.first_week, a.last_week) == (W02, date(2026, 1, 26))
    assert a.latest_complete_week(today=date(2026, 1, 28)) == date(2026, 1, 12)
    assert a.latest_complete_week(today=date(2026, 1, 7)) is None
    assert a.current_week(today=date(2026, 1, 28)) == date(2026, 1, 26)
