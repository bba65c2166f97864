"""The brief's "My asks": a few bullet points, drafted from the data, edited by the PM.

:func:`draft_asks` drafts them from the same facts as the talking points (a
second bridge, an interface contract, shared KPIs, written status, a peer
council) and from the what-if proposals the PM added in the app
(:func:`proposal_text`: "Sharing 'Sales x ML sync' with a second bridge would
bring my share from 46% to 38%"). The PM edits them in the Export dialog, or
writes them in a file (``pmload export brief --asks FILE``, read with
:func:`read_asks_file`: one bullet a line).

Each brief's asks are remembered per period in the store's ``asks`` table
(:func:`save_asks`), with the period's share as it was then, so the next brief
can say what was asked last time and what changed since
(:func:`since_text`: "Last time (to 2026-W08) I asked: …; since then my share
went 46% → 41%").

Asks are the user's words: they are printed as written, with or without
redaction (the draft itself uses the redactor's labels), and never logged.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pmload.errors import PmloadError, UsageError
from pmload.export.brief_facts import SECOND_BRIDGE_HOURS, BriefFacts
from pmload.export.redact import Redactor
from pmload.fileread import FileReadError, read_regular_file
from pmload.period import Period, week_label
from pmload.rules.analysis import Analysis
from pmload.rules.verdict import verdict_pct
from pmload.rules.whatif import SeriesChange, WhatIf, figures, what_if
from pmload.store import now_utc_iso, transaction
from pmload.vocab import Category, Verdict, WhatIfChange

log = logging.getLogger(__name__)

MAX_ASKS = 5
DRAFT_ASKS = 3  # drafted from the data (what-if proposals come on top): room for talking points
MAX_ASK_CHARS = 200
ASKS_FILE_LIMIT = 64 * 1024
_BULLETS = "-*•–+"


@dataclass(frozen=True, slots=True)
class SavedAsks:
    """The asks of one brief, with the period's share when it was made."""

    period: Period
    asks: tuple[str, ...]
    share: float | None
    share_high: float | None
    verdict: Verdict | None
    week: str  # the period's last complete week, '' when none
    saved_at: str


# --- drafting ------------------------------------------------------------------------


def _quote(label: str) -> str:
    return f"'{label}'"


def _share_of(result: WhatIf, after: bool, threshold: float) -> str:
    f = figures(result.after if after else result.before)
    if f.verdict is None:
        return "no data"
    return verdict_pct(f.share, f.share_high, f.verdict, threshold)


def proposal_text(result: WhatIf, redactor: Redactor | None = None) -> str:
    """One sentence for the brief: what the stacked changes of ``result`` would do.

    "Sharing 'Sales x ML sync' with a second bridge would bring my share from 46% to
    38%"; several changes are joined with "and"; weeks over are added when they
    change ("weeks over 5 → 2 of 6"); an unsure share prints as its range.
    """
    redactor = redactor or Redactor()
    parts = []
    for e in result.effects:
        label = _quote(redactor.title(e.title, e.uid, True, key=e.uid))
        if e.what is WhatIfChange.SHARED:
            parts.append(f"sharing {label} with a second bridge")
        else:
            parts.append(f"dropping {label} (or my place in it)")
    what = " and ".join(parts) or "this change"
    thr = result.before.threshold
    before, after = figures(result.before), figures(result.after)
    text = (
        f"{what[0].upper()}{what[1:]} would bring my share from "
        f"{_share_of(result, False, thr)} to {_share_of(result, True, thr)}"
    )
    if before.weeks_over != after.weeks_over:
        text += f" (weeks over {before.weeks_over} → {after.weeks_over} of {before.complete_weeks})"
    return text + "."


def proposals_for(
    analysis: Analysis,
    period: Period,
    proposals: Sequence[Sequence[SeriesChange]],
    redactor: Redactor | None = None,
    today: date | None = None,
) -> list[str]:
    """:func:`proposal_text` of each stacked set of changes, over ``period``.

    A set whose series is no longer stored is left out (the calendar changed since).
    """
    out = []
    for changes in proposals:
        try:
            result = what_if(analysis, period, changes, today=today)
        except PmloadError:
            continue
        out.append(proposal_text(result, redactor))
    return out


