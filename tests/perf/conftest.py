"""Benchmark fixtures: the generated calendars, made once per ``make bench`` run.

Generating the three-year scale-10 calendar and importing it takes about a
minute; the classify, export and GUI benchmarks all start from that same
database, so it is built once per session and each benchmark works on its own
copy (some of them write: tags, rules, undo).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import SHARED

GEN = SHARED / "bench" / "gen_calendar.py"
ZONE = ZoneInfo("America/Los_Angeles")
WINDOW = (date(2024, 1, 1), date(2027, 7, 4))
RULES = """me = ["me@acme.test"]
[people]
technical = ["priya.ml@acme.test", "chen.ml@acme.test", "*.eng@acme.test", "*.ds@acme.test",
             "sofia.mlops@acme.test", "ines.ml@acme.test"]
business = ["vp.sales@acme.test", "cfo@acme.test", "ceo@acme.test", "maria.marketing@acme.test",
            "greg.cs@acme.test", "nina.legal@acme.test", "paul.ops@acme.test",
            "dana.sales@acme.test", "*@bigcustomer.test", "*@partner.test"]
product = ["kim.pm@acme.test", "alex.design@acme.test", "sam.pm@acme.test"]
"""
"""The sides gen_calendar.py gives its people, half exact and half by pattern."""


@pytest.fixture(scope="session")
def generate_calendar(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[int], Path]:
    """``generate(scale)``: gen_calendar --years 3 --seed 7 at ``scale``, made once per session.

    The file is shared: a benchmark that changes it must copy it first.
    """
    if not GEN.is_file():
        pytest.skip("../shared/bench/gen_calendar.py is not present")
    root = tmp_path_factory.mktemp("calendars")
    made: dict[int, Path] = {}

    def generate(scale: int) -> Path:
        if scale not in made:
            ics = root / f"pm{scale}.ics"
            args = ["--years", "3", "--scale", str(scale), "--seed", "7", "--out", str(ics)]
            subprocess.run([sys.executable, str(GEN), *args], check=True)
            made[scale] = ics
        return made[scale]

    return generate


@dataclass(frozen=True)
class ImportedCalendar:
    """The scale-10 calendar imported for :data:`WINDOW`, and what that import took."""

    ics: Path
    database: Path
    import_seconds: float
    occurrences: int

    def copy_to(self, database: Path) -> Path:
        """A private copy of the imported database at ``database`` (SQLite's backup)."""
        database.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(self.database)
        dst = sqlite3.connect(database)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return database


@pytest.fixture(scope="session")
def scale10(
    generate_calendar: Callable[[int], Path], tmp_path_factory: pytest.TempPathFactory
) -> ImportedCalendar:
    """gen_calendar --years 3 --scale 10 --seed 7, imported once for 2024-01-01..2027-07-04."""
    importer = pytest.importorskip("pmload.ingest.importer")
    from pmload.store import connect

    ics = generate_calendar(10)
    database = tmp_path_factory.mktemp("scale10") / "pm10.sqlite3"
    conn = connect(database)
    try:
        t0 = time.perf_counter()
        report = importer.import_paths(conn, [ics], ZONE, window=WINDOW)
        seconds = time.perf_counter() - t0
    finally:
        conn.close()
    assert report.ok, report.results
    return ImportedCalendar(ics, database, seconds, report.results[0].occurrences)
