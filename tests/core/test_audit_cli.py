"""The commands a user runs on Friday: audit, review, tag, untag, people — on real .ics files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.cli import main
from pmload.paths import resolve_paths
from pmload.store import connect

RULES = """\
# my rules: this comment must survive `pmload people set`
me = ["me@acme.test"]
timezone = "UTC"
[people]
technical = ["*@eng.acme.test"]   # all engineers
business = ["cfo@acme.test"]
product = ["kim.pm@acme.test"]
"""
WINDOW = (date(2026, 1, 1), date(2026, 2, 28))


def vevent(
    uid: str,
    start: str,
    end: str,
    title: str,
    people: Sequence[str],
    rrule: str | None = None,
    extra: str = "",
) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{start}",
        f"DTEND:{end}",
        f"SUMMARY:{title}",
        "ORGANIZER:mailto:me@acme.test",
        *(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{p}" for p in people),
    ]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    if extra:
        lines.append(extra)
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def calendar(*events: str) -> str:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pmload tests//EN\r\n"
    return head + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n"


# Weeks 2026-W02 .. W03: a weekly sole-bridge "Model chat" (1 h, translation), a weekly
# "Team sync" (1.5 h, coordination), and a weekly "Vendor call" with an unknown person
# (0.5 h, unclassified), plus a one-off in W02 with the unknown person and an engineer.
EVENTS = (
    vevent(
        "bridge@x",
        "20260105T170000Z",
        "20260105T180000Z",
        "Model chat",
        ["priya@eng.acme.test", "cfo@acme.test"],
        "FREQ=WEEKLY;COUNT=2",
    ),
    vevent(
        "sync@x",
        "20260106T170000Z",
        "20260106T183000Z",
        "Team sync",
        ["priya@eng.acme.test"],
        "FREQ=WEEKLY;COUNT=2",
    ),
    vevent(
        "vendor@x",
        "20260107T170000Z",
        "20260107T173000Z",
        "Vendor call",
        ["sam@labelco.test"],
        "FREQ=WEEKLY;COUNT=2",
    ),
    vevent(
        "oneoff@x",
        "20260108T170000Z",
        "20260108T190000Z",
        "Labelling deep dive",
        ["sam@labelco.test", "ana@eng.acme.test"],
    ),
)


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """rules.toml and the calendar above imported; returns the .ics path."""
    importer = pytest.importorskip("pmload.ingest.importer")
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    assert main(["rules", "import", str(rules)]) == 0
    ics = tmp_path / "cal.ics"
    ics.write_text(calendar(*EVENTS), encoding="utf-8")
    paths = resolve_paths()
    paths.ensure()
    conn = connect(paths.database)
    report = importer.import_paths(conn, [ics], ZoneInfo("UTC"), window=WINDOW)
    conn.close()
    assert report.ok, report.results
    capsys.readouterr()
    return ics


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_audit_json_for_one_week(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "audit", "--week", "2026-W02")
    assert isinstance(data, dict)
    (w,) = data["weeks"]
    assert (w["week"], w["start"], w["meeting_hours"]) == ("2026-W02", "2026-01-05", 5.0)
    assert w["hours"] == {
        "translation": 1.0,
        "coordination": 1.5,
        "strategy": 0.0,
        "unclassified": 2.5,
    }
    assert w["translation_share"] == 0.2 and w["over_threshold"] is False
    assert w["people_met"] == 4


def test_audit_table_marks_flagged_weeks(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Threshold 0.15: W02 (0.2) and W03 (1 h of 3 h) are both over; W03 is a streak of 2.
    rules = resolve_paths().rules_file
    rules.write_text(RULES.replace('timezone = "UTC"', 'timezone = "UTC"\nthreshold = 0.15'))
    assert main(["audit", "--from", "2026-01-05", "--to", "2026-01-18"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("2026-W")}
    assert set(lines) == {"2026-W02", "2026-W03"}
    assert "OVER" in lines["2026-W02"] and "OVER x2" in lines["2026-W03"]
    assert "33.3%" in lines["2026-W03"]
    assert "Weeks over 15%: 2 of 2, 0 unsure" in out


def test_audit_bad_week_is_a_usage_error(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--week", "2026-W54"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2026 has no ISO week 54" in err
    assert main(["audit", "--week", "2025-W30"]) == 0
    out = capsys.readouterr().out
    assert "No counted meetings in this period; your calendar runs from 2026-W02 to 2026-W03" in out


def test_review_lists_unclassified_by_series_most_hours_first(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, "review", "--from", "2026-01-01", "--to", "2026-01-31")
    assert isinstance(data, list)
    assert [(g["title"], g["hours"], g["meetings"]) for g in data] == [
        ("Labelling deep dive", 2.0, 1),
        ("Vendor call", 1.0, 2),
    ]
    assert data[1]["reason"] == "no rule applies; unknown: sam@labelco.test"
    assert main(["review", "--from", "2026-01-01", "--to", "2026-01-31"]) == 0
    assert "2 series, 3.0 h" in capsys.readouterr().out


def test_tag_series_and_occurrence_then_untag(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, "review", "--from", "2026-01-01", "--to", "2026-01-31")
    assert isinstance(data, list)
    first_vendor, second_vendor = data[1]["occurrence_ids"]
    assert main(["tag", first_vendor, "strategy", "--series"]) == 0
    assert (
        "Tagged the series 'Vendor call' (2 occurrence(s)) as strategy." in capsys.readouterr().out
    )
    assert main(["tag", second_vendor, "coordination"]) == 0
    capsys.readouterr()
    weeks = run_json(capsys, "audit", "--from", "2026-01-05", "--to", "2026-01-18")
    assert isinstance(weeks, dict)
    w2, w3 = weeks["weeks"]
    assert (w2["hours"]["strategy"], w2["hours"]["unclassified"]) == (0.5, 2.0)
    assert (w3["hours"]["strategy"], w3["hours"]["coordination"]) == (0.0, 2.0)
    # Untag the occurrence: the series tag applies again.
    assert main(["untag", second_vendor]) == 0
    assert "it is now strategy: series tagged by you on" in capsys.readouterr().out
    assert main(["untag", second_vendor]) == 0
    assert "had no tag" in capsys.readouterr().out


def test_tag_errors(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tag", "000000000000", "strategy"]) == 1
    err = capsys.readouterr().err
    assert "no meeting has the id '000000000000'" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as exc:
        main(["tag", "000000000000", "research"])
    assert exc.value.code == 2


def test_tags_survive_reimport(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    importer = pytest.importorskip("pmload.ingest.importer")
    data = run_json(capsys, "review", "--from", "2026-01-01", "--to", "2026-01-31")
    assert isinstance(data, list)
    (oneoff,) = data[0]["occurrence_ids"]
    vendor = data[1]["occurrence_ids"][0]
    assert main(["tag", oneoff, "strategy"]) == 0
    assert main(["tag", vendor, "translation", "--series"]) == 0
    # The file changes: the vendor call gets a new title and a third week.
    changed = [
        e.replace("Vendor call", "Vendor weekly").replace("COUNT=2", "COUNT=3")
        if "vendor@x" in e
        else e
        for e in EVENTS
    ]
    imported.write_text(calendar(*changed), encoding="utf-8")
    conn = connect(resolve_paths().database)
    assert importer.import_paths(conn, [imported], ZoneInfo("UTC"), window=WINDOW).ok
    conn.close()
    capsys.readouterr()
    assert run_json(capsys, "review", "--from", "2026-01-01", "--to", "2026-01-31") == []
    weeks = run_json(capsys, "audit", "--from", "2026-01-05", "--to", "2026-01-25")
    assert isinstance(weeks, dict)
    assert [w["hours"]["translation"] for w in weeks["weeks"]] == [1.5, 1.5, 0.5]
    assert weeks["weeks"][0]["hours"]["strategy"] == 2.0


def test_people_list_and_set_keeps_comments_and_reclassifies(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = run_json(capsys, "people")
    assert isinstance(rows, list)
    assert rows[0]["key"] == "sam@labelco.test" and rows[0]["side"] is None
    assert rows[0]["hours"] == 3.0 and rows[0]["meetings"] == 3
    assert {r["key"]: r["side"] for r in rows}["cfo@acme.test"] == "business"
    assert main(["people", "set", "Sam@Labelco.test", "technical"]) == 0
    out = capsys.readouterr().out
    assert "sam@labelco.test is now technical" in out and "3 meeting(s) changed category" in out
    text = resolve_paths().rules_file.read_text()
    assert "# my rules: this comment must survive" in text and "# all engineers" in text
    assert run_json(capsys, "review", "--from", "2026-01-01", "--to", "2026-01-31") == []
    # Moving to another side removes the old entry; 'unknown' removes it altogether.
    assert main(["people", "set", "sam@labelco.test", "business"]) == 0
    assert main(["people", "set", "sam@labelco.test", "unknown"]) == 0
    capsys.readouterr()
    assert "sam@labelco.test" not in resolve_paths().rules_file.read_text()
    assert main(["people", "set", "bad address@x.test", "business"]) == 2


def test_tag_on_a_floating_time_meeting_sticks(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    importer = pytest.importorskip("pmload.ingest.importer")
    floating = vevent(
        "float@x",
        "20260113T090000",
        "20260113T100000",
        "Hallway chat",
        ["sam@labelco.test"],
        "FREQ=DAILY;COUNT=2",
    )
    imported.write_text(calendar(*EVENTS, floating), encoding="utf-8")
    conn = connect(resolve_paths().database)
    assert importer.import_paths(conn, [imported], ZoneInfo("Europe/Paris"), window=WINDOW).ok
    conn.close()
    capsys.readouterr()
    args = ["--tz", "Europe/Paris", "review", "--week", "2026-W03"]
    data = run_json(capsys, *args)
    assert isinstance(data, list)
    group = next(g for g in data if g["title"] == "Hallway chat")
    assert group["first"] == "2026-01-13T09:00:00+01:00"
    assert main(["--tz", "Europe/Paris", "tag", group["occurrence_ids"][0], "strategy"]) == 0
    capsys.readouterr()
    data = run_json(capsys, *args)
    assert isinstance(data, list)
    group = next(g for g in data if g["title"] == "Hallway chat")
    assert group["meetings"] == 1  # the tagged day left the queue, the other stays
    week = run_json(capsys, "--tz", "Europe/Paris", "audit", "--week", "2026-W03")
    assert isinstance(week, dict)
    assert week["weeks"][0]["hours"]["strategy"] == 1.0


def test_without_me_addresses_the_user_is_warned(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resolve_paths().rules_file.write_text(RULES.replace('me = ["me@acme.test"]\n', ""))
    assert main(["audit", "--week", "2026-W02"]) == 0
    err = capsys.readouterr().err
    assert "lists none of your addresses" in err and err.count("\n") == 1
