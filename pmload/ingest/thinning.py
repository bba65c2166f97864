"""Keep each series to what a person can attend (the limits are in pmload.ingest.limits).

Three steps on parsed components, around recurring-ical-events:

* :func:`thin` rewrites a *plain* rule more frequent than daily
  (``FREQ=SECONDLY`` and the like, nothing but FREQ/INTERVAL/COUNT/UNTIL)
  before expansion: its INTERVAL is raised so that no occurrence overlaps
  the one before (a 30-minute meeting "every second" becomes every 30
  minutes), its DTSTART moves forward by whole steps to just before the
  window, and it ends after :data:`~pmload.ingest.limits.MAX_PER_SERIES`
  more occurrences. dateutil steps in wall-clock time, so the moves are in
  wall-clock time too and land on the same instants the rule would give.
* :func:`refusal` is the last check before expansion: the work a master's
  rules ask for, computed from the parsed values (whatever the text screen
  in pmload.ingest.limits estimated). A rule over the budget is never expanded.
* :func:`cap_series` drops, after expansion, occurrences that overlap the
  previous one of the same series, and keeps the first ``MAX_PER_SERIES``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from pmload.ingest.limits import (
    MAX_PER_SERIES,
    SERIES_BUDGET,
    interval_problem,
    is_plain_sub_daily,
    rule_cost,
    rule_parts,
)

_UNIT = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600}
MARGIN_STEPS = 60


@dataclass(frozen=True, slots=True)
class Thinned:
    """A rule that :func:`thin` rewrote, for the warning after expansion."""

    freq: str
    interval: int
    length: timedelta
    stretched: bool
    total: int


def _rules(comp: Any) -> list[Any]:
    rules = comp.get("RRULE")
    if rules is None:
        return []
    return list(rules) if isinstance(rules, list) else [rules]


def _parts(rule: Any) -> dict[str, str]:
    try:
        return rule_parts(rule.to_ical().decode())
    except Exception:
        return {"FREQ": "?"}


def _length(comp: Any, start: datetime) -> timedelta:
    end = comp.get("DTEND")
    if end is not None and isinstance(end.dt, datetime):
        e = end.dt
        if (e.tzinfo is None) != (start.tzinfo is None):
            return timedelta(0)
        return max(timedelta(0), e - start if e.tzinfo is None else _utc(e) - _utc(start))
    duration = comp.get("DURATION")
    if duration is not None and isinstance(duration.dt, timedelta):
        return max(timedelta(0), duration.dt)
    return timedelta(0)


def _utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC)


def _local(dt: datetime) -> datetime:
    return dt.replace(tzinfo=None)


def _wall(instant: datetime, like: datetime) -> datetime:
    """The wall-clock time of an aware ``instant`` in the zone of ``like`` (naive)."""
    if like.tzinfo is None:
        return _local(instant)
    return _local(instant.astimezone(like.tzinfo))


def _until_like(rule: Any, start: datetime) -> datetime | None:
    """The rule's UNTIL as a datetime comparable with the rewritten one (UTC when zoned)."""
    values = rule.get("UNTIL") if "UNTIL" in rule else None
    until = values[0] if isinstance(values, list) and values else values
    if until is None:
        return None
    if not isinstance(until, datetime):
        if not isinstance(until, date):
            return None
        until = datetime.combine(until, time(23, 59, 59))
    if start.tzinfo is None:
        return _local(until)
    if until.tzinfo is None:
        until = until.replace(tzinfo=start.tzinfo)
    return _utc(until)


