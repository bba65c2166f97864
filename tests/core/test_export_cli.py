"""``pmload export chart|csv`` from a fixed calendar: every kind in every format, CSV, errors."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from pmload.cli import main
from tests.core.export_calendar import ADDRESSES, PERIOD, TITLES, import_calendar


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    import_calendar(tmp_path)
    return tmp_path


def _audit_json(capsys: pytest.CaptureFixture[str], *period: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["audit", *period, "--format", "json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.parametrize("kind", ["share", "hours", "series", "week"])
@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_every_chart_kind_in_every_format(imported: Path, kind: str, ext: str) -> None:
    out = imported / f"{kind}.{ext}"
    args = ["--week", "2026-W06"] if kind == "week" else list(PERIOD)
    assert main(["export", "chart", kind, *args, "--out", str(out)]) == 0
    size = out.stat().st_size
    assert 5_000 < size < 1_500_000, size
    if ext == "png":
        with Image.open(out) as img:
            img.verify()
        with Image.open(out) as img:
            assert img.size[0] >= 1000 and img.size[1] >= 500
    elif ext == "svg":
        root = ET.parse(out).getroot()
        texts = ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text")]
        assert texts, "SVG text must stay text"
        joined = " ".join(texts)
        if kind == "share":
            assert "threshold 40%" in joined
    else:
        reader = PdfReader(out)
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        if kind == "week":
            assert "2026-W06" in text and "58%" in text and "40% threshold" in text
        elif kind == "series":
            assert "Falcon ranking model review" in text and "8.0 h" in text
        else:
            assert "2026-W02 to 2026-W09" in text


def test_share_chart_marks_the_streak(imported: Path) -> None:
    out = imported / "share.pdf"
    assert main(["export", "chart", "share", *PERIOD, "--out", str(out)]) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert "3-week streak" in text
    assert "58%" in text and "38%" in text


def test_week_chart_defaults_to_the_last_week_of_the_period(imported: Path) -> None:
    out = imported / "week.pdf"
    assert main(["export", "chart", "week", *PERIOD, "--out", str(out)]) == 0
    assert "2026-W09" in PdfReader(out).pages[0].extract_text()


def test_csv_weeks_match_the_audit(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    audit = _audit_json(capsys, *PERIOD)
    out = imported / "weeks.csv"
    assert main(["export", "csv", "weeks", *PERIOD, "--out", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    weeks = audit["weeks"]
    assert isinstance(weeks, list) and len(rows) == len(weeks) == 8
    for row, week in zip(rows, weeks, strict=True):
        assert row["week"] == week["week"]
        assert float(row["translation_share"]) == week["translation_share"]
        assert float(row["translation_hours"]) == week["hours"]["translation"]
        assert row["over_threshold"] == str(week["over_threshold"])
        assert int(row["streak"]) == week["streak"]


def test_csv_meetings_lists_every_occurrence(imported: Path) -> None:
    out = imported / "meetings.csv"
    assert main(["export", "csv", "meetings", *PERIOD, "--out", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == [
            "id", "uid", "start", "end", "minutes", "title", "organizer", "attendees",
            "counted", "excluded", "category", "reason",
        ]  # fmt: skip
        rows = list(reader)
    assert len(rows) == 37
    declined = [r for r in rows if r["title"] == "Declined vendor pitch"]
    assert declined and declined[0]["counted"] == "False" and declined[0]["excluded"] == "declined"
    falcon = [r for r in rows if r["title"] == "Falcon ranking model review"]
    assert len(falcon) == 8 and {r["category"] for r in falcon} == {"translation"}
    assert "priya.falcon@eng.acme.test" in falcon[0]["attendees"]


@pytest.mark.parametrize("table", ["meetings", "weeks"])
def test_redacted_csv_has_no_title_or_address(imported: Path, table: str) -> None:
    out = imported / f"{table}.csv"
    assert main(["export", "csv", table, *PERIOD, "--redact", "all", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Series A" in text or "Meeting 1" in text
    for secret in (*TITLES, *ADDRESSES, "falcon@test"):
        assert secret.lower() not in text.lower(), secret


def test_redacted_series_chart_svg(imported: Path) -> None:
    out = imported / "series.svg"
    assert (
        main(["export", "chart", "series", *PERIOD, "--redact", "titles", "--out", str(out)]) == 0
    )
    text = out.read_text(encoding="utf-8")
    assert "Series A" in text
    for title in TITLES:
        assert title not in text


def test_bad_extension_and_missing_folder(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "chart", "share", "--out", str(imported / "x.jpg")]) == 2
    assert "'x.jpg' must end in .png, .svg or .pdf." in capsys.readouterr().err
    assert main(["export", "csv", "weeks", "--out", str(imported / "nope" / "w.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pmload: cannot write") and err.count("\n") == 1
    with pytest.raises(SystemExit) as exc:
        main(["export", "chart", "pie", "--out", str(imported / "x.png")])
    assert exc.value.code == 2
    assert main(["export", "chart", "share", "--weeks", "2", "--from", "2026-01-01",
                 "--out", str(imported / "x.png")]) == 2  # fmt: skip


def test_nothing_imported_is_one_sentence_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pmload.cli import main as cli_main

    out = tmp_path / "out"
    out.mkdir()
    for argv in (
        ["export", "brief", "--out", str(out / "b.pdf")],
        ["export", "chart", "share", "--out", str(out / "s.png")],
        ["export", "csv", "weeks", "--out", str(out / "w.csv")],
    ):
        assert cli_main(argv) == 1
        err = capsys.readouterr().err
        assert "nothing to export yet" in err and err.count("\n") == 1
    assert not list(out.iterdir())
