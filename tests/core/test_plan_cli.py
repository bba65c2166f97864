"""From numbers to a plan on the command line: the audit's comparisons and ``pmload what-if``,
on a real .ics file imported through the CLI.

Today is frozen on Wednesday 4 March 2026 (2026-W10 in progress); the period is
2026-W05..W10, so its complete weeks are W05..W09:

* every week W05..W11: "Model chat" (bridge@x, 2 h with an engineer and the
  CFO: sole bridge, translation) and "Team sync" (sync@x, 1 h, coordination);
* W08 also has a 3 h "Vendor call" (vendor@x) with a person nobody has a side
  for: 2 h translation + 3 h unclassified of 6 h, 33%..83%, unsure;
* W10 has a 1 h "Launch review" (launch@x, sole bridge) whose title carries
  terminal escapes.

Before: 10 h translation, 3 h unclassified of 18 h: 55.6%..72.2%, over; 4 weeks
over, 1 unsure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from pmload.cli import main
from pmload.paths import resolve_paths
from pmload.store import connect
from tests.core.test_audit_cli import calendar, vevent

NOW = "2026-03-04 12:00:00"
PERIOD = ("--from", "2026-01-26", "--to", "2026-03-08")
ESC_TITLE = "\x1b]0;pwned\x07Launch review"
RULES = """\
me = ["me@acme.test"]
timezone = "UTC"
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test"]
"""
EVENTS = (
    vevent(
        "bridge@x",
        "20260126T090000Z",
        "20260126T110000Z",
        "Model chat",
        ["priya@eng.acme.test", "cfo@acme.test"],
        "FREQ=WEEKLY;COUNT=7",
    ),
    vevent(
        "sync@x",
        "20260127T090000Z",
        "20260127T100000Z",
        "Team sync",
        ["priya@eng.acme.test"],
        "FREQ=WEEKLY;COUNT=7",
    ),
    vevent("vendor@x", "20260218T090000Z", "20260218T120000Z", "Vendor call", ["v@outside.test"]),
    vevent(
        "launch@x",
        "20260305T090000Z",
        "20260305T100000Z",
        ESC_TITLE,
        ["priya@eng.acme.test", "cfo@acme.test"],
    ),
)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    with freeze_time(NOW, tz_offset=0):
        (tmp_path / "rules.toml").write_text(RULES, encoding="utf-8")
        (tmp_path / "cal.ics").write_text(calendar(*EVENTS), encoding="utf-8", newline="")
        assert main(["rules", "import", str(tmp_path / "rules.toml")]) == 0
        window = ["--from", "2026-01-01", "--to", "2026-03-31"]
        assert main(["import", str(tmp_path / "cal.ics"), *window]) == 0
        yield tmp_path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _fails(capsys: pytest.CaptureFixture[str], code: int, *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == code
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    return err


def test_what_if_json_contract(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        capsys,
        "what-if",
        *PERIOD,
        "--shared",
        "bridge@x",
        "--without",
        "vendor@x",
        "--shared",
        "launch@x",
    )
    assert list(data)[:3] == ["before", "after", "changes"]
    assert list(data["before"])[:3] == ["share", "weeks_over", "translation_hours"]
    assert set(data["before"]) == set(data["after"])
    summary = _json(capsys, "audit", *PERIOD)["summary"]
    for key in ("share", "share_low", "share_high", "verdict", "weeks_over", "weeks_unsure"):
        assert data["before"][key] == summary[key], key
    assert (data["before"]["share"], data["before"]["weeks_over"]) == (0.556, 4)
    assert data["before"]["translation_hours"] == 10.0
    # Model chat shared, the vendor call gone: 0 h translation of 15 h, every week under.
    after = data["after"]
    assert (after["share"], after["share_high"], after["verdict"]) == (0.0, 0.0, "under")
    assert (after["weeks_over"], after["weeks_unsure"], after["translation_hours"]) == (0, 0, 0.0)
    assert after["meeting_hours"] == 15.0
    assert data["changes"] == [
        {
            "uid": "bridge@x",
            "title": "Model chat",
            "hours": 10.0,
            "what": "shared",
            "in_progress_hours": 2.0,
            "note": None,
        },
        {
            "uid": "vendor@x",
            "title": "Vendor call",
            "hours": 3.0,
            "what": "without",
            "in_progress_hours": 0.0,
            "note": None,
        },
        {
            "uid": "launch@x",
            "title": ESC_TITLE,
            "hours": 0.0,
            "what": "shared",
            "in_progress_hours": 1.0,
            "note": "translation only in the week in progress (2026-W10), which these figures "
            "leave out",
        },
    ]
    assert data["in_progress_week"] == "2026-W10"


def test_what_if_table_before_and_after(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["what-if", *PERIOD, "--shared", "bridge@x", "--shared", "launch@x"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b]0;pwned\\x07Launch review" in out
    rows = {line[:14].strip(): line[14:].split() for line in out.splitlines()}
    # Before, over; after, 0 h translation and 3 h unclassified of 18 h: at most 16.7%, under.
    assert rows["Share"] == ["55.6%", "over", "0.0%", "under"]
    assert rows["Weeks over"] == ["4", "of", "5", "0", "of", "5"]
    assert rows["Weeks unsure"] == ["1", "1"]
    assert rows["Translation h"] == ["10.0", "0.0"]
    assert "The week in progress (2026-W10) is left out of both" in out


def test_unknown_uid_is_one_sentence_and_changes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _json(capsys, "audit", *PERIOD)
    err = _fails(capsys, 1, "what-if", "--shared", "bridge@x", "--without", "nope@x")
    assert err.startswith("pmload: no series has the UID 'nope@x'; ")
    # A what-if never writes: the store's tags and the audit are as they were.
    conn = connect(resolve_paths().database)
    try:
        assert conn.execute("SELECT COUNT(*) FROM tags").fetchone() == (0,)
    finally:
        conn.close()
    _json(capsys, "what-if", *PERIOD, "--shared", "bridge@x")
    assert _json(capsys, "audit", *PERIOD) == before


def test_usage_errors_exit_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(capsys, 2, "what-if", *PERIOD)
    assert "name at least one series with --without UID or --shared UID" in err
    err = _fails(capsys, 2, "what-if", "--shared", "sync@x", "--without", "sync@x")
    assert "--without and --shared both name 'sync@x'" in err
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(["what-if", "--shared", " "])
    assert exit_.value.code == 2
    assert "a UID cannot be empty" in capsys.readouterr().err


def test_audit_compares_the_latest_week_and_shows_next_week(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, "audit", *PERIOD)
    weeks = {w["week"]: w for w in data["weeks"]}
    # W09 67% against W08's 33% (unsure) and the mean of W05..W08 (67, 67, 67, 33: 58.3%).
    assert (weeks["2026-W09"]["delta_prev"], weeks["2026-W09"]["delta_4w"]) == (33.3, 8.3)
    # W05 is the first week with calendar data: nothing to compare with, null rather than 0.
    assert (weeks["2026-W05"]["delta_prev"], weeks["2026-W05"]["delta_4w"]) == (None, None)
    # Next week (W11) as scheduled: the same 2 h of 3 h.
    assert data["next_week"] == {
        "week": "2026-W11",
        "start": "2026-03-09",
        "state": "scheduled",
        "share_low": 0.667,
        "share_high": 0.667,
        "verdict": "over",
        "meeting_hours": 3.0,
        "has_data": True,
        "delta_prev": 0.0,
        "delta_4w": 8.3,
    }
    capsys.readouterr()
    assert main(["audit", *PERIOD]) == 0
    out = capsys.readouterr().out
    assert (
        "Latest complete week (2026-W09): 66.7%, up 33 points on last week, 8 above your "
        "4-week average (known translation only: unclassified hours could change these)."
    ) in out
    # W10 so far: 2 h + the 1 h launch review of 4 h, 75%, against W09 (67%) and W06..W09.
    assert (
        "This week so far (2026-W10, as scheduled): translation 75.0%, over, up 8 points on "
        "last week, 17 above your 4-week average (known translation only"
    ) in out
    assert (
        "Next week (2026-W11, scheduled so far): translation 66.7% of the 3.0 meeting hours "
        "already on your calendar, over; not counted above."
    ) in out
    # An audit of past weeks only has no next-week line.
    capsys.readouterr()
    assert main(["audit", "--from", "2026-01-26", "--to", "2026-02-08"]) == 0
    assert "Next week" not in capsys.readouterr().out
