"""The one-page brief: same figures as ``pmload audit``, redaction, journal only on request."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from pmload.cli import main
from pmload.export.brief import default_paper
from pmload.export.brief_facts import whole_percent
from pmload.journal import Entry, Journal
from pmload.journal.fileformat import KdfParams
from pmload.paths import resolve_paths
from tests.core.export_calendar import ADDRESSES, TITLES, import_calendar

SIX_WEEKS = ("--from", "2026-01-05", "--to", "2026-02-15")  # 2026-W02 to W07, ends on a streak
MARKER = "QUOKKA-7731"
PASSPHRASE = "correct horse battery"


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    import_calendar(tmp_path)
    return tmp_path


def _brief(out: Path, *extra: str) -> str:
    assert main(["export", "brief", *SIX_WEEKS, *extra, "--out", str(out)]) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    return str(reader.pages[0].extract_text())


def _raw_pdf_text(path: Path) -> str:
    """The file's bytes, its inflated page content and its metadata: where a secret could hide."""
    reader = PdfReader(path)
    contents = reader.pages[0].get_contents()
    parts = [
        path.read_bytes().decode("latin-1"),
        contents.get_data().decode("latin-1") if contents is not None else "",
        json.dumps({str(k): str(v) for k, v in (reader.metadata or {}).items()}),
    ]
    return "\n".join(parts)


def test_brief_figures_match_the_audit(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["audit", *SIX_WEEKS, "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["weeks_over"] == 3 and summary["current_streak"] == 3
    text = _brief(imported / "brief.pdf", "--paper", "letter")
    share = f"{math.floor(summary['share'] * 100 + 0.5)}%"
    assert share == "50%" == whole_percent(summary["share"])
    assert share in text
    assert "3 of 6" in text
    assert "3 weeks" in text
    assert "1.5 h" in text  # a week as the only bridge: 9 h of sole-bridge meetings / 6 weeks
    assert "2026-W02 to 2026-W07" in text
    assert "Falcon ranking model review" in text
    assert "interface contract" in text.replace("\n", " ")
    page = PdfReader(imported / "brief.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_a4_paper(imported: Path) -> None:
    _brief(imported / "a4.pdf", "--paper", "a4")
    page = PdfReader(imported / "a4.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_default_paper_follows_the_locale() -> None:
    assert default_paper({"LANG": "en_US.UTF-8"}) == "letter"
    assert default_paper({"LANG": "de_DE.UTF-8"}) == "a4"
    assert default_paper({"LC_PAPER": "fr_CA.UTF-8", "LANG": "fr_FR.UTF-8"}) == "letter"
    assert default_paper({}) == "letter"


@pytest.mark.parametrize("mode", ["titles", "all"])
def test_redacted_brief_has_no_title_or_address(imported: Path, mode: str) -> None:
    out = imported / f"brief-{mode}.pdf"
    text = _brief(out, "--redact", mode)
    assert "Series A" in text
    raw = _raw_pdf_text(out) + text
    for title in TITLES:
        assert title not in raw, title
    if mode == "all":
        assert "technical" in text and "business" in text
        for address in ADDRESSES:
            assert address not in raw, address
    meta = PdfReader(out).metadata
    assert meta is not None and meta.title == "pmload brief"


def test_redacting_people_keeps_titles(imported: Path) -> None:
    text = _brief(imported / "brief-people.pdf", "--redact", "people")
    assert "Falcon ranking model review" in text
    for address in ADDRESSES:
        assert address not in text


def _journal(imported: Path) -> None:
    paths = resolve_paths()
    paths.ensure()
    journal = Journal.create(paths.journal_file, PASSPHRASE, KdfParams.scrypt(n=2**10))
    data = journal.data
    for day in (12, 19, 26):
        data = data.with_entry(
            Entry(day=date(2026, 1, day), burnout=7, isolation=5,
                  kinds=("translation",), note=f"{MARKER} felt stuck between sales and ML")
        )  # fmt: skip
    journal.save(data)


def test_journal_never_appears_without_the_flag(
    imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal(imported)
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASSPHRASE)
    out = imported / "brief.pdf"
    text = _brief(out)
    assert "Journal" not in text and "burnout" not in text.lower()
    assert MARKER not in _raw_pdf_text(out)
    for table in ("meetings", "weeks"):
        csv_out = imported / f"{table}.csv"
        assert main(["export", "csv", table, *SIX_WEEKS, "--out", str(csv_out)]) == 0
        assert MARKER not in csv_out.read_text(encoding="utf-8")
    for kind in ("share", "hours", "series", "week"):
        svg = imported / f"{kind}.svg"
        assert main(["export", "chart", kind, *SIX_WEEKS, "--out", str(svg)]) == 0
        assert MARKER not in svg.read_text(encoding="utf-8")


def test_include_journal_adds_scores_never_notes(
    imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal(imported)
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASSPHRASE)
    out = imported / "brief-j.pdf"
    text = _brief(out, "--include-journal")
    flat = text.replace("\n", " ")
    assert "Journal (3 entries): burnout 7.0/10, isolation 5.0/10" in flat
    raw = _raw_pdf_text(out)
    assert MARKER not in raw and "felt stuck" not in raw


def test_include_journal_wrong_passphrase_is_one_sentence(
    imported: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _journal(imported)
    monkeypatch.setenv("PMLOAD_PASSPHRASE", "not the passphrase")
    code = main(
        ["export", "brief", *SIX_WEEKS, "--include-journal", "--out", str(imported / "b.pdf")]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("pmload: ") and err.count("\n") == 1
    assert not (imported / "b.pdf").exists()


def test_unredacted_brief_shows_titles_and_people(imported: Path) -> None:
    """The redaction checks above can fail: without --redact the same text is there."""
    text = _brief(imported / "plain.pdf")
    assert "Falcon ranking model review" in text and "Pricing engine questions" in text
    assert "priya.falcon@eng.acme.test" in text
