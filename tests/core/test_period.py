"""The one period parser every command uses: whole ISO weeks in the user's zone."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from pmload.errors import UsageError
from pmload.period import (
    Period,
    add_period_arguments,
    parse_period,
    parse_week,
    period_from_args,
    week_label,
)

TODAY = date(2026, 3, 4)  # a Wednesday in 2026-W10


def test_default_is_the_last_12_weeks_including_this_one() -> None:
    p = parse_period(today=TODAY)
    assert p.week_count == 12
    assert week_label(p.weeks()[-1]) == "2026-W10"
    assert p.last_sunday == date(2026, 3, 8)
    assert p.first_monday == date(2025, 12, 15)


def test_weeks_n_is_the_last_n_complete_weeks() -> None:
    p = parse_period(weeks=4, today=TODAY)
    assert [week_label(m) for m in p.weeks()] == ["2026-W06", "2026-W07", "2026-W08", "2026-W09"]
    # On a Sunday the current week is still not complete.
    assert week_label(parse_period(weeks=1, today=date(2026, 3, 8)).first_monday) == "2026-W09"


def test_one_week() -> None:
    p = parse_period(week="2026-W02")
    assert (p.first_monday, p.last_sunday) == (date(2026, 1, 5), date(2026, 1, 11))
    assert parse_week("2020-W53") == date(2020, 12, 28)


@pytest.mark.parametrize(
    "text", ["2026-W54", "2025-W53", "2026-W00", "2026-02", "W02", "next week"]
)
def test_impossible_weeks_are_one_sentence_usage_errors(text: str) -> None:
    with pytest.raises(UsageError) as exc:
        parse_period(week=text)
    msg = str(exc.value)
    assert msg.endswith(".") and msg.count(". ") == 0 and "2026-W02" in msg


def test_from_to_reports_every_overlapping_week_whole() -> None:
    p = parse_period(date_from=date(2026, 1, 7), date_to=date(2026, 1, 12))
    assert (p.first_monday, p.last_sunday) == (date(2026, 1, 5), date(2026, 1, 18))
    assert p.label() == "2026-W02 to 2026-W03"


def test_from_alone_runs_to_this_week_and_to_alone_gives_12_weeks() -> None:
    p = parse_period(date_from=date(2026, 2, 1), today=TODAY)
    assert (week_label(p.first_monday), week_label(p.last_sunday)) == ("2026-W05", "2026-W10")
    q = parse_period(date_to=date(2026, 1, 1), today=TODAY)
    assert q.week_count == 12 and week_label(q.last_sunday) == "2026-W01"


def test_conflicts_and_reversed_dates_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="only one"):
        parse_period(week="2026-W02", date_from=date(2026, 1, 1))
    with pytest.raises(UsageError, match="before"):
        parse_period(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1))
    with pytest.raises(UsageError):
        parse_period(weeks=0)


def test_period_bounds_are_local_midnights_across_dst() -> None:
    la = ZoneInfo("America/Los_Angeles")
    p = Period(date(2026, 3, 2), date(2026, 3, 8))  # DST starts Sunday 8 March
    assert p.start_utc(la) == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert p.end_utc(la) == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # now UTC-7


def test_argparse_group_and_today_in_the_users_zone() -> None:
    parser = argparse.ArgumentParser()
    add_period_arguments(parser)
    args = parser.parse_args(["--from", "2026-01-07", "--to", "2026-01-07"])
    p = period_from_args(args, ZoneInfo("UTC"))
    assert p.week_count == 1
    with pytest.raises(SystemExit):
        parser.parse_args(["--week", "2026-W02", "--weeks", "3"])
    with pytest.raises(SystemExit):
        parser.parse_args(["--weeks", "0"])
