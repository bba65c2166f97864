"""Benchmark: the rules editor's preview over three years at scale 10, in process.

The preview re-classifies all history under the proposed rules and audits the
12 weeks before the week in progress twice (before, after); it runs in a
background op a moment after each edit. Prints figures; asserts nothing about
speed (``make bench``), only that the preview answered and left the analysis as
it was.
"""

from __future__ import annotations

import time
from pathlib import Path

from pmload.config import parse_settings
from pmload.rules.analysis import Analysis
from pmload.rules.impact import impact_text, rules_impact
from pmload.rules.rule_edits import (
    UserRules,
    check_keyword_rule,
    check_people_pattern,
    proposed_settings,
    user_rules_of,
)
from pmload.store import connect
from tests.perf.conftest import RULES, ZONE, ImportedCalendar


def test_bench_rules_impact(tmp_path: Path, scale10: ImportedCalendar) -> None:
    conn = connect(scale10.copy_to(tmp_path / "db.sqlite3"))
    analysis = Analysis.load(conn, parse_settings(RULES), ZONE)
    last = analysis.last_week
    assert last is not None
    today = last  # the latest week is the one in progress: 12 complete weeks before it
    saved = user_rules_of(analysis.settings)
    cases = {
        "a people pattern": UserRules(
            saved.keyword_rules,
            (
                *(p for p in saved.patterns if p.pattern != "*.ds@acme.test"),
                check_people_pattern("*.ds@acme.test", "business"),
            ),
        ),
        "a keyword rule": UserRules((check_keyword_rule("strategy", ["sync"]),), saved.patterns),
    }
    before = [c.category for c in analysis.classified]
    print()
    print(f"rules impact over {len(analysis.occurrences)} occurrences:")
    for name, rules in cases.items():
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            impact = rules_impact(analysis, proposed_settings(analysis.settings, rules), today)
            runs.append(time.perf_counter() - t0)
        print(f"  {name + ':':20} {runs[0]:.3f} s first, {min(runs):.3f} s best of 3")
        print(f"    {impact_text(impact)}")
    assert [c.category for c in analysis.classified] == before  # the analysis is unchanged
    conn.close()
