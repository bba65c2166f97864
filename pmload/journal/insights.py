"""What the journal says over weeks: weekly means, the link with translation share,
a calm note when scores stay high, and peer-council reminders.

The weekly translation shares come in as plain values (ISO week label ->
share), so this module does not depend on the calendar classification.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pmload.journal.records import Entry, Peer

MIN_WEEKS = 6
HIGH_SCORE = 7.0
HIGH_WEEKS = 3
PEER_REMINDER_DAYS = 30
ADVISED_PEERS = 3


def week_label(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def week_monday(label: str) -> date:
    year, week = label.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


@dataclass(frozen=True, slots=True)
class WeekWellbeing:
    """A week's mean scores over the entries that recorded them (None: none did)."""

    week: str
    burnout: float | None
    isolation: float | None
    entries: int


def mean_score(values: Iterable[int | None]) -> float | None:
    """The mean of the recorded scores (a score not set is not a 0), None without any."""
    recorded = [v for v in values if v is not None]
    return sum(recorded) / len(recorded) if recorded else None


def weekly(entries: Iterable[Entry]) -> list[WeekWellbeing]:
    """Mean burnout and isolation per ISO week, oldest first."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        groups[week_label(e.day)].append(e)
    return [
        WeekWellbeing(
            w,
            mean_score(e.burnout for e in es),
            mean_score(e.isolation for e in es),
            len(es),
        )
        for w, es in sorted(groups.items())
    ]


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None when fewer than 2 pairs or either side does not vary."""
    n = len(xs)
    if n != len(ys) or n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _next_week(label: str) -> str:
    return week_label(week_monday(label) + timedelta(days=7))


@dataclass(frozen=True, slots=True)
class Link:
    """Correlations of one measure with the translation share, same week and a week later."""

    measure: str
    same_week: float | None
    same_n: int
    lagged: float | None
    lagged_n: int


def links(weeks: Sequence[WeekWellbeing], shares: Mapping[str, float]) -> list[Link]:
    out = []
    by_week = {w.week: w for w in weeks}
    for measure in ("burnout", "isolation"):
        same = [
            (shares[w.week], getattr(w, measure))
            for w in weeks
            if w.week in shares and getattr(w, measure) is not None
        ]
        lag = [
            (share, getattr(by_week[_next_week(week)], measure))
            for week, share in shares.items()
            if _next_week(week) in by_week
            and getattr(by_week[_next_week(week)], measure) is not None
        ]
        out.append(
            Link(
                measure=measure,
                same_week=pearson([a for a, _ in same], [b for _, b in same]),
                same_n=len(same),
                lagged=pearson([a for a, _ in lag], [b for _, b in lag]),
                lagged_n=len(lag),
            )
        )
    return out


def _strength(r: float) -> str:
    a = abs(r)
    if a < 0.1:
        return "no clear"
    if a < 0.3:
        return "a weak"
    if a < 0.5:
        return "a moderate"
    return "a strong"


def _phrase(r: float | None, measure: str, when: str) -> str:
    if r is None:
        return f"too little variation to compare with {measure} {when}"
    if abs(r) < 0.1:
        return f"no clear change in {measure} {when} (r = {r:+.2f})"
    direction = "higher" if r > 0 else "lower"
    return f"{direction} {measure} {when} ({_strength(r)} link, r = {r:+.2f})"


def describe_links(weeks: Sequence[WeekWellbeing], shares: Mapping[str, float]) -> str:
    """The correlations in words, or why there are not enough weeks yet."""
    found = links(weeks, shares)
    n = max(link.same_n for link in found)
    if n < MIN_WEEKS:
        return (
            f"Not enough weeks to compare yet: {n} week(s) have both journal entries and "
            f"calendar figures, and at least {MIN_WEEKS} are needed."
        )
    sentences = [f"Over {n} weeks of journal entries and calendar figures:"]
    for link in found:
        if link.same_n < MIN_WEEKS:
            sentences.append(
                f"only {link.same_n} of those weeks have {link.measure} scores, too few to compare."
            )
            continue
        text = _phrase(link.same_week, link.measure, "the same week")
        if link.lagged_n >= MIN_WEEKS:
            text += " and " + _phrase(link.lagged, link.measure, "the week after")
        sentences.append(f"weeks with a higher translation share went with {text}.")
    sentences[2] = sentences[2][0].upper() + sentences[2][1:]
    sentences.append("A correlation shows things moving together, not that one causes the other.")
    return " ".join(sentences)


def sustained_high(entries: Sequence[Entry], today: date) -> str | None:
    """A calm note when burnout or isolation averaged 7+ for the last 3 weeks in a row."""
    by_week = {w.week: w for w in weekly(entries)}
    if not by_week:
        return None
    current = week_label(today)
    last = max(by_week)
    if last not in (current, week_label(today - timedelta(days=7))):
        return None
    label = last
    for _ in range(HIGH_WEEKS):
        w = by_week.get(label)
        scores = [] if w is None else [s for s in (w.burnout, w.isolation) if s is not None]
        if not scores or max(scores) < HIGH_SCORE:
            return None
        label = week_label(week_monday(label) - timedelta(days=7))
    return (
        f"Your burnout or isolation scores have stayed high for {HIGH_WEEKS} weeks or more. "
        "That is a lot to carry alone. It may help to talk it through with someone you "
        "trust, with your peer council, or with a professional such as your doctor or an "
        "employee assistance service."
    )


def peer_reminders(peers: Sequence[Peer], today: date) -> list[str]:
    """Gentle reminders about peers not talked to for a while, and a small council."""
    out = []
    for p in peers:
        if p.last_talked is None:
            out.append(f"You have not logged a conversation with {p.name} yet.")
        elif (today - p.last_talked).days > PEER_REMINDER_DAYS:
            days = (today - p.last_talked).days
            out.append(f"It has been {days} days since you talked with {p.name}.")
    if len(peers) < ADVISED_PEERS:
        out.append(
            f"A peer council of about {ADVISED_PEERS} people is advised; you have "
            f"{len(peers)} so far."
        )
    return out


REVIEW_PROMPTS = (
    "Which meeting this week left you as the only bridge, and what structure would fix it?",
    "When did you feel doubted by one side on the other side's subject?",
    "Who could judge your work this week, and did you ask them?",
    "Did you raise a risk or fairness concern alone? Who could share it next time?",
    "What gave you energy this week?",
)


def review_prompt(day: date) -> str:
    """The Friday review prompt for the week of ``day`` (rotates weekly)."""
    return REVIEW_PROMPTS[day.isocalendar().week % len(REVIEW_PROMPTS)]
