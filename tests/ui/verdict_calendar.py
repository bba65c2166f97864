"""One small calendar with every kind of week, imported through the CLI, for the app's tests.

UTC; "today" is Wednesday 4 March 2026 at noon (2026-W10, the week in progress):

* every week 2026-W05..W11: "Model chat" (Mon, 2 h, an engineer and the CFO: sole
  bridge -> translation) and "Team sync" (Tue, 1 h, coordination by keyword);
* 2026-W08 also has a 3 h "Vendor call" with a person nobody has a side for:
  2 h translation + 3 h unclassified of 6 h -> 33%..83%, unsure;
* 2026-W10 also has "Roadmap review" (Thu 5 March, 1 h, strategy by keyword), a
  meeting still to come: 2 h of 4 h, 50% so far.

So W05-W07 are over (a 3-week streak), W08 unsure, W09 over (streak 1), W10 over
so far (in progress, no streak) and W11 scheduled (67%). ``PRICING`` adds, in
W09, a 3 h meeting with an engineer, the CFO and a product person: everyone is
known, yet no rule applies (unsure, and only review settles it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from freezegun import freeze_time

from pmload.cli import main
from tests.core.test_audit_cli import calendar, vevent

NOW = "2026-03-04 12:00:00"  # Wednesday of 2026-W10
TODAY = date(2026, 3, 4)
WEEKS = [f"2026-W{n:02d}" for n in range(5, 12)]
PERIOD = ("--from", "2026-01-26", "--to", "2026-03-15")  # 2026-W05 .. W11
RULES = 'me = ["me@acme.test"]\ntimezone = "UTC"\n'
PEOPLE = """
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test"]
product = ["kim.pm@acme.test"]
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
    vevent(
        "vendor@x",
        "20260218T090000Z",
        "20260218T120000Z",
        "Vendor call",
        ["vendor@outside.test"],
    ),
    vevent(
        "roadmap@x",
        "20260305T140000Z",
        "20260305T150000Z",
        "Roadmap review",
        ["priya@eng.acme.test"],
    ),
)
PRICING = vevent(
    "pricing@x",
    "20260225T090000Z",
    "20260225T120000Z",
    "Pricing council",
    ["priya@eng.acme.test", "cfo@acme.test", "kim.pm@acme.test"],
)


@contextmanager
def frozen_today() -> Iterator[None]:
    """Today is :data:`TODAY` in every clock pmload reads (time still moves on)."""
    with freeze_time(NOW, tz_offset=0, tick=True):
        yield


def import_calendar(folder: Path, rules: str, *extra: str) -> None:
    """Write the rules and the calendar to ``folder`` and import both into PMLOAD_HOME."""
    (folder / "rules.toml").write_text(rules, encoding="utf-8")
    (folder / "cal.ics").write_text(calendar(*EVENTS, *extra), encoding="utf-8", newline="")
    assert main(["rules", "import", str(folder / "rules.toml")]) == 0
    assert (
        main(["import", str(folder / "cal.ics"), "--from", "2026-01-01", "--to", "2026-03-31"]) == 0
    )
