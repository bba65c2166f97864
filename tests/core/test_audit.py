"""The weekly audit: shares, flags, streaks and the per-week load figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from pmload.config import Settings, parse_settings
from pmload.model import Attendee, Occurrence, occurrence_id
from pmload.period import Period, parse_period
from pmload.rules.analysis import Analysis
from pmload.rules.audit import audit_to_json

LA = ZoneInfo("America/Los_Angeles")
RULES = """
me = ["me@acme.test"]
[people]
technical = ["*@eng.acme.test"]
business = ["*@biz.acme.test"]
product = ["kim@acme.test"]
"""
SETTINGS = parse_settings(RULES)
BRIDGE = ("t@eng.acme.test", "b@biz.acme.test")
TECH = ("t@eng.acme.test",)


def occ(
    start: datetime,
    minutes: float,
    people: tuple[str, ...] = TECH,
    title: str = "Chat",
    uid: str | None = None,
) -> Occurrence:
    start = start.astimezone(UTC)
    uid = uid or f"{title}-{start.isoformat()}"
    return Occurrence(
        occurrence_id(uid, start.isoformat()),
        1,
        uid,
        None,
        start,
        start + timedelta(minutes=minutes),
        "utc",
        title,
        "me@acme.test",
        tuple(Attendee(p) for p in people),
        None,
        None,
    )


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LA)


def analysis(occs: list[Occurrence], settings: Settings = SETTINGS) -> Analysis:
    return Analysis(None, settings, LA, sorted(occs, key=lambda o: o.start))


def week(a: Analysis, label: str) -> dict[str, object]:
    return audit_to_json(a.audit(parse_period(week=label)))["weeks"][0]  # type: ignore[no-any-return]


def test_json_contract_keys_and_values() -> None:
    a = analysis(
        [
            occ(local(2026, 1, 5, 10), 60, BRIDGE, "Model chat", uid="m"),
            occ(local(2026, 1, 6, 10), 90, TECH, "Team sync"),
        ]
    )
    data = audit_to_json(a.audit(parse_period(week="2026-W02")))
    assert list(data) == ["threshold", "basis", "weeks", "summary", "next_week"]
    assert (data["threshold"], data["basis"]) == (0.4, "meetings")
    w = data["weeks"][0]
    assert list(w)[:7] == [
        "week",
        "start",
        "meeting_hours",
        "hours",
        "translation_share",
        "over_threshold",
        "streak",
    ]
    assert w["week"] == "2026-W02" and w["start"] == "2026-01-05"
    assert w["meeting_hours"] == 2.5
    assert w["hours"] == {
        "translation": 1.0,
        "coordination": 1.5,
        "strategy": 0.0,
        "unclassified": 0.0,
    }
    assert (w["translation_share"], w["over_threshold"], w["streak"]) == (0.4, False, 0)
    assert w["top_translation_series"] == [{"title": "Model chat", "hours": 1.0}]
    assert (w["bridge_hours"], w["people_met"]) == (1.0, 2)
    assert set(data["summary"]) == {
        "share",
        "mean_weekly_share",
        "weeks_over",
        "longest_streak",
        "current_streak",
        "rolling_4w_share",
        "share_low",
        "share_high",
        "verdict",
        "weeks_unsure",
        "complete_weeks",
        "weeks_without_data",
        "in_progress_week",
        "scheduled_weeks",
        "unknown_people",
        "unclassified_series",
    }


def test_share_exactly_at_threshold_is_not_flagged_but_just_above_is() -> None:
    # 2 h translation of 5 h = 0.40 exactly: not flagged.
    base = [occ(local(2026, 1, 5, 9), 120, BRIDGE), occ(local(2026, 1, 6, 9), 180)]
    assert week(analysis(base), "2026-W02")["over_threshold"] is False
    # 2 h + 1 s of 5 h + 1 s: rounds to 0.4 but is strictly greater.
    above = [occ(local(2026, 1, 5, 9), 120 + 1 / 60, BRIDGE), occ(local(2026, 1, 6, 9), 180)]
    w = week(analysis(above), "2026-W02")
    assert w["translation_share"] == 0.4 and w["over_threshold"] is True and w["streak"] == 1


def test_late_sunday_local_is_that_weeks_meeting_even_when_monday_in_utc() -> None:
    late = occ(local(2026, 1, 11, 22), 60, BRIDGE)  # Sunday 22:00 LA = Monday 06:00 UTC
    assert late.start.weekday() == 0
    a = analysis([late])
    assert week(a, "2026-W02")["meeting_hours"] == 1.0
    assert week(a, "2026-W03")["meeting_hours"] == 0.0
    assert [c.occ.id for c in a.week_meetings(2026, 2)] == [late.id]


def test_dst_week_counts_absolute_hours() -> None:
    # Sunday 8 March 2026 01:00-04:00 LA is 2 real hours (clocks skip 02:00-03:00).
    start = local(2026, 3, 8, 1)
    end = local(2026, 3, 8, 4)
    minutes = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60
    assert minutes == 120
    a = analysis([occ(start, minutes), occ(local(2026, 3, 2, 0, 30), 30)])
    w = week(a, "2026-W10")
    assert w["meeting_hours"] == 2.5
    # Monday 00:30 local is before the working window; Sunday is not a workday.
    assert w["hours_outside_window"] == 2.5


def test_streaks_look_back_before_the_period() -> None:
    occs = []
    for i, monday in enumerate(
        [local(2026, 1, 5, 10), local(2026, 1, 12, 10), local(2026, 1, 19, 10)]
    ):
        occs.append(occ(monday, 60, BRIDGE))
        if i == 1:
            occs.append(occ(monday + timedelta(days=1), 240))  # week 2 is under the threshold
    occs.append(occ(local(2026, 1, 26, 10), 60, BRIDGE))
    a = analysis(occs)
    result = audit_to_json(
        a.audit(Period(local(2026, 1, 5, 0).date(), local(2026, 2, 1, 0).date()))
    )
    assert [w["streak"] for w in result["weeks"]] == [1, 0, 1, 2]
    assert result["summary"]["longest_streak"] == 2
    assert result["summary"]["current_streak"] == 2
    assert result["summary"]["weeks_over"] == 3
    # Asking for the last week alone still knows the streak that led to it.
    assert week(a, "2026-W05")["streak"] == 2


def test_working_hours_basis_divides_by_the_working_week() -> None:
    settings = parse_settings('basis = "working-hours"\nworking_hours = 20\n' + RULES)
    a = analysis([occ(local(2026, 1, 5, 10), 600, BRIDGE)], settings)
    data = audit_to_json(a.audit(parse_period(week="2026-W02")))
    assert data["basis"] == "working-hours"
    assert data["weeks"][0]["translation_share"] == 0.5
    assert data["weeks"][0]["over_threshold"] is True
    two = audit_to_json(a.audit(Period(local(2026, 1, 5, 0).date(), local(2026, 1, 18, 0).date())))
    assert two["summary"]["share"] == 0.25  # 10 h of 2 x 20 h


def test_back_to_back_switches_outside_and_focus() -> None:
    a = analysis(
        [
            occ(local(2026, 1, 5, 9), 60, BRIDGE),  # translation 9-10
            occ(local(2026, 1, 5, 10, 5), 55, TECH, "Sync"),  # coordination 10:05-11, 5 min gap
            occ(local(2026, 1, 5, 11, 6), 54, TECH, "Roadmap"),  # 6 min gap: new chain
            occ(local(2026, 1, 5, 12), 60, TECH, "Roadmap"),  # strategy, same category
            occ(local(2026, 1, 5, 17), 60, TECH, "Late sync"),  # half outside 17:30
        ]
    )
    w = week(a, "2026-W02")
    assert w["back_to_back_chains"] == 2 and w["longest_chain"] == 2
    assert w["context_switches"] == 3  # T->C, C->S, S->C
    assert w["hours_outside_window"] == 0.5
    # Monday: 9:00-13:00 busy, 13:00-17:00 free (4 h), 17:00-17:30 busy; Tue-Fri 8.5 h each.
    assert w["focus_hours"] == 4 + 4 * 8.5


def test_rolling_four_weeks_and_mean_share() -> None:
    occs = [occ(local(2026, 1, 5, 10), 60, BRIDGE), occ(local(2026, 1, 12, 10), 60)]
    occs += [occ(local(2026, 1, 19, 10), 60), occ(local(2026, 1, 26, 10), 60)]
    result = audit_to_json(analysis(occs).audit(parse_period(week="2026-W05")))
    assert result["summary"]["rolling_4w_share"] == 0.25
    assert result["summary"]["mean_weekly_share"] == 0.0


@st.composite
def calendars(draw: st.DrawFn) -> list[Occurrence]:
    n = draw(st.integers(0, 25))
    base = local(2026, 3, 2, 0)  # a DST week
    out = []
    for i in range(n):
        offset = draw(st.integers(0, 7 * 24 * 4 - 1)) * 15
        minutes = draw(st.integers(1, 240))
        people = draw(
            st.sampled_from([BRIDGE, TECH, ("kim@acme.test", *BRIDGE), ("x@y.test",), ()])
        )
        title = draw(st.sampled_from(["Chat", "Roadmap", "Sync", "Exec brief"]))
        out.append(occ(base + timedelta(minutes=offset), minutes, people, title, uid=f"u{i}"))
    return out


@given(calendars())
def test_property_shares_in_range_and_hours_add_up(occs: list[Occurrence]) -> None:
    result = analysis(occs).audit(parse_period(week="2026-W10"))
    for w in result.weeks:
        assert 0.0 <= w.translation_share <= 1.0
        assert abs(sum(w.hours.values()) - w.meeting_hours) < 1e-9
        assert w.focus_hours >= 0 and w.hours_outside_window <= w.meeting_hours + 1e-9
    s = result.summary
    assert 0.0 <= s.share <= 1.0 and 0.0 <= s.rolling_4w_share <= 1.0
