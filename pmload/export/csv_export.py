"""CSV exports for spreadsheets: ``meetings`` (one row per occurrence) and ``weeks``.

meetings columns: id, uid, start, end, minutes, title, organizer, attendees,
counted, excluded, category, reason (attendees joined with "; "), the same
fields as ``pmload meetings --format json``. weeks columns: the audit's weekly
fields (``pmload audit --format json``) flattened: hours by category become
their own columns and the top translation series one "title (h)" list; the
range, verdict and week state (share_low, share_high, verdict, in_progress,
scheduled, has_data) come last.

Notes (:mod:`pmload.rules.notes`) are left out unless the caller passes them
(``--include-notes``): then a last "note" column holds each meeting's notes.
Never with redaction.

Redaction (:mod:`pmload.export.redact`) replaces titles with neutral labels and
people with their side everywhere, including the reason text and the UID.

Every CSV pmload writes (these exports and ``pmload meetings --format csv``)
goes through :func:`csv_text`, which neutralises formulas: a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading ``'`` (OWASP's advice against CSV injection), so an invite titled
``=HYPERLINK(...)`` is shown as text by a spreadsheet, never run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pmload.errors import UsageError
from pmload.export.meeting_records import FIELDS as MEETING_FIELDS
from pmload.export.meeting_records import record
from pmload.export.redact import Redactor
from pmload.fileio import write_export
from pmload.rules.audit import AuditResult, week_to_json
from pmload.rules.classify import Classified
from pmload.rules.notes import Notes
from pmload.vocab import ALL_CATEGORIES

WEEK_FIELDS = (
    "week",
    "start",
    "meeting_hours",
    *(f"{c}_hours" for c in ALL_CATEGORIES),
    "translation_share",
    "over_threshold",
    "streak",
    "meetings",
    "people_met",
    "bridge_hours",
    "back_to_back_chains",
    "back_to_back_meetings",
    "longest_chain",
    "context_switches",
    "hours_outside_window",
    "focus_hours",
    "top_translation_series",
    "share_low",
    "share_high",
    "verdict",
    "in_progress",
    "scheduled",
    "has_data",
)
_KEYWORD_REASON = re.compile(r"title matches '[^']*'")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def redact_reason(reason: str | None, c: Classified, redactor: Redactor) -> str | None:
    if reason is None:
        return None
    if redactor.titles:
        reason = _KEYWORD_REASON.sub("title matches a keyword rule", reason)
    if redactor.people:
        keys = [*c.people, *(a.key for a in c.occ.attendees)]
        if c.occ.organizer:
            keys.append(c.occ.organizer)
        for key in sorted(set(keys), key=len, reverse=True):
            reason = reason.replace(key, redactor.side_of(key))
    return reason


def meeting_rows(
    items: Iterable[Classified],
    zone: ZoneInfo,
    redactor: Redactor,
    uid_counts: Counter[str],
    *,
    notes: Notes | None = None,
) -> list[dict[str, Any]]:
    """One row per occurrence; ``notes`` (the user chose to include them) adds a "note"
    column. Notes never go with redaction: a note may name people or titles."""
    if notes is not None and redactor.mode != "none":
        raise UsageError("notes cannot be exported with redaction: a note may name people.")
    rows = []
    for c in items:
        r = record(c, zone)
        if notes is not None:
            r["note"] = notes.of(c.occ)
        if redactor.mode != "none":
            r["uid"] = _hash(c.occ.uid)
        if redactor.titles:
            r["title"] = redactor.title(
                c.occ.title, c.occ.uid, uid_counts[c.occ.uid] > 1, key=c.occ.id
            )
        if redactor.people:
            r["organizer"] = redactor.person(c.occ.organizer) or None
            r["attendees"] = [redactor.person(a.key) for a in c.occ.attendees]
        r["reason"] = redact_reason(c.reason, c, redactor)
        r["attendees"] = "; ".join(r["attendees"])
        rows.append(r)
    return rows


def week_rows(result: AuditResult, redactor: Redactor) -> list[dict[str, Any]]:
    rows = []
    for w in result.weeks:
        j = week_to_json(w)
        row = {k: j[k] for k in WEEK_FIELDS if k in j}
        for cat in ALL_CATEGORIES:
            row[f"{cat}_hours"] = j["hours"].get(cat, 0.0)
        row["top_translation_series"] = "; ".join(
            f"{redactor.title(s['title'], s['title'])} ({s['hours']})"
            for s in j["top_translation_series"]
        )
        rows.append(row)
    return rows


def spreadsheet_safe(value: Any) -> Any:
    """``value``, with a ``'`` in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(fields: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """The CSV text of ``rows`` (a header line first), every cell made spreadsheet-safe."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return buf.getvalue()


def write_csv(path: Path, fields: Sequence[str], rows: Iterable[dict[str, Any]]) -> Path:
    """Write rows as UTF-8 CSV (with a BOM-free header line) to ``path``, atomically."""
    return write_export(Path(path), csv_text(fields, rows).encode("utf-8"))


__all__ = [
    "MEETING_FIELDS",
    "WEEK_FIELDS",
    "csv_text",
    "meeting_rows",
    "spreadsheet_safe",
    "week_rows",
    "write_csv",
]
