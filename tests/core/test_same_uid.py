"""Two events with one UID: both kept when their starts differ (identity is UID and start)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmload.cli import main


def event(start: str, title: str, sequence: int | None = None) -> str:
    seq = f"SEQUENCE:{sequence}\n" if sequence is not None else ""
    return (
        f"BEGIN:VEVENT\nUID:offsite@acme.test\n{seq}SUMMARY:{title}\nDTSTART:{start}\n"
        "DURATION:PT1H\nORGANIZER:mailto:cfo@acme.test\nATTENDEE:mailto:me@acme.test\n"
        "END:VEVENT\n"
    )


def imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *events: str
) -> tuple[str, list[str]]:
    cal = tmp_path / "same-uid.ics"
    cal.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n" + "".join(events) + "END:VCALENDAR\n"
    )
    assert (
        main(["--tz", "UTC", "import", str(cal), "--from", "2026-01-01", "--to", "2026-03-31"]) == 0
    )
    err = capsys.readouterr().err
    assert main(["--tz", "UTC", "meetings", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    return err, sorted(f"{r['start'][:16]} {r['title']}" for r in rows)


def test_same_uid_different_starts_are_both_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err, rows = imported(
        tmp_path,
        capsys,
        event("20260112T090000Z", "Offsite day 1"),
        event("20260113T090000Z", "Offsite day 2"),
    )
    assert rows == ["2026-01-12T09:00 Offsite day 1", "2026-01-13T09:00 Offsite day 2"]
    assert err == ""


def test_an_older_version_of_the_same_event_is_replaced_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err, rows = imported(
        tmp_path,
        capsys,
        event("20260112T090000Z", "Offsite", sequence=0),
        event("20260114T090000Z", "Offsite (moved)", sequence=1),
    )
    assert rows == ["2026-01-14T09:00 Offsite (moved)"]
    assert "appears 2 times with the same UID; 1 older version (lower SEQUENCE) was ignored" in err
