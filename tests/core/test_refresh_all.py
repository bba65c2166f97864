"""Refreshing every source at once (the Friday review's first step)."""

from __future__ import annotations

import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.errors import ImportCancelled, PmloadError
from pmload.ingest.importer import import_paths
from pmload.paths import resolve_paths
from pmload.refresh import REFRESHERS, RefreshContext, Refresher, SourceOutcome, refresh_all
from pmload.store import connect
from tests.core.google_helpers import at, use_rules
from tests.google_fake import ME, FakeGoogle, event

FIX = Path(__file__).parent / "fixtures"
LA = ZoneInfo("America/Los_Angeles")


def test_refresh_all_reads_changed_files_again_and_skips_google_when_not_connected(
    tmp_path: Path, pmload_home: Path
) -> None:
    paths = resolve_paths().ensure()
    conn = connect(paths.database)
    rc = RefreshContext(paths, conn, LA)
    assert refresh_all(rc).outcomes == ()  # nothing imported, nothing connected
    assert refresh_all(rc).text().startswith("Nothing to refresh")
    cal = tmp_path / "work.ics"
    shutil.copy(FIX / "recurrence.ics", cal)
    import_paths(conn, [cal], LA)
    report = refresh_all(rc)
    assert [o.kind for o in report.outcomes] == ["files"]  # Google is not connected
    assert report.text() == "1 calendar file read again: none changed."
    assert not report.changed
    text = cal.read_text(encoding="utf-8").replace("SUMMARY:", "SUMMARY:Renamed ", 1)
    cal.write_text(text, encoding="utf-8")
    report = refresh_all(rc)
    assert report.changed and report.text() == "1 calendar file read again: 1 changed."
    titles = {r[0] for r in conn.execute("SELECT title FROM occurrences")}
    assert any(t.startswith("Renamed ") for t in titles)
    cal.unlink()
    report = refresh_all(rc)
    assert report.text() == "1 calendar file read again: none changed, 1 could not be read."
    conn.close()


def test_one_kind_failing_does_not_stop_the_next(pmload_home: Path) -> None:
    paths = resolve_paths().ensure()
    conn = connect(paths.database)
    ran: list[str] = []

    def broken(_rc: RefreshContext) -> SourceOutcome:
        raise PmloadError("the subscription server said no")

    def fine(_rc: RefreshContext) -> SourceOutcome:
        ran.append("fine")
        return SourceOutcome("other", "Other: 2 changed.", changed=True)

    refreshers = [
        Refresher("subscriptions", lambda _rc: True, broken),
        Refresher("other", lambda _rc: True, fine),
        Refresher("never", lambda _rc: False, fine),
    ]
    report = refresh_all(RefreshContext(paths, conn, LA), refreshers)
    assert ran == ["fine"]
    assert report.failed and report.changed
    assert report.text() == (
        "The subscribed calendars: the subscription server said no. Other: 2 changed."
    )

    def cancelled(_rc: RefreshContext) -> SourceOutcome:
        raise ImportCancelled

    with pytest.raises(ImportCancelled):
        refresh_all(RefreshContext(paths, conn, LA), [Refresher("x", lambda _rc: True, cancelled)])
    with pytest.raises(ImportCancelled):
        refresh_all(RefreshContext(paths, conn, LA, cancelled=lambda: True), REFRESHERS)
    conn.close()


def test_google_is_synced_with_the_files_and_its_failure_does_not_stop_them(
    google: FakeGoogle, tmp_path: Path, pmload_home: Path
) -> None:
    use_rules(pmload_home)
    paths = resolve_paths().ensure()
    conn = connect(paths.database)
    cal = tmp_path / "work.ics"
    shutil.copy(FIX / "recurrence.ics", cal)
    import_paths(conn, [cal], LA)
    google.events[ME] = [
        event("e1", "Model review", at(1, "10:00"), at(1, "11:00"), ("priya@eng.acme.test",))
    ]
    rc = RefreshContext(paths, conn, LA, reconnect_how="use the app's Reconnect")
    report = refresh_all(rc)
    assert [o.kind for o in report.outcomes] == ["files", "google"]
    assert report.changed and not report.failed
    assert "Google Calendar synced:" in report.text() and "first sync" in report.text()
    titles = {r[0] for r in conn.execute("SELECT title FROM occurrences")}
    assert "Model review" in titles
    # Google refusing the grant is one sentence, with the front end's way to reconnect;
    # the calendar files were read all the same
    google.honour_tokens = False
    google.invalid_grant = True
    report = refresh_all(rc)
    files, g = report.outcomes
    assert (files.kind, files.failed) == ("files", False)
    assert g.failed and g.text.startswith("Google Calendar: ")
    assert "use the app's Reconnect" in g.text and "pmload google connect" not in g.text
    conn.close()
