"""Chart builders on plain data: formats, fonts, text kept as text, one-sentence errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from PIL import Image
from pypdf import PdfReader

from pmload.errors import UsageError
from pmload.export.charts import (
    DayPoint,
    SeriesPoint,
    WeekDetail,
    WeekPoint,
    hours_chart,
    png_bytes,
    save_figure,
    series_chart,
    share_chart,
    week_chart,
)
from pmload.export.charts.builders import _streak_runs
from pmload.export.charts.data import date_label, period_label
from pmload.vocab import Category, Verdict, WeekState

SHARES = (0.2, 0.5, 0.45, 0.3, 0.41, 0.42, 0.43, 0.1)


def _weeks() -> list[WeekPoint]:
    out: list[WeekPoint] = []
    streak = 0
    for i, share in enumerate(SHARES):
        monday = date(2026, 1, 5) + timedelta(weeks=i)
        total = 20.0
        over = share > 0.4
        streak = streak + 1 if over else 0
        hours = {
            Category.TRANSLATION: total * share,
            Category.COORDINATION: total * (1 - share) - 2,
            Category.STRATEGY: 1.5,
            Category.UNCLASSIFIED: 0.5,
        }
        out.append(
            WeekPoint(
                week=f"2026-W{i + 2:02d}",
                start=monday,
                meeting_hours=total,
                hours=hours,
                share=share,
                over=over,
                streak=streak,
                share_high=share + 0.5 / total,
                verdict=Verdict.OVER if over else Verdict.UNDER,
                state=WeekState.COMPLETE,
                has_data=True,
            )
        )
    return out


def _figures() -> dict[str, Figure]:
    weeks = _weeks()
    detail = WeekDetail(
        weeks[1],
        tuple(
            DayPoint(
                weeks[1].start + timedelta(days=d),
                {Category.TRANSLATION: 2.0, Category.STRATEGY: 1.0},
            )
            for d in range(7)
        ),
    )
    return {
        "share": share_chart(weeks, 0.4),
        "hours": hours_chart(weeks),
        "series": series_chart([SeriesPoint("Model review", 9.0, 6)], weeks),
        "week": week_chart(detail, 0.4),
    }


def test_streak_runs_mark_two_or_more_flagged_weeks() -> None:
    assert _streak_runs(_weeks()) == [(1, 2), (4, 6)]


def test_labels_name_weeks_and_dates() -> None:
    assert period_label(_weeks()) == "2026-W02 to 2026-W09 (5 Jan - 1 Mar 2026)"
    assert date_label(date(2025, 12, 29), date(2026, 1, 4)) == "29 Dec 2025 - 4 Jan 2026"


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_every_chart_in_every_format(tmp_path: Path, ext: str) -> None:
    for kind, fig in _figures().items():
        out = save_figure(fig, tmp_path / f"{kind}.{ext}")
        size = out.stat().st_size
        assert 2_000 < size < 2_000_000, (kind, size)
        if ext == "png":
            with Image.open(out) as img:
                assert img.format == "PNG" and img.size[0] >= 800
        elif ext == "svg":
            root = ET.parse(out).getroot()
            texts = [el for el in root.iter() if el.tag.endswith("}text")]
            assert texts, "SVG text must stay text"
            assert "threshold" in out.read_text() or kind in ("hours", "series")
        else:
            reader = PdfReader(out)
            assert len(reader.pages) == 1
            fonts: Any = reader.pages[0]["/Resources"]["/Font"]  # type: ignore[index]
            for ref in fonts.values():
                font = ref.get_object()
                desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in desc, "fonts are embedded as TrueType"
            assert reader.metadata is not None and reader.metadata.title == "pmload chart"


def test_share_chart_names_threshold_and_period(tmp_path: Path) -> None:
    out = save_figure(share_chart(_weeks(), 0.4), tmp_path / "share.pdf")
    text = PdfReader(out).pages[0].extract_text()
    assert "threshold 40%" in text
    assert "2026-W02 to 2026-W09" in text
    assert "3-week streak" in text and "2-week streak" in text
    assert "% of meeting hours" in text


def test_unknown_extension_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as exc:
        save_figure(_figures()["share"], tmp_path / "chart.jpg")
    assert str(exc.value) == "'chart.jpg' must end in .png, .svg or .pdf."


def test_png_bytes_in_memory() -> None:
    data = png_bytes(_figures()["hours"], dpi=50)
    assert data.startswith(b"\x89PNG")


def test_empty_period_still_draws(tmp_path: Path) -> None:
    for fig in (share_chart([], 0.4), hours_chart([]), series_chart([], [])):
        assert save_figure(fig, tmp_path / "empty.png").stat().st_size > 1000


def test_whole_percent_rounds_half_up() -> None:
    from pmload.export.charts.data import pct

    assert [pct(x) for x in (0.0, 0.4, 0.415, 0.425, 0.4049, 1.0)] == [
        "0%", "40%", "42%", "43%", "40%", "100%",
    ]  # fmt: skip
