"""The sample calendar (pmload.ingest.sample): re-dated by whole weeks, rules merged, importable."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from pmload.config import load_settings
from pmload.context import Context
from pmload.ingest.sample import (
    anchor_of,
    install_sample,
    merge_sample_rules,
    sample_calendar_text,
    template_text,
    weeks_to_shift,
)
from pmload.rules.analysis import Analysis
from pmload.vocab import Side


def occurrences(text: str, first: date, last: date) -> list[Any]:
    cal = icalendar.Calendar.from_ical(text)
    return list(recurring_ical_events.of(cal).between(first, last + timedelta(days=1)))


def test_the_template_is_anchored_on_a_monday() -> None:
    assert anchor_of(template_text()).weekday() == 0


def test_weeks_to_shift_lands_the_anchor_on_todays_week() -> None:
    anchor = date(2026, 3, 2)
    assert weeks_to_shift(anchor, date(2026, 3, 2)) == 0
    assert weeks_to_shift(anchor, date(2026, 3, 8)) == 0  # Sunday of the anchor week
    assert weeks_to_shift(anchor, date(2026, 3, 9)) == 1
    assert weeks_to_shift(anchor, date(2025, 12, 31)) == -9


def test_redating_keeps_weekdays_and_times_and_fills_the_current_week() -> None:
    today = date(2027, 6, 17)  # a Thursday
    monday = today - timedelta(days=today.weekday())
    template = template_text()
    text = sample_calendar_text(today, "Europe/Paris")
    assert anchor_of(text) == monday
    shift = monday - anchor_of(template)
    before = occurrences(template, anchor_of(template), anchor_of(template) + timedelta(days=6))
    after = occurrences(text, monday, monday + timedelta(days=6))
    assert len(after) == len(before) > 20

    def key(e: Any, delta: timedelta) -> tuple[str, str]:
        start = e["DTSTART"].dt
        if hasattr(start, "hour"):
            return (str(e["SUMMARY"]), f"{(start.date() + delta):%a %Y-%m-%d} {start:%H:%M}")
        return (str(e["SUMMARY"]), f"{start + delta:%a %Y-%m-%d}")

    assert sorted(key(e, shift) for e in before) == sorted(key(e, timedelta(0)) for e in after)
    weekdays = {e["DTSTART"].dt.weekday() for e in after if hasattr(e["DTSTART"].dt, "hour")}
    assert {0, 1, 2, 3, 4} <= weekdays
    # Wall-clock times are placed in the user's zone.
    assert all(
        e["DTSTART"].dt.tzinfo is not None and "Paris" in str(e["DTSTART"].dt.tzinfo)
        for e in after
        if hasattr(e["DTSTART"].dt, "hour")
    )
    # Recurrence ends (UNTIL) move with the rest: the series still run to the end.
    last_week = occurrences(text, monday + timedelta(weeks=2), monday + timedelta(weeks=2, days=6))
    assert any(str(e["SUMMARY"]) == "ML standup" for e in last_week)


def test_merging_the_rules_keeps_the_users_own(ctx: Context) -> None:
    ctx.paths.rules_file.write_text(
        '# mine\nme = ["me@acme.test"]\n[people]\nbusiness = ["cfo@acme.test"]\n', encoding="utf-8"
    )
    merge_sample_rules(ctx.paths)
    merge_sample_rules(ctx.paths)  # twice: nothing is duplicated
    settings = load_settings(ctx.paths)
    assert settings.me == ("me@acme.test", "alex.rivera@northwind.test")
    assert settings.people[Side.BUSINESS][0] == "cfo@acme.test"
    assert settings.people[Side.BUSINESS].count("*@bigretail.test") == 1
    assert [r.keywords for r in settings.rules] == [("pricing council",)]
    assert ctx.paths.rules_file.read_text(encoding="utf-8").startswith("# mine")


def test_the_installed_sample_has_something_in_every_category(ctx: Context) -> None:
    report = install_sample(
        ctx.paths, ctx.conn, ZoneInfo("America/New_York"), today=date(2026, 11, 25)
    )
    assert [r.status for r in report.results] == ["imported"]
    analysis = Analysis.load(ctx.conn, load_settings(ctx.paths), ZoneInfo("America/New_York"))
    week = analysis.week_meetings(2026, 48)
    counted = [c for c in week if c.excluded is None]
    assert {c.category for c in counted} == {
        "translation",
        "coordination",
        "strategy",
        "unclassified",
    }
    assert {c.excluded for c in week} >= {None, "free", "declined", "cancelled"}
    rules = {c.rule for c in analysis.classified if c.excluded is None}
    assert rules >= {"sole-bridge", "keyword", "known-people", None}
    # The current week is over the line, on a streak: the app has something to say at once.
    from pmload.period import Period, parse_week

    w = analysis.audit(Period.of_weeks(parse_week("2026-W48"), 1)).weeks[0]
    assert w.over_threshold and w.streak >= 3
