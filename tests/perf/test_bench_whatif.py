"""Benchmark: a what-if over three years at scale 10, in process (target: under 0.3 s).

Prints figures; asserts nothing about speed (``make bench``), only that the
what-if answered and left the analysis as it was.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from pmload.config import parse_settings
from pmload.period import Period
from pmload.rules.analysis import Analysis
from pmload.rules.whatif import SeriesChange, figures, what_if
from pmload.store import connect
from pmload.vocab import Category, WhatIfChange
from tests.perf.conftest import RULES, ZONE, ImportedCalendar


def test_bench_what_if(tmp_path: Path, scale10: ImportedCalendar) -> None:
    conn = connect(scale10.copy_to(tmp_path / "db.sqlite3"))
    analysis = Analysis.load(conn, parse_settings(RULES), ZONE)
    first, last = analysis.first_week, analysis.last_week
    assert first is not None and last is not None
    period = Period(first, last + timedelta(days=6))
    by_series = Counter(
        c.occ.uid for c in analysis.classified if c.category is Category.TRANSLATION
    )
    (top, _), (second, _), (third, _) = by_series.most_common(3)
    before_audit = analysis.audit(period)

    timings: dict[str, tuple[float, float]] = {}  # (first run, best of 3)
    cases = {
        "one series shared": [SeriesChange(top, WhatIfChange.SHARED)],
        "one series without": [SeriesChange(top, WhatIfChange.WITHOUT)],
        "three stacked": [
            SeriesChange(top, WhatIfChange.SHARED),
            SeriesChange(second, WhatIfChange.WITHOUT),
            SeriesChange(third, WhatIfChange.SHARED),
        ],
    }
    results = {}
    for name, changes in cases.items():
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            results[name] = what_if(analysis, period, changes)
            runs.append(time.perf_counter() - t0)
        timings[name] = (runs[0], min(runs))

    stacked = results["three stacked"]
    before, after = figures(stacked.before), figures(stacked.after)
    assert after.translation_hours < before.translation_hours
    assert analysis.audit(period).summary == before_audit.summary  # the analysis is unchanged
    conn.close()
    print()
    print(f"what-if over {period.week_count} weeks ({len(analysis.occurrences)} occurrences):")
    for name, (once, best) in timings.items():
        print(f"  {name + ':':22} {once:.3f} s first, {best:.3f} s best of 3 (target < 0.3 s)")
    print(
        f"  stacked: share {before.share:.3f} -> {after.share:.3f}, "
        f"weeks over {before.weeks_over} -> {after.weeks_over}"
    )
