"""The period of a report: whole ISO weeks in the user's zone.

One parser serves every command that takes a period:

``--week 2026-W02``       that ISO week.
``--weeks N``             the last N *complete* ISO weeks (the current week is left out).
``--from DATE --to DATE`` every ISO week that overlaps those inclusive dates, each week whole.
``--from DATE``           from that date's week up to and including the current week.
``--to DATE``             the 12 weeks ending with that date's week.
(nothing)                 the last 12 weeks up to and including the current one.

Dates are whole days in the user's zone; "today" is today in that zone. Every
date and week given must fall in the years 1900 to 2200 (:data:`FIRST_DAY`,
:data:`LAST_DAY`): further out, converting a day to an instant overflows.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pmload.errors import UsageError

DEFAULT_WEEKS = 12
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
_WEEK_RE = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


def _range_text() -> str:
    return f"pmload handles dates from {FIRST_DAY} to {LAST_DAY}"


def check_day(day: date, what: str = "") -> date:
    """``day`` when it lies in [FIRST_DAY, LAST_DAY], else a one-sentence UsageError."""
    if not FIRST_DAY <= day <= LAST_DAY:
        name = f"{what} {day}" if what else str(day)
        raise UsageError(f"{name} is out of range: {_range_text()}.")
    return day


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD dates between FIRST_DAY and LAST_DAY."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use YYYY-MM-DD)") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"{text} is out of range: {_range_text()}")
    return day


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    """``2026-W02`` for the ISO week containing ``monday``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> date:
    """The Monday of an ISO week written ``YYYY-Www``; UsageError when there is no such week."""
    m = _WEEK_RE.match(text)
    if m is None:
        raise UsageError(f"'{text}' is not an ISO week; write it like 2026-W02.")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise UsageError(f"{year} has no ISO week {week}; write a week like 2026-W02.") from None
    if not FIRST_DAY <= monday <= LAST_DAY:
        raise UsageError(f"week {text.strip()} is out of range: {_range_text()}.")
    return monday


def local_midnight_utc(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) at which ``day`` begins in ``zone``."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def today_in(zone: ZoneInfo) -> date:
    return datetime.now(zone).date()


@dataclass(frozen=True, slots=True)
class Period:
    """Whole ISO weeks from ``first_monday`` to ``last_sunday`` (inclusive)."""

    first_monday: date
    last_sunday: date

    def weeks(self) -> list[date]:
        """The Monday of every week in the period, oldest first."""
        n = (self.last_sunday - self.first_monday).days // 7 + 1
        return [self.first_monday + timedelta(weeks=i) for i in range(n)]

    @property
    def week_count(self) -> int:
        return (self.last_sunday - self.first_monday).days // 7 + 1

    def start_utc(self, zone: ZoneInfo) -> datetime:
        return local_midnight_utc(self.first_monday, zone)

    def end_utc(self, zone: ZoneInfo) -> datetime:
        """The exclusive end: midnight after the last Sunday, in ``zone``."""
        return local_midnight_utc(self.last_sunday + timedelta(days=1), zone)

    def label(self) -> str:
        first, last = week_label(self.first_monday), week_label(self.last_sunday)
        return first if first == last else f"{first} to {last}"

    @classmethod
    def of_weeks(cls, first_monday: date, count: int) -> Period:
        return cls(first_monday, first_monday + timedelta(days=7 * count - 1))


def parse_period(
    week: str | None = None,
    weeks: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
) -> Period:
    """The period the options describe (see the module docstring); UsageError when they conflict."""
    today = today or date.today()
    given = [
        name
        for name, value in (("--week", week), ("--weeks", weeks), ("--from/--to", date_from))
        if value is not None
    ]
    if date_from is None and date_to is not None:
        given.append("--from/--to")
    if len(given) > 1:
        raise UsageError(f"use only one of {' and '.join(given)} to choose the period.")
    current = monday_of(today)
    if week is not None:
        return Period.of_weeks(parse_week(week), 1)
    if weeks is not None:
        if weeks < 1:
            raise UsageError("--weeks must be at least 1.")
        if weeks > (current - FIRST_DAY).days // 7:
            raise UsageError(f"--weeks {weeks} reaches back too far: {_range_text()}.")
        return Period.of_weeks(current - timedelta(weeks=weeks), weeks)
    if date_from is not None:
        check_day(date_from, "--from")
    if date_to is not None:
        check_day(date_to, "--to")
    if date_from is not None or date_to is not None:
        if date_from is None:
            assert date_to is not None
            last = monday_of(date_to)
            return Period.of_weeks(last - timedelta(weeks=DEFAULT_WEEKS - 1), DEFAULT_WEEKS)
        end = date_to if date_to is not None else max(today, date_from)
        if end < date_from:
            raise UsageError(f"--to {end} is before --from {date_from}.")
        return Period(monday_of(date_from), monday_of(end) + timedelta(days=6))
    return Period.of_weeks(current - timedelta(weeks=DEFAULT_WEEKS - 1), DEFAULT_WEEKS)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("it must be at least 1")
    return n


def add_period_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --week, --weeks, --from and --to; read them back with :func:`period_from_args`."""
    group = parser.add_argument_group(
        "period",
        "whole ISO weeks in your zone; default: the last 12 weeks up to and including this one",
    )
    only = group.add_mutually_exclusive_group()
    only.add_argument("--week", metavar="YYYY-Www", help="one ISO week, e.g. 2026-W02")
    only.add_argument(
        "--weeks", type=_positive, metavar="N", help="the last N complete weeks (not this one)"
    )
    group.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        metavar="DATE",
        help="first day (YYYY-MM-DD); every week it overlaps is reported whole",
    )
    group.add_argument(
        "--to",
        dest="date_to",
        type=iso_date,
        metavar="DATE",
        help="last day, inclusive (with --from alone: today)",
    )


def period_from_args(args: argparse.Namespace, zone: ZoneInfo) -> Period:
    return parse_period(
        week=getattr(args, "week", None),
        weeks=getattr(args, "weeks", None),
        date_from=getattr(args, "date_from", None),
        date_to=getattr(args, "date_to", None),
        today=today_in(zone),
    )
