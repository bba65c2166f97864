"""A score left "not set" is not a 0: every reader of the journal skips it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.export.brief_journal import journal_lines
from pmload.journal import Entry, Journal, JournalData
from pmload.journal.fileformat import KdfParams
from pmload.journal.insights import describe_links, links, sustained_high, week_label, weekly
from pmload.journal.records import from_json, to_json
from pmload.paths import resolve_paths
from pmload.period import Period

PASS = "correct horse battery"
MONDAY = date(2026, 1, 5)


def entries() -> tuple[Entry, ...]:
    """Eight weeks: burnout recorded every week, isolation only in two."""
    out = []
    for i in range(8):
        day = MONDAY + timedelta(weeks=i)
        out.append(Entry(day, 2 + i, 6 if i in (0, 1) else None))
        if i == 0:
            out.append(Entry(day + timedelta(days=2), None, None, note="only a note"))
    return tuple(out)


def test_weekly_means_skip_what_was_not_recorded() -> None:
    weeks = weekly(entries())
    first = weeks[0]
    assert (first.burnout, first.isolation, first.entries) == (2.0, 6.0, 2)  # not (1.0, 3.0)
    assert weeks[2].isolation is None and weeks[2].burnout == 4.0


def test_links_and_notes_use_the_weeks_that_have_the_score() -> None:
    weeks = weekly(entries())
    shares = {week_label(MONDAY + timedelta(weeks=i)): 0.1 * (i + 1) for i in range(8)}
    burnout, isolation = links(weeks, shares)
    assert burnout.same_n == 8 and burnout.same_week == pytest.approx(1.0)
    assert isolation.same_n == 2
    text = describe_links(weeks, shares)
    assert "Over 8 weeks" in text and "higher burnout the same week" in text
    assert "Only 2 of those weeks have isolation scores, too few to compare." in text
    # Burnout of 7, 8 and 9 in the last three weeks is high although isolation is not set.
    assert sustained_high(entries(), MONDAY + timedelta(weeks=7, days=3)) is not None
    assert sustained_high([Entry(MONDAY, None, None)], MONDAY) is None


def test_the_brief_averages_recorded_scores_only() -> None:
    data = JournalData(entries=entries())
    period = Period(MONDAY, MONDAY + timedelta(weeks=3, days=-1))
    assert journal_lines(data, period)[0] == (
        "Journal (4 entries): burnout 3.0/10, isolation 6.0/10 on average"
    )
    later = Period(MONDAY + timedelta(weeks=4), MONDAY + timedelta(weeks=5, days=-1))
    assert journal_lines(data, later)[0] == (
        "Journal (1 entries): burnout 6.0/10, isolation not recorded on average"
    )


def test_a_score_not_set_round_trips_as_null() -> None:
    data = JournalData(entries=(Entry(MONDAY, None, 3),))
    assert b'"burnout":null' in to_json(data)
    assert from_json(to_json(data)).entries[0].burnout is None


def test_journal_list_shows_a_blank_for_a_score_not_set(
    pmload_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = resolve_paths().ensure()
    journal = Journal.create(paths.journal_file, PASS, KdfParams.scrypt(n=2**10))
    journal.save(journal.data.with_entry(Entry(MONDAY, None, 4, note="tired")))
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASS)
    assert main(["journal", "list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("2026-01-05"))
    assert "None" not in line
    assert line.split()[:2] == ["2026-01-05", "4"]
