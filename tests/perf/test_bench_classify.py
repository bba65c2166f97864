"""Benchmark: classify and audit three years at scale 10 (target: under 1 second).

Prints figures; asserts nothing about speed (``make bench``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.analysis import Analysis
from pmload.classify import Classifier, load_tags
from pmload.config import parse_settings
from pmload.period import Period
from pmload.store import connect, load_occurrences

ZONE = ZoneInfo("America/Los_Angeles")
WINDOW = (date(2024, 1, 1), date(2027, 7, 4))


def test_bench_classify_and_audit(tmp_path: Path, shared_dir: Path) -> None:
    importer = pytest.importorskip("pmload.importer")
    ics = tmp_path / "big.ics"
    subprocess.run(
        [
            sys.executable,
            str(shared_dir / "bench" / "gen_calendar.py"),
            "--years",
            "3",
            "--scale",
            "10",
            "--seed",
            "7",
            "--out",
            str(ics),
        ],
        check=True,
    )
    conn = connect(tmp_path / "db.sqlite3")
    t0 = time.perf_counter()
    report = importer.import_paths(conn, [ics], ZONE, window=WINDOW)
    t_import = time.perf_counter() - t0
    assert report.ok, report.results
    rules = _rules_for()
    settings = parse_settings(rules)

    t0 = time.perf_counter()
    occs = load_occurrences(conn, ZONE)
    t_load = time.perf_counter() - t0
    tags = load_tags(conn)

    t0 = time.perf_counter()
    classified = Classifier(settings).classify_all(occs, tags)
    t_classify = time.perf_counter() - t0

    t0 = time.perf_counter()
    analysis = Analysis(conn, settings, ZONE, occs, tags)
    t_analysis = time.perf_counter() - t0
    first, last = analysis.first_week, analysis.last_week
    assert first is not None and last is not None
    period = Period(first, last + timedelta(days=6))

    t0 = time.perf_counter()
    result = analysis.audit(period)
    t_audit = time.perf_counter() - t0

    t0 = time.perf_counter()
    analysis.reclassify(settings)
    t_reclassify = time.perf_counter() - t0

    counted = sum(1 for c in classified if c.counted)
    by_cat: dict[str, int] = {}
    for c in classified:
        by_cat[str(c.category)] = by_cat.get(str(c.category), 0) + 1
    print()
    print(f"occurrences: {len(occs)} ({counted} counted meetings); categories {by_cat}")
    print(f"import floor (generate excluded): {t_import:.2f} s")
    print(f"load from SQLite:                 {t_load:.3f} s")
    print(f"classify_all:                     {t_classify:.3f} s")
    print(f"Analysis build (classify+index):  {t_analysis:.3f} s")
    print(f"re-classify all history:          {t_reclassify:.3f} s")
    print(f"audit of {len(result.weeks)} weeks:              {t_audit:.3f} s")
    print(f"classify + audit:                 {t_classify + t_audit:.3f} s (target < 1 s)")


def _rules_for() -> str:
    """The sides gen_calendar.py gives its people, half exact and half by pattern."""
    return """
me = ["me@acme.test"]
[people]
technical = ["priya.ml@acme.test", "chen.ml@acme.test", "*.eng@acme.test", "*.ds@acme.test",
             "sofia.mlops@acme.test", "ines.ml@acme.test"]
business = ["vp.sales@acme.test", "cfo@acme.test", "ceo@acme.test", "maria.marketing@acme.test",
            "greg.cs@acme.test", "nina.legal@acme.test", "paul.ops@acme.test",
            "dana.sales@acme.test", "*@bigcustomer.test", "*@partner.test"]
product = ["kim.pm@acme.test", "alex.design@acme.test", "sam.pm@acme.test"]
"""