def thin(comp: Any, first: date, last: date, zone: Any) -> Thinned | None:
    """Rewrite a plain sub-daily rule of ``comp`` in place (see the module docstring)."""
    from icalendar import vDDDTypes, vRecur

    rules = _rules(comp)
    if len(rules) != 1:
        return None
    parts = _parts(rules[0])
    if not is_plain_sub_daily(parts) or interval_problem(parts):
        return None
    start_prop = comp.get("DTSTART")
    start = getattr(start_prop, "dt", None)
    if not isinstance(start, datetime):
        return None
    freq = parts["FREQ"].upper()
    n = int(parts.get("INTERVAL", "1"))
    step = timedelta(seconds=n * _UNIT[freq])
    length = _length(comp, start)
    m = max(1, math.ceil(length / step)) if length > step else 1
    new_step = step * m
    local = _local(start)
    w0 = _wall(datetime.combine(first, time(), tzinfo=zone), start)
    w1 = _wall(datetime.combine(last + timedelta(days=1), time(), tzinfo=zone), start)
    # Steps kept before the window for a DST shift at its edge (the exact instants of
    # wall-clock steps can move by the shift): an hour's worth, at most MARGIN_STEPS.
    margin = 2 + min(MARGIN_STEPS, math.ceil(timedelta(hours=1) / new_step))
    k = max(0, math.floor((w0 - local) / new_step) - margin)
    new_local = local + k * new_step
    bound = margin + MAX_PER_SERIES + 2
    rule = vRecur(FREQ=freq, INTERVAL=n * m)
    if "WKST" in parts:
        rule["WKST"] = parts["WKST"]
    until = _until_like(rules[0], start)
    count = int(parts["COUNT"]) if parts.get("COUNT", "").lstrip("-").isdigit() else None
    end_local = w1
    if count is not None:
        rule["COUNT"] = max(1, min(math.ceil(max(count, 0) / m) - k, bound))
        if count - 1 < (w1 - local) / step:
            end_local = local + max(count - 1, 0) * step
    else:
        limit_local = new_local + (bound - 1) * new_step
        limit: datetime = (
            _utc(limit_local.replace(tzinfo=start.tzinfo)) if start.tzinfo else limit_local
        )
        if until is not None:
            end_local = min(w1, _wall(until, start) if until.tzinfo else until)
            limit = min(limit, until)
        rule["UNTIL"] = limit
    total = max(0, math.floor((end_local - max(w0, local)) / step) + 1)
    comp["RRULE"] = rule
    delta = new_local - local
    if delta:
        comp["DTSTART"] = vDDDTypes(new_local.replace(tzinfo=start.tzinfo))
        end = comp.get("DTEND")
        if end is not None and isinstance(end.dt, datetime):
            comp["DTEND"] = vDDDTypes((_local(end.dt) + delta).replace(tzinfo=end.dt.tzinfo))
    return Thinned(freq, n, length, m > 1, total)


def refusal(comp: Any, span: tuple[date, date]) -> tuple[str, str] | None:
    """``(property, reason)`` when the master ``comp``'s rules ask for too much work."""
    start = getattr(comp.get("DTSTART"), "dt", None)
    if start is None:
        return None
    day = start.date() if isinstance(start, datetime) else start
    total = 0.0
    for rule in _rules(comp):
        parts = _parts(rule)
        problem = interval_problem(parts)
        if problem:
            return "RRULE", problem
        cost = rule_cost(parts, day, span)
        total += cost.work
        if total > SERIES_BUDGET:
            return "RRULE", (
                f"its RRULE (FREQ={parts.get('FREQ', '?').upper()}) repeats up to about "
                f"{cost.repeats:,.0f} times, far more than any meeting series; it was not expanded"
            )
    return None


def cap_series(rows: list[Any]) -> tuple[list[Any], int, int]:
    """Rows of one series without overlaps, at most MAX_PER_SERIES: (rows, overlapping, capped).

    A row is a pmload.ingest.expand Row: index 3 is the start, 4 the end.
    """
    if len(rows) < 2:
        return rows, 0, 0
    in_order = all(a[3] <= b[3] for a, b in pairwise(rows))
    ordered = rows if in_order else sorted(rows, key=_start)
    kept: list[Any] = []
    overlapping = capped = 0
    busy_until = -math.inf
    for row in ordered:
        if row.start_ts < busy_until:
            overlapping += 1
            continue
        if len(kept) >= MAX_PER_SERIES:
            capped += 1
            continue
        kept.append(row)
        busy_until = max(busy_until, row.end_ts)
    return kept, overlapping, capped


def _start(row: Any) -> float:
    return float(row.start_ts)


def human(delta: timedelta) -> str:
    """'30 minutes', '2 hours', '45 seconds'."""
    seconds = int(delta.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
