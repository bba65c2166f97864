"""Limits on what one calendar file may cost, so hostile recurrence rules end in seconds.

A 300-byte invite can ask for an occurrence every second forever
(``RRULE:FREQ=SECONDLY``), loop in place (``INTERVAL=0``, invalid in RFC
5545), or define a time zone whose offset changes every second. The
expansion libraries (dateutil under recurring-ical-events) compute every
occurrence from DTSTART up to the end of the query — into a list, so a
caller cannot stop them half way. pmload therefore looks at the rules
*before* expanding anything:

* :func:`screen` reads each event group's RRULEs as text and estimates the
  work they ask for over the expansion span: occurrences in the span,
  occurrences before it (from DTSTART) and candidate steps (a SECONDLY
  rule filtered to one hour a day still steps through every second). The
  estimate is an upper bound; ordinary calendars stay far below it.
  ``INTERVAL`` below 1 skips the group. A *plain* rule more frequent than
  daily (nothing but FREQ, INTERVAL, COUNT, UNTIL, WKST) is left to
  pmload.ingest.thinning, which rewrites it to cost at most
  :data:`MAX_PER_SERIES` occurrences. Any other group above
  :data:`SERIES_BUDGET` is skipped with a reason; when a file as a whole asks
  for more than :data:`FILE_BUDGET`, or its heavy groups together for more
  than :data:`HEAVY_BUDGET`, its most expensive groups are skipped first, and
  a file that is over the budget with ordinary events alone is rejected (a
  shorter ``--from/--to`` window helps).
* after expansion each series keeps at most :data:`MAX_PER_SERIES`
  occurrences in the window, none overlapping the previous one
  (pmload.ingest.thinning.cap_series): a series cannot recur more often
  than it lasts and still be meetings a person attends.
* :func:`vtimezone_problem` refuses a time zone definition whose rules are
  anything but yearly (real zones change offset at most a few times a year).

Costs are counted in "occurrence equivalents": one occurrence in the span
(about 40 µs through recurring-ical-events, row building and storing), six
occurrences before it (dateutil only, about 4 µs each), or 150 bare
candidate steps (about 0.15 µs each). :data:`FILE_BUDGET` is about five
seconds of expansion; the scale-10 benchmark calendar (three busy years)
needs about 35,000.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MAX_PER_SERIES = 5_000
SERIES_BUDGET = 25_000
FILE_BUDGET = 100_000
# What a thinned series costs: its occurrences and the few kept before the window.
THINNED_COST = MAX_PER_SERIES + 64
# Groups cheaper than this are never skipped for the file's budget: they are ordinary events
# (a daily meeting over the five-year default window costs about 1,900).
ORDINARY_COST = 2_500
# The heavy groups of one file together: a few legitimately busy series fit, a file of
# hundreds of hostile ones does not.
HEAVY_BUDGET = 40_000

_SUB_DAILY = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600}
_PLAIN_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}
_FREQS = {"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_EVERY = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}

# A content line's parameters may hold quoted colons (TZID="GMT+01:00"): skip them whole.
_PARAMS = r'(?:;(?:[^:;"\n]|"[^"\n]*")*)*'
_RRULE_LINE = re.compile(rf"^RRULE{_PARAMS}:(.*)$", re.MULTILINE | re.IGNORECASE)
_DTSTART = re.compile(rf"^DTSTART{_PARAMS}:(\d{{8}})(T?)", re.MULTILINE | re.IGNORECASE)
_RDATE = re.compile(rf"^RDATE{_PARAMS}:(.*)$", re.MULTILINE | re.IGNORECASE)
_RECURRENCE_ID = re.compile(r"^RECURRENCE-ID[;:]", re.MULTILINE | re.IGNORECASE)
_NESTED = re.compile(r"^BEGIN:(?!VEVENT)", re.MULTILINE | re.IGNORECASE)


def rule_parts(value: str) -> dict[str, str]:
    """``FREQ=DAILY;INTERVAL=2`` as ``{"FREQ": "DAILY", "INTERVAL": "2"}`` (keys upper case)."""
    parts: dict[str, str] = {}
    for item in value.strip().split(";"):
        key, sep, val = item.partition("=")
        if sep:
            parts[key.strip().upper()] = val.strip()
    return parts


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _date(text: str | None) -> date | None:
    if not text or len(text) < 8 or not text[:8].isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def is_plain_sub_daily(parts: dict[str, str]) -> bool:
    """More frequent than daily, with nothing that filters or expands the occurrences."""
    return parts.get("FREQ", "").upper() in _SUB_DAILY and set(parts) <= _PLAIN_PARTS


# RFC 5545 3.3.10, and RFC 7529's RSCALE and SKIP.
_KNOWN_PARTS = {"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY"}
_KNOWN_PARTS |= {"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"}
_KNOWN_PARTS |= {"RSCALE", "SKIP"}


def part_problem(parts: dict[str, str]) -> str | None:
    """The reason a rule's parts cannot be read (an unknown part, no FREQ), or None."""
    import difflib

    for key in parts:
        if key not in _KNOWN_PARTS:
            close = difflib.get_close_matches(key, sorted(_KNOWN_PARTS), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            return f"its RRULE has an unknown part {key}={parts[key]}{hint}"
    freq = parts.get("FREQ", "").upper()
    if freq not in _FREQS:
        return f"its RRULE has no valid FREQ ({freq or 'none'})"
    return None


def interval_problem(parts: dict[str, str]) -> str | None:
    """The reason a rule's INTERVAL cannot be expanded, or None."""
    n = _int(parts.get("INTERVAL", "1"))
    if n is not None and n < 1:
        return f"its RRULE has INTERVAL={n}, which RFC 5545 does not allow (it must be 1 or more)"
    return None


@dataclass(frozen=True, slots=True)
class Cost:
    """Estimated work of one rule over the span, and how many times it repeats."""

    work: float
    repeats: float


def _per_day(parts: dict[str, str], freq: str, n: int) -> tuple[float, float]:
    """(occurrences per day, candidate steps per day): upper bounds."""

    def count(key: str) -> int:
        return len(parts[key].split(",")) if key in parts else 0

    hours, minutes, seconds = count("BYHOUR"), count("BYMINUTE"), count("BYSECOND")
    if freq in _SUB_DAILY:
        steps = 86400 / (_SUB_DAILY[freq] * n)
        per_step = 1
        if freq == "MINUTELY":
            per_step = max(1, seconds)
        elif freq == "HOURLY":
            per_step = max(1, minutes) * max(1, seconds)
        return min(86400.0, steps * per_step), steps
    times = max(1, hours) * max(1, minutes) * max(1, seconds)
    day_parts = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")
    if freq == "DAILY":
        days, period = 1.0, 1.0
    elif freq == "WEEKLY":
        days, period = float(min(7, max(1, count("BYDAY")))), 7.0
    elif freq == "MONTHLY":
        days, period = (31.0 if count("BYDAY") or count("BYMONTHDAY") else 1.0), 30.4
    else:  # YEARLY
        any_day = any(count(k) for k in day_parts)
        days, period = (366.0 if any_day else float(max(1, count("BYMONTH")))), 365.25
    return min(86400.0, days * times / (period * n)), 1 / (period * n)


def rule_cost(parts: dict[str, str], start: date, span: tuple[date, date]) -> Cost:
    """Upper bound of the work a rule starting on ``start`` asks for over ``span``."""
    freq = parts.get("FREQ", "").upper()
    n = _int(parts.get("INTERVAL", "1")) or 1
    if freq not in _FREQS or n < 1:
        return Cost(0.0, 0.0)  # refused or skipped elsewhere, never expanded
    per_day, steps_per_day = _per_day(parts, freq, n)
    first, last = span
    until = _date(parts.get("UNTIL"))
    end = min(until, last) if until is not None else last
    if end < start:
        return Cost(1.0, 1.0)
    days_before = max(0, (min(end, first) - start).days)
    days_in = max(0, (end - max(start, first)).days + 1)
    before = per_day * days_before
    inside = per_day * days_in
    steps = steps_per_day * (days_before + days_in)
    count = _int(parts.get("COUNT"))
    if count is not None and count >= 0:
        before, inside = min(before, count), min(inside, count)
        if is_plain_sub_daily(parts):
            steps = min(steps, count)
    return Cost(inside + before / 6 + steps / 150, before + inside)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A group that will not be expanded: the property at fault and why."""

    uid: str
    prop: str
    reason: str


@dataclass(frozen=True, slots=True)
class Screened:
    """The groups to expand (their UIDs, in order) and those refused."""

    accepted: list[str]
    refused: list[Refusal]


_RECURS = re.compile(r"^(?:RRULE|RDATE)[;:]", re.MULTILINE | re.IGNORECASE)


def _group_cost(blocks: Sequence[str], span: tuple[date, date]) -> tuple[float, Refusal | None]:
    if len(blocks) == 1 and not _RECURS.search(blocks[0]):
        return 1.0, None  # one event, one occurrence: most of a calendar
    work = 0.0
    for block in blocks:
        cut = _NESTED.search(block, 1)
        own = block if cut is None else block[: cut.start()]
        work += 1
        if _RECURRENCE_ID.search(own):
            continue
        for m in _RDATE.finditer(own):
            work += m.group(1).count(",") + 1
        sm = _DTSTART.search(own)
        # No start we can read: assume an old one (the parsed check in thinning has the last word).
        start = (_date(sm.group(1)) if sm else None) or span[0] - timedelta(days=365 * 30)
        rules = [rule_parts(rm.group(1)) for rm in _RRULE_LINE.finditer(own)]
        thinnable = len(rules) == 1 and sm is not None and bool(sm.group(2))
        for parts in rules:
            problem = part_problem(parts) or interval_problem(parts)
            if problem:
                return work, Refusal("", "RRULE", problem)
            if thinnable and is_plain_sub_daily(parts):
                work += THINNED_COST  # thinned before expansion (pmload.ingest.thinning)
                continue
            cost = rule_cost(parts, start, span)
            work += cost.work
            if cost.work > SERIES_BUDGET:
                freq = parts.get("FREQ", "").upper()
                return work, Refusal(
                    "",
                    "RRULE",
                    f"its RRULE (FREQ={freq}) repeats up to about {cost.repeats:,.0f} times by "
                    f"{min(span[1], _date(parts.get('UNTIL')) or span[1])}, far more than any "
                    "meeting series; it was not expanded",
                )
    if work > SERIES_BUDGET:
        return work, Refusal(
            "",
            "RDATE",
            f"it lists about {work:,.0f} dates (RDATE and overrides), far more than any "
            "meeting series; it was not expanded",
        )
    return work, None


def screen(groups: Iterable[tuple[str, Sequence[str]]], span: tuple[date, date]) -> Screened:
    """Which groups (``(uid, blocks)``) to expand over ``span``, and which to refuse.

    Raises :class:`OverBudget` when ordinary events alone exceed the file's budget.
    """
    accepted: list[tuple[str, float]] = []
    refused: list[Refusal] = []
    for uid, blocks in groups:
        work, refusal = _group_cost(blocks, span)
        if refusal is not None:
            refused.append(Refusal(uid, refusal.prop, refusal.reason))
        else:
            accepted.append((uid, work))
    total = sum(w for _, w in accepted)
    heavy = sorted(
        (i for i, (_, w) in enumerate(accepted) if w >= ORDINARY_COST),
        key=lambda i: -accepted[i][1],
    )
    heavy_total = sum(accepted[i][1] for i in heavy)
    if total > FILE_BUDGET or heavy_total > HEAVY_BUDGET:
        dropped: set[int] = set()
        for i in heavy:
            if total <= FILE_BUDGET and heavy_total <= HEAVY_BUDGET:
                break
            uid, work = accepted[i]
            dropped.add(i)
            total -= work
            heavy_total -= work
            refused.append(
                Refusal(
                    uid,
                    "RRULE",
                    f"it repeats up to about {work:,.0f} times in the import window; with the "
                    "rest of this file that is more than one import expands (a shorter "
                    "--from/--to window helps)",
                )
            )
        if total > FILE_BUDGET:
            raise OverBudget(total)
        accepted = [a for i, a in enumerate(accepted) if i not in dropped]
    return Screened([uid for uid, _ in accepted], refused)


class OverBudget(Exception):
    """Ordinary events alone ask for more than :data:`FILE_BUDGET` (``work`` is the estimate)."""

    def __init__(self, work: float) -> None:
        super().__init__(work)
        self.work = work


def every(freq: str, n: int) -> str:
    """'every second', 'every 15 minutes'."""
    unit = _EVERY.get(freq.upper(), freq.lower())
    return f"every {unit}" if n == 1 else f"every {n:,} {unit}s"


def span_of(first: date, last: date) -> tuple[date, date]:
    """The days the expansion looks at for a window (slack for zones, as pmload.ingest.expand)."""
    return first - timedelta(days=2), last + timedelta(days=3)


# --- time zone definitions -----------------------------------------------------------

# A real zone changes its offset a few times a year; allow some slack for odd generators.
_TZ_MAX_PER_YEAR = 1_500


def vtimezone_problem(block: str) -> str | None:
    """Why a VTIMEZONE definition is refused (its offset changes too often), or None."""
    for m in _RRULE_LINE.finditer(block):
        parts = rule_parts(m.group(1))
        freq = parts.get("FREQ", "").upper()
        if interval_problem(parts):
            return f"its rule has INTERVAL={parts.get('INTERVAL')}"
        if freq != "YEARLY":
            return f"its rule changes the offset more often than yearly (FREQ={freq or '?'})"
        per_day, _ = _per_day(parts, freq, _int(parts.get("INTERVAL", "1")) or 1)
        if per_day * 365.25 > _TZ_MAX_PER_YEAR:
            return "its rule changes the offset thousands of times a year"
    return None
