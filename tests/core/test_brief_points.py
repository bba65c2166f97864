"""Talking points are chosen from the data: each appears only when the numbers support it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pmload.export.brief_facts import brief_facts, talking_points
from pmload.export.render import redactor_for
from pmload.period import parse_period
from pmload.rules.analysis import Analysis
from tests.core.export_calendar import imported_analysis


@pytest.fixture
def analysis(tmp_path: Path) -> Iterator[Analysis]:
    yield from imported_analysis(tmp_path)


def _points(analysis: Analysis, first: str, last: str, redact: str = "none") -> list[str]:
    period = parse_period(date_from=date.fromisoformat(first), date_to=date.fromisoformat(last))
    facts = brief_facts(analysis, period)
    return talking_points(facts, redactor_for(analysis.settings, redact))


def test_calm_weeks_get_no_structural_alarm(analysis: Analysis) -> None:
    points = _points(analysis, "2026-01-05", "2026-01-25")  # W02-W04: 38% each week
    assert points[0].startswith("Translation took 38% of my meeting hours over these 3 weeks")
    assert "under the 40% line" in points[0]
    assert any("No structural change is urgent" in p for p in points)
    assert not any("peer council" in p for p in points)
    assert not any("second bridge" in p for p in points)  # 1.5 h a week is under 2 h


def test_a_streak_brings_the_contract_and_the_peer_council(analysis: Analysis) -> None:
    points = _points(analysis, "2026-01-05", "2026-02-15")  # W02-W07, ends on 3 weeks over
    text = " ".join(points)
    assert "above the 40% line" in points[0] and "last 3 weeks in a row" in points[0]
    assert '"Falcon ranking model review" takes 1.0 h a week' in text
    assert "interface contract" in text
    assert "peer council" in text
    assert "Translation is spread over 2 recurring and 3 one-off meetings" in text
    assert "No structural change" not in text


def test_points_use_redacted_labels(analysis: Analysis) -> None:
    text = " ".join(_points(analysis, "2026-01-05", "2026-02-15", redact="titles"))
    assert "Falcon" not in text
    assert '"Series ' in text


def test_no_meetings_says_so(analysis: Analysis) -> None:
    assert _points(analysis, "2025-06-02", "2025-06-15") == [
        "There are no counted meetings in this period, so there is nothing to discuss yet."
    ]
