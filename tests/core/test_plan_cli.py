"""From numbers to a plan on the command line: the audit's comparisons, on a real .ics file
imported through the CLI.

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
