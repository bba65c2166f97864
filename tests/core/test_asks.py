"""The brief's "My asks": drafted from the data and what-ifs, the user's file, remembered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from pmload.cli import main
from pmload.context import Context
from pmload.errors import PmloadError, UsageError
from pmload.export.asks import (
    DRAFT_ASKS,
    MAX_ASK_CHARS,
    MAX_ASKS,
    asks_of,
    clean_asks,
    draft_asks,
    previous_asks,
    proposal_text,
    read_asks_file,
    save_asks,
    since_text,
)
from pmload.export.brief_facts import brief_facts
from pmload.export.redact import Redactor
from pmload.period import parse_period
from pmload.rules.analysis import Analysis
from pmload.rules.whatif import SeriesChange, what_if
from pmload.vocab import WhatIfChange
from tests.core.export_calendar import TITLES, imported_analysis
from tests.core.test_whatif import PERIOD, TODAY
from tests.core.test_whatif import analysis as whatif_analysis  # noqa: F401  (fixture)

SIX_WEEKS = ("--from", "2026-01-05", "--to", "2026-02-15")  # 2026-W02..W07
NEXT_SIX = ("--from", "2026-01-12", "--to", "2026-02-22")  # 2026-W03..W08
AFTER = date(2026, 3, 20)


@pytest.fixture
def exported(tmp_path: Path) -> Iterator[Analysis]:
    yield from imported_analysis(tmp_path)


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    return " ".join(str(reader.pages[0].extract_text()).split())


def test_proposal_sentence_has_the_what_if_numbers(whatif_analysis: Analysis) -> None:  # noqa: F811
    # test_whatif's calendar: sharing "Sales x ML" moves 2 h a week of W06..W09 to
    # coordination: 17 -> 9 translation hours of 26, 65% -> 35%; only W08 stays over.
    shared = what_if(
        whatif_analysis, PERIOD, [SeriesChange("salesml", WhatIfChange.SHARED)], today=TODAY
    )
    assert proposal_text(shared) == (
        "Sharing 'Sales x ML' with a second bridge would bring my share from 65% to 35% "
        "(weeks over 4 → 1 of 4)."
    )
    both = what_if(
        whatif_analysis,
        PERIOD,
        [
            SeriesChange("salesml", WhatIfChange.SHARED),
            SeriesChange("readout", WhatIfChange.WITHOUT),
        ],
        today=TODAY,
    )
    text = proposal_text(both, Redactor("titles"))
    assert text.startswith(
        "Sharing 'Series A' with a second bridge and dropping 'Series B' (or my place in it) "
        "would bring my share from 65% to "
    )
    assert "Sales x ML" not in text and "Exec readout" not in text


def test_draft_asks_follow_the_data_and_put_proposals_first(exported: Analysis) -> None:
    facts = brief_facts(
        exported, parse_period(date_from=date(2026, 1, 5), date_to=date(2026, 2, 15)), AFTER
    )
    draft = draft_asks(facts, Redactor(), ["Sharing X would help."])
    assert draft[0] == "Sharing X would help."
    assert any(TITLES[0] in a and "interface contract" in a for a in draft)
    assert len(draft) <= MAX_ASKS
    assert 1 <= len(draft_asks(facts, Redactor())) <= DRAFT_ASKS  # room for talking points
    redacted = draft_asks(facts, Redactor("titles"))
    assert not any(t in a for a in redacted for t in TITLES)
    assert any("'Series A'" in a for a in redacted)  # the table's first series


def test_clean_asks_reads_bullets_and_refuses_what_would_not_fit() -> None:
    assert clean_asks(["- one", "  * two ", "", "# a comment", "• three", "-", "four"]) == [
        "one",
        "two",
        "three",
        "four",
    ]
    with pytest.raises(UsageError, match="room for 5 asks; 6 were given"):
        clean_asks([f"- ask {i}" for i in range(6)])
    with pytest.raises(UsageError, match=f"at most {MAX_ASK_CHARS} characters"):
        clean_asks(["x" * (MAX_ASK_CHARS + 1)])


def test_asks_file_is_read_bounded(tmp_path: Path) -> None:
    good = tmp_path / "asks.txt"
    good.write_text("\ufeff- A second bridge\n- Shared KPIs\n", encoding="utf-8")
    assert read_asks_file(good) == ["A second bridge", "Shared KPIs"]
    with pytest.raises(PmloadError, match="this is a folder"):
        read_asks_file(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(PmloadError, match="regular"):
        read_asks_file(fifo)
    big = tmp_path / "big.txt"
    big.write_bytes(b"- x\n" * 20000)
    with pytest.raises(PmloadError, match="too large"):
        read_asks_file(big)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("- caf\xe9".encode("latin-1"))
    with pytest.raises(PmloadError, match="not UTF-8"):
        read_asks_file(latin)


def test_asks_are_remembered_per_period_and_the_next_brief_says_what_changed(
    exported: Analysis,
) -> None:
    first = parse_period(date_from=date(2026, 1, 5), date_to=date(2026, 2, 15))
    later = parse_period(date_from=date(2026, 1, 26), date_to=date(2026, 3, 1))  # W05..W09
    ctx = Context()
    try:
        f1 = brief_facts(exported, first, AFTER)
        save_asks(ctx.conn, f1, ["A second bridge for the Falcon review.", "Shared KPIs"])
        saved = asks_of(ctx.conn, first)
        assert saved is not None and saved.asks == (
            "A second bridge for the Falcon review.",
            "Shared KPIs",
        )
        assert saved.week == "2026-W07" and saved.share == pytest.approx(f1.share)
        assert asks_of(ctx.conn, later) is None
        prev = previous_asks(ctx.conn, later)
        assert prev is not None and prev.period == first
        assert previous_asks(ctx.conn, first) is None
        f2 = brief_facts(exported, later, AFTER)
        text = since_text(prev, f2)
    finally:
        ctx.close()
    assert text == (
        "Last time (to 2026-W07) I asked: A second bridge for the Falcon review; Shared KPIs. "
        f"Since then my share went {f1.share_text} → {f2.share_text}."
    )
    assert f1.share_text != f2.share_text


def test_cli_brief_with_an_asks_file_then_the_next_brief(
    tmp_path: Path, exported: Analysis, capsys: pytest.CaptureFixture[str]
) -> None:
    asks = tmp_path / "asks.txt"
    asks.write_text("- A second bridge for the pricing questions\n- Shared KPIs with sales\n")
    out = tmp_path / "brief.pdf"
    capsys.readouterr()
    assert main(["export", "brief", *SIX_WEEKS, "--asks", str(asks), "--out", str(out)]) == 0
    assert capsys.readouterr().out.endswith('"My asks" (2): from your file.\n')
    text = _pdf_text(out)
    assert "My asks" in text and "A second bridge for the pricing questions" in text
    assert "Talking points" in text
    # Again without --asks: the same period's asks are remembered.
    assert main(["export", "brief", *SIX_WEEKS, "--out", str(out)]) == 0
    assert capsys.readouterr().out.endswith("remembered from your brief to 2026-W07.\n")
    assert "Shared KPIs with sales" in _pdf_text(out)
    # Next week's brief drafts new asks and says what was asked last time.
    nxt = tmp_path / "next.pdf"
    assert main(["export", "brief", *NEXT_SIX, "--out", str(nxt)]) == 0
    assert "drafted from the data; write your own with --asks FILE." in capsys.readouterr().out
    text = _pdf_text(nxt)
    assert "Last time (to 2026-W07) I asked: A second bridge for the pricing questions" in text
    assert "Since then my share stayed at" in text  # 50% both times on this calendar
    capsys.readouterr()
    code = main(["export", "brief", *SIX_WEEKS, "--asks", str(tmp_path), "--out", str(out)])
    assert code == 1 and "this is a folder" in capsys.readouterr().err


def test_the_longest_asks_still_fit_one_page(tmp_path: Path, exported: Analysis) -> None:
    asks = tmp_path / "asks.txt"
    long_ask = "A second bridge " + "for the weekly ranking reviews " * 10
    lines = [f"- {i} {long_ask[: MAX_ASK_CHARS - 3]}" for i in range(MAX_ASKS)]
    asks.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "brief.pdf"
    assert main(["export", "brief", *SIX_WEEKS, "--asks", str(asks), "--out", str(out)]) == 0
    nxt = tmp_path / "next.pdf"
    assert main(["export", "brief", *NEXT_SIX, "--asks", str(asks), "--out", str(nxt)]) == 0
    text = _pdf_text(nxt)  # one page, with "Last time…" under the asks
    for i in range(MAX_ASKS):
        assert f"{i} A second bridge" in text
    assert "Last time (to 2026-W07)" in text
    assert "How pmload counts" in text  # the method note at the foot is still there
