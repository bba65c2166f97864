"""Reasons written for people: first names, at most three per side, full detail apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.config import parse_settings
from pmload.ingest.importer import import_paths
from pmload.rules.analysis import Analysis
from pmload.rules.classify import Classified
from pmload.rules.reasons import first_name, names_text, reason_detail, reason_text
from pmload.store import connect

ZONE = ZoneInfo("Europe/Paris")
RULES = """
me = ["me@acme.test"]
[people]
technical = ["*@eng.acme.test"]
business = ["marco.rossi@acme.test", "dana.kim@acme.test", "*@customer.test"]
product = ["kim@acme.test"]
"""


def event(uid: str, title: str, day: str, people: list[str]) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"SUMMARY:{title}",
        f"DTSTART;TZID=Europe/Paris:{day}T100000",
        f"DTEND;TZID=Europe/Paris:{day}T110000",
        "ORGANIZER:mailto:me@acme.test",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@acme.test",
    ]
    for p in people:  # "CN=…:mailto:…" or a bare "mailto:…"
        lines.append(f"ATTENDEE;PARTSTAT=ACCEPTED{':' if p.startswith('mailto:') else ';'}{p}")
    return "\r\n".join([*lines, "END:VEVENT"])


CALENDAR = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//pmload tests//EN",
        event(
            "bridge@acme.test",
            "Sales x ML sync",
            "20260105",
            [
                "CN=Omar Haddad:mailto:omar.haddad@eng.acme.test",
                "CN=Rossi\\, Marco:mailto:marco.rossi@acme.test",
                "mailto:dana.kim@acme.test",
            ],
        ),
        event(
            "crowd@acme.test",
            "Big customer readiness",
            "20260106",
            [
                "CN=Lena Berg:mailto:lena.berg@eng.acme.test",
                *(f"mailto:buyer{i}@customer.test" for i in range(5)),
            ],
        ),
        event(
            "twins@acme.test",
            "Model questions",
            "20260107",
            [
                "CN=Sam Ortiz:mailto:sam.ortiz@eng.acme.test",
                "CN=Sam Lee:mailto:sam.lee@eng.acme.test",
                "mailto:dana.kim@acme.test",
            ],
        ),
        event(
            "stranger@acme.test",
            "Catch-up",
            "20260108",
            ["mailto:riley.shah@greenleaf.test", "mailto:dana.kim@acme.test"],
        ),
        "END:VCALENDAR",
        "",
    ]
)


@pytest.fixture
def analysis(tmp_path: Path) -> Analysis:
    ics = tmp_path / "work.ics"
    ics.write_text(CALENDAR, encoding="utf-8")
    conn = connect(tmp_path / "store.sqlite3")
    report = import_paths(
        conn, [ics], ZONE, window=(date(2026, 1, 1), date(2026, 1, 31)), today=date(2026, 1, 9)
    )
    assert not report.rejected
    return Analysis.load(conn, parse_settings(RULES), ZONE)


def by_title(analysis: Analysis, title: str) -> Classified:
    return next(c for c in analysis.classified if c.occ.title == title)


def test_a_sole_bridge_names_people_by_first_name_and_side(analysis: Analysis) -> None:
    c = by_title(analysis, "Sales x ML sync")
    assert c.rule == "sole-bridge"
    # The JSON contract keeps the addresses; the line for people has first names.
    assert c.reason is not None and "omar.haddad@eng.acme.test" in c.reason
    assert reason_text(c) == "Only bridge: Omar (technical) and Marco, Dana (business)"
    detail = reason_detail(c)
    assert "Omar Haddad <omar.haddad@eng.acme.test>" in detail
    assert "Business: Rossi, Marco <marco.rossi@acme.test>, dana.kim@acme.test" in detail


def test_at_most_three_names_per_side_then_a_count(analysis: Analysis) -> None:
    c = by_title(analysis, "Big customer readiness")
    assert (
        reason_text(c) == "Only bridge: Lena (technical) and Buyer0, Buyer1, Buyer2 +2 (business)"
    )
    assert all(f"buyer{i}@customer.test" in reason_detail(c) for i in range(5))


def test_two_people_of_one_first_name_are_told_apart(analysis: Analysis) -> None:
    c = by_title(analysis, "Model questions")
    assert reason_text(c) == "Only bridge: Sam Ortiz, Sam Lee (technical) and Dana (business)"


def test_unknown_people_are_named_and_the_rest_reads_as_a_sentence(analysis: Analysis) -> None:
    c = by_title(analysis, "Catch-up")
    assert c.category == "unclassified"
    assert reason_text(c) == "No rule applies; unknown: Riley"
    assert "Unknown (no side yet): riley.shah@greenleaf.test" in reason_detail(c)
    assert "Business: dana.kim@acme.test" in reason_detail(c)


def test_names_when_the_calendar_gives_none() -> None:
    assert first_name("sam.ortiz@labelco.test") == "Sam"
    assert first_name("cfo@acme.test") == "Cfo"
    assert first_name("x@acme.test", "Hannah Cole (CFO)") == "Hannah"
    assert first_name("chen wei") == "Chen"  # a person known by their CN only
    assert names_text(["a.b@x.test"] * 1, {"a.b@x.test": "ops@x.test"}) == "A"  # CN is an address


def test_pmload_meetings_keeps_the_reason_and_adds_the_line_for_people(
    tmp_path: Path, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from pmload.cli import main

    (pmload_home / "config").mkdir(parents=True)
    (pmload_home / "config" / "rules.toml").write_text(RULES, encoding="utf-8")
    ics = tmp_path / "work.ics"
    ics.write_text(CALENDAR, encoding="utf-8")
    window = ["--from", "2026-01-01", "--to", "2026-01-31"]
    assert main(["--tz", "Europe/Paris", "import", str(ics), *window]) == 0
    capsys.readouterr()
    assert main(["--tz", "Europe/Paris", "meetings", "--format", "json"]) == 0
    rows = {r["title"]: r for r in json.loads(capsys.readouterr().out)}
    bridge = rows["Sales x ML sync"]
    assert bridge["reason"].startswith("sole bridge between technical (omar.haddad@eng.acme.test)")
    assert bridge["reason_text"] == "Only bridge: Omar (technical) and Marco, Dana (business)"
