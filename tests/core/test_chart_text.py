"""Titles are drawn as written: two ``$`` in a title are not mathtext.

matplotlib reads text between two dollar signs as math: "Pricing $5k vs $10k"
came out of the series chart and the brief as "Pricing 5kvs10k" in italics.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from pmload.cli import main
from pmload.export.charts import SeriesPoint, WeekPoint, series_chart
from pmload.export.charts.style import literal, save_figure
from pmload.vocab import Verdict, WeekState

TITLE = "Pricing $5k vs $10k"
RULES = """\
me = ["me@acme.test"]
timezone = "UTC"
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test"]
"""
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pmload tests//EN\r\n"
    "BEGIN:VEVENT\r\nUID:pricing@x\r\nDTSTAMP:20260101T000000Z\r\n"
    "DTSTART:20260105T170000Z\r\nDTEND:20260105T180000Z\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\n"
    f"SUMMARY:{TITLE}\r\nORGANIZER:mailto:me@acme.test\r\n"
    "ATTENDEE:mailto:priya@eng.acme.test\r\nATTENDEE:mailto:cfo@acme.test\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)
PERIOD = ("--from", "2026-01-05", "--to", "2026-02-15")


def _svg_texts(path: Path) -> list[str]:
    """The <text> elements of an SVG written with svg.fonttype = none (mathtext would
    place each glyph in a <tspan> of its own; the comment above each keeps the source)."""
    svg = path.read_text(encoding="utf-8")
    return [t.replace("&amp;", "&") for t in re.findall(r"<text[^>]*>([^<]+)</text>", svg)]


def test_literal_escapes_every_dollar() -> None:
    assert literal(TITLE) == "Pricing \\$5k vs \\$10k"
    assert literal("no money") == "no money"


def test_series_chart_draws_the_title_as_written(tmp_path: Path) -> None:
    week = WeekPoint(
        week="2026-W02",
        start=date(2026, 1, 5),
        meeting_hours=1.0,
        hours={},
        share=1.0,
        over=True,
        streak=1,
        share_high=1.0,
        verdict=Verdict.OVER,
        state=WeekState.COMPLETE,
        has_data=True,
    )
    fig = series_chart([SeriesPoint(TITLE, 6.0, 6)], [week])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Pricing \\$5k vs \\$10k"]  # what is set: escaped
    out = save_figure(fig, tmp_path / "series.svg")
    assert TITLE in _svg_texts(out)  # what is drawn: the title


@pytest.fixture
def pricing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    ics = tmp_path / "pricing.ics"
    ics.write_text(ICS, encoding="utf-8")
    assert main(["rules", "import", str(rules)]) == 0
    assert main(["import", str(ics), "--from", "2026-01-01", "--to", "2026-02-28"]) == 0
    capsys.readouterr()
    return tmp_path


def test_exported_series_chart_keeps_the_dollars(pricing: Path) -> None:
    out = pricing / "series.svg"
    assert main(["export", "chart", "series", *PERIOD, "--out", str(out)]) == 0
    assert TITLE in _svg_texts(out)


def test_the_brief_keeps_the_dollars(pricing: Path) -> None:
    out = pricing / "brief.pdf"
    assert main(["export", "brief", *PERIOD, "--out", str(out)]) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert TITLE in text  # the top translation meetings table