def prime_labels(facts: BriefFacts, redactor: Redactor) -> None:
    """Hand out the redacted labels in the brief table's order, so that an ask drafted
    before the page is drawn names a series as the table does ("Series A")."""
    for s in facts.series:
        s.label(redactor)


def draft_for(
    analysis: Analysis,
    facts: BriefFacts,
    redactor: Redactor,
    proposals: Sequence[Sequence[SeriesChange]] = (),
    today: date | None = None,
) -> list[str]:
    """The draft of "My asks" for the brief of ``facts``: the what-if ``proposals``
    (each a stack of changes, computed over the brief's period) then :func:`draft_asks`.
    Give the same ``redactor`` to the brief so the labels agree."""
    prime_labels(facts, redactor)
    texts = proposals_for(analysis, facts.result.period, proposals, redactor, today)
    return draft_asks(facts, redactor, texts)


def draft_asks(
    facts: BriefFacts, redactor: Redactor | None = None, proposals: Sequence[str] = ()
) -> list[str]:
    """A first draft of "My asks", from the facts behind the talking points and the
    what-if ``proposals`` (sentences from :func:`proposal_text`) first, then at most
    :data:`DRAFT_ASKS` from the data; at most :data:`MAX_ASKS` in all."""
    redactor = redactor or Redactor()
    prime_labels(facts, redactor)
    asks: list[str] = []
    if facts.n_weeks == 0 or facts.meeting_hours == 0:
        return list(proposals)[:MAX_ASKS]
    bridged = sorted(
        (s for s in facts.series if s.bridge_hours > 0), key=lambda s: (-s.bridge_hours, s.uid)
    )
    if bridged:
        asks.append(
            f"An interface contract for {_quote(bridged[0].label(redactor))}, so engineering "
            "and the business settle it without me."
        )
    if facts.bridge_hours_per_week >= SECOND_BRIDGE_HOURS:
        target = _quote(bridged[1].label(redactor)) if len(bridged) > 1 else "the bridged meetings"
        asks.append(f"A second bridge for {target}.")
    if len(facts.series) >= 3:
        asks.append("Shared KPIs owned by engineering and the business together.")
    if facts.category_share(Category.COORDINATION) >= 0.40:
        asks.append("Written status updates instead of some status meetings.")
    if facts.verdict is Verdict.OVER or facts.current_streak >= 2:
        asks.append("A small peer council: about three PMs from other teams, every two weeks.")
    return list(dict.fromkeys([*proposals, *asks[:DRAFT_ASKS]]))[:MAX_ASKS]


# --- the user's own text -----------------------------------------------------------


def clean_asks(lines: Sequence[str]) -> list[str]:
    """Bullet lines as the brief prints them: bullets and blanks dropped, '#' lines skipped.

    Raises ``UsageError`` (one sentence) for more than :data:`MAX_ASKS` asks or an ask
    longer than :data:`MAX_ASK_CHARS` characters: the brief is one page.
    """
    out = []
    for raw in lines:
        line = "".join(ch for ch in raw if ch.isprintable()).strip()
        if not line or line.startswith("#"):
            continue
        line = line.lstrip(_BULLETS).strip()
        if not line:
            continue
        if len(line) > MAX_ASK_CHARS:
            raise UsageError(
                f"an ask holds at most {MAX_ASK_CHARS} characters (the brief is one page); "
                f"one has {len(line)}."
            )
        out.append(line)
    if len(out) > MAX_ASKS:
        raise UsageError(
            f"the brief has room for {MAX_ASKS} asks; {len(out)} were given. Keep the "
            "most important ones."
        )
    return out


