"""Benchmark: classify and audit three years at scale 10 (target: under 1 second).

Prints figures; asserts nothing about speed (``make bench``).
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from pmload.config import parse_settings
from pmload.period import Period
from pmload.rules.analysis import Analysis
from pmload.rules.classify import Classifier, load_tags
from pmload.store import connect, load_occurrences
from tests.perf.conftest import RULES, ZONE, ImportedCalendar


def test_bench_classify_and_audit(tmp_path: Path, scale10: ImportedCalendar) -> None:
    conn = connect(scale10.copy_to(tmp_path / "db.sqlite3"))
    t_import = scale10.import_seconds
    settings = parse_settings(RULES)

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

    # What the app does instead: a re-classified copy (off the GUI thread) ...
    t0 = time.perf_counter()
    analysis.reclassified(settings)
    t_copy = time.perf_counter() - t0
    # ... and, tagging one series, a copy on the GUI thread.
    t0 = time.perf_counter()
    analysis.retagged(tags, [occs[len(occs) // 2].uid])
    t_retag = time.perf_counter() - t0

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
    print(f"re-classified copy (the app):     {t_copy:.3f} s")
    print(f"re-tagged copy, one series:       {t_retag:.4f} s")
    print(f"audit of {len(result.weeks)} weeks:              {t_audit:.3f} s")
    print(f"classify + audit:                 {t_classify + t_audit:.3f} s (target < 1 s)")
