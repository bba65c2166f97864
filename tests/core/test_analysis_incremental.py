"""Tagging re-classifies only the tagged series, with the same result as a full pass."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from pmload.config import parse_settings
from pmload.ingest.importer import import_paths
from pmload.period import Period, monday_of
from pmload.rules.analysis import Analysis
from pmload.store import connect
from pmload.vocab import Category

FIX = Path(__file__).parent / "fixtures"
LA = ZoneInfo("America/Los_Angeles")


def _state(a: Analysis) -> tuple[object, ...]:
    period = Period(monday_of(date(2026, 1, 1)), monday_of(date(2026, 4, 30)))
    return (
        [(c.occ.id, c.category, c.reason, c.rule) for c in a.classified],
        a.audit(period),
    )


def test_incremental_tag_and_untag_match_a_full_reclassification(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite3")
    import_paths(
        conn,
        [FIX / "recurrence.ics", FIX / "thisandfuture.ics"],
        LA,
        (date(2026, 1, 1), date(2026, 4, 30)),
    )
    settings = parse_settings(
        'me = ["me@acme.test"]\n[people]\ntechnical = ["priya.ml@acme.test"]\n'
    )
    live = Analysis.load(conn, settings, LA)
    sync = next(c for c in live.classified if c.occ.uid == "weekly-sync@acme.test" and c.counted)
    review = next(c for c in live.classified if c.occ.uid == "review@acme.test")

    live.tag(sync.occ.id, "translation", series=True)
    live.tag(review.occ.id, "strategy")
    assert _state(live) == _state(Analysis.load(conn, settings, LA))
    assert live.get(sync.occ.id).category == "translation"
    week = live.audit(Period.of_weeks(monday_of(sync.occ.start.astimezone(LA).date()), 1)).weeks[0]
    assert week.hours[Category.TRANSLATION] > 0

    live.untag(sync.occ.id, series=True)
    assert _state(live) == _state(Analysis.load(conn, settings, LA))
    assert live.get(sync.occ.id).category == "coordination"


def test_copies_leave_the_analysis_a_view_is_reading_unchanged(tmp_path: Path) -> None:
    """The app re-classifies into a copy off the GUI thread: the original must not move."""
    from pmload.rules.classify import load_tags, set_tag

    conn = connect(tmp_path / "db.sqlite3")
    import_paths(
        conn,
        [FIX / "recurrence.ics", FIX / "thisandfuture.ics"],
        LA,
        (date(2026, 1, 1), date(2026, 4, 30)),
    )
    before = parse_settings('me = ["me@acme.test"]\n')
    after = parse_settings('me = ["me@acme.test"]\n[people]\ntechnical = ["priya.ml@acme.test"]\n')
    shown = Analysis.load(conn, before, LA)
    frozen = _state(shown)

    fresh = shown.reclassified(after)
    assert _state(shown) == frozen and shown.settings is before
    assert _state(fresh) == _state(Analysis.load(conn, after, LA)) != frozen
    assert fresh.occurrences is shown.occurrences  # shared, never copied

    sync = next(c for c in fresh.classified if c.occ.uid == "weekly-sync@acme.test" and c.counted)
    set_tag(conn, sync.occ, "strategy", series=True)
    tagged = fresh.retagged(load_tags(conn), [sync.occ.uid])
    assert fresh.get(sync.occ.id).category != "strategy"
    assert tagged.get(sync.occ.id).category == "strategy"
    assert _state(tagged) == _state(Analysis.load(conn, after, LA))
    assert _state(shown) == frozen
