"""Journal scores for the brief, only with ``--include-journal``: scores, never notes.

Reads the encrypted journal through :mod:`pmload.journal` and reduces it to a
few numbers over the brief's period: mean burnout and isolation (0-10) of
the entries, and the latest CBI and UCLA check-in scores. Entry notes,
isolation kinds, peers and review answers are never read into the brief.
Nothing here prompts: the caller (the CLI) gets the passphrase.
"""

from __future__ import annotations

from pathlib import Path

from pmload.journal import Journal, JournalData
from pmload.journal.insights import mean_score
from pmload.journal.instruments import score
from pmload.period import Period


def load_journal(path: Path, passphrase: str) -> JournalData:
    """The decrypted journal (JournalMissing, WrongPassphrase… are one-sentence errors)."""
    return Journal.unlock(path, passphrase).data


def journal_lines(data: JournalData, period: Period) -> list[str]:
    """Short score lines for the brief over ``period``; empty when nothing was recorded."""
    first, last = period.first_monday, period.last_sunday
    entries = [e for e in data.entries if first <= e.day <= last]
    lines: list[str] = []
    if entries:
        # a score left "not set" is not a 0: each mean is over the entries that recorded it
        means = [
            f"{name} {m:.1f}/10"
            if (m := mean_score(values)) is not None
            else f"{name} not recorded"
            for name, values in (
                ("burnout", [e.burnout for e in entries]),
                ("isolation", [e.isolation for e in entries]),
            )
        ]
        lines.append(f"Journal ({len(entries)} entries): {', '.join(means)} on average")
    for key, name in (("cbi", "CBI work burnout"), ("ucla", "UCLA loneliness")):
        checks = sorted(
            (c for c in data.checkins if c.instrument == key and first <= c.day <= last),
            key=lambda c: c.day,
        )
        if checks:
            s = score(key, checks[-1].answers)
            lines.append(f"{name} {s.display()}")
    if not lines:
        lines.append("Journal: no scores recorded in these weeks")
    return lines