def read_asks_file(path: Path) -> list[str]:
    """The asks in the text file at ``path``: one a line (see :func:`clean_asks`)."""
    try:
        data = read_regular_file(path, ASKS_FILE_LIMIT)
    except FileReadError as exc:
        raise PmloadError(f"{path}: {exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PmloadError(f"{path}: the asks file is not UTF-8 text.") from None
    return clean_asks(text.splitlines())


# --- remembered per period -----------------------------------------------------------


def save_asks(conn: sqlite3.Connection, facts: BriefFacts, asks: Sequence[str]) -> SavedAsks:
    """Remember ``asks`` as the brief of ``facts``' period (replacing earlier ones)."""
    period = facts.result.period
    complete = facts.complete
    saved = SavedAsks(
        period=period,
        asks=tuple(asks),
        share=facts.share if facts.verdict is not None else None,
        share_high=facts.share_high if facts.verdict is not None else None,
        verdict=facts.verdict,
        week=complete[-1].week if complete else "",
        saved_at=now_utc_iso(),
    )
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO asks (period_end, period_start, asks, share, share_high,"
            " verdict, week, saved_at) VALUES (?,?,?,?,?,?,?,?)",
            (
                period.last_sunday.isoformat(),
                period.first_monday.isoformat(),
                json.dumps(list(saved.asks), ensure_ascii=False),
                saved.share,
                saved.share_high,
                saved.verdict,
                saved.week,
                saved.saved_at,
            ),
        )
    log.info("remembered the asks of a brief")  # never the asks: private
    return saved


def _row(row: tuple[object, ...]) -> SavedAsks:
    end, start, asks, share, high, verdict, week, saved_at = row
    try:
        items = json.loads(str(asks))
    except ValueError:
        items = []
    return SavedAsks(
        period=Period(date.fromisoformat(str(start)), date.fromisoformat(str(end))),
        asks=tuple(str(a) for a in items if isinstance(a, str)) if isinstance(items, list) else (),
        share=float(share) if isinstance(share, int | float) else None,
        share_high=float(high) if isinstance(high, int | float) else None,
        verdict=Verdict(str(verdict)) if verdict in tuple(Verdict) else None,
        week=str(week),
        saved_at=str(saved_at),
    )


_COLUMNS = "period_end, period_start, asks, share, share_high, verdict, week, saved_at"


def asks_of(conn: sqlite3.Connection, period: Period) -> SavedAsks | None:
    """The asks remembered for a brief ending when ``period`` ends (same last Sunday,
    whatever its first week: a 4-week and a 6-week brief to 2026-W08 share them), or None."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM asks WHERE period_end = ?", (period.last_sunday.isoformat(),)
    ).fetchone()
    return _row(row) if row is not None else None


def previous_asks(conn: sqlite3.Connection, period: Period) -> SavedAsks | None:
    """The latest asks remembered for a period ending before ``period`` ends, or None."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM asks WHERE period_end < ? ORDER BY period_end DESC LIMIT 1",
        (period.last_sunday.isoformat(),),
    ).fetchone()
    return _row(row) if row is not None else None


def since_text(previous: SavedAsks, facts: BriefFacts) -> str | None:
    """What was asked last time and how the share moved since, in one sentence.

    "Last time (to 2026-W08) I asked: a second bridge for 'X'; shared KPIs. Since then
    my share went 46% → 41%." The shares are each brief's period share (an unsure one
    as its range); None when nothing was asked last time.
    """
    if not previous.asks:
        return None
    thr = facts.result.threshold
    asked = "; ".join(a.rstrip(".") for a in previous.asks)
    text = f"Last time (to {week_label(previous.period.last_sunday)}) I asked: {asked}."
    if previous.verdict is not None and previous.share is not None and facts.verdict is not None:
        high = previous.share_high if previous.share_high is not None else previous.share
        then = verdict_pct(previous.share, high, previous.verdict, thr)
        now = facts.share_text
        if then == now:
            text += f" Since then my share stayed at {now}."
        else:
            text += f" Since then my share went {then} → {now}."
        if Verdict.UNSURE in (previous.verdict, facts.verdict):
            text += " (Unsure: unclassified hours could still be translation.)"
    return text
