"""One question, one number: the CLI, the brief and the charts agree on range, verdict and streak.

A generated .ics calendar (UTC, imported through the CLI), with today frozen on
Wednesday 4 March 2026 (2026-W10, the week in progress):

* every week 2026-W05..W11: "Model chat" (2 h, an engineer and the CFO: sole
  bridge -> translation) and "Team sync" (1 h, coordination by keyword);
* 2026-W08 also has a 3 h "Vendor call" with a person nobody has a side for:
  2 h translation + 3 h unclassified of 6 h -> 33%..83%, unsure.

So W05-W07 are over (a 3-week streak), W08 unsure, W09 over (streak 1), W10
over so far (in progress, no streak) and W11 scheduled.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from freezegun import freeze_time
from matplotlib.patches import PathPatch
from pypdf import PdfReader

from pmload.cli import main
from pmload.context import Context
from pmload.export.brief_facts import brief_facts, talking_points
from pmload.export.charts.style import UNDER_COLOUR, UNSURE_COLOUR, UNSURE_HATCH, VERDICT_COLOURS
from pmload.export.render import default_week, export_figure, redactor_for
from pmload.period import parse_period
from pmload.rules.analysis import Analysis
from pmload.rules.verdict import share_pct, threshold_pct
from pmload.vocab import Verdict
from tests.core.test_audit_cli import calendar, vevent

NOW = "2026-03-04 12:00:00"  # Wednesday of 2026-W10
TODAY = date(2026, 3, 4)
PERIOD = ("--from", "2026-01-26", "--to", "2026-03-15")  # 2026-W05 .. W11
WEEKS = [f"2026-W{n:02d}" for n in range(5, 12)]
PEOPLE = """
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test"]
"""
RULES = 'me = ["me@acme.test"]\ntimezone = "UTC"\n'
EVENTS = (
    vevent(
        "bridge@x",
        "20260126T090000Z",
        "20260126T110000Z",
        "Model chat",
        ["priya@eng.acme.test", "cfo@acme.test"],
        "FREQ=WEEKLY;COUNT=7",
    ),
    vevent(
        "sync@x",
        "20260127T090000Z",
        "20260127T100000Z",
        "Team sync",
        ["priya@eng.acme.test"],
        "FREQ=WEEKLY;COUNT=7",
    ),
    vevent(
        "vendor@x",
        "20260218T090000Z",
        "20260218T120000Z",
        "Vendor call",
        ["vendor@outside.test"],
    ),
)


def _import(tmp: Path, rules: str) -> None:
    (tmp / "rules.toml").write_text(rules, encoding="utf-8")
    (tmp / "cal.ics").write_text(calendar(*EVENTS), encoding="utf-8", newline="")
    assert main(["rules", "import", str(tmp / "rules.toml")]) == 0
    window = ["--from", "2026-01-01", "--to", "2026-03-31"]
    assert main(["import", str(tmp / "cal.ics"), *window]) == 0


@pytest.fixture
def frozen() -> Iterator[None]:
    with freeze_time(NOW, tz_offset=0):
        yield


@pytest.fixture
def known(tmp_path: Path, frozen: None) -> Path:
    _import(tmp_path, RULES + PEOPLE)
    return tmp_path


@pytest.fixture
def unknown(tmp_path: Path, frozen: None) -> Path:
    """The same calendar before anyone's side is set: the defect's situation."""
    _import(tmp_path, RULES)
    return tmp_path


def _audit(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["audit", *args, "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _table(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["audit", *args]) == 0
    return capsys.readouterr().out


def _analysis() -> Analysis:
    ctx = Context()
    try:
        return Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    finally:
        ctx.close()


def _svg_texts(path: Path) -> list[str]:
    return [
        "".join(t.itertext()).strip()
        for t in ET.parse(path).iter()
        if t.tag.endswith("text") and "".join(t.itertext()).strip()
    ]


def _bar_looks(fig: Any) -> dict[int, set[tuple[str, str]]]:
    """Week index -> {(face colour, hatch)} of the share chart's bars drawn over it."""
    from matplotlib.colors import to_hex

    out: dict[int, set[tuple[str, str]]] = {}
    ax = fig.axes[0]
    for patch in ax.patches:
        if not isinstance(patch, PathPatch):
            continue
        look = (to_hex(patch.get_facecolor(), keep_alpha=False).upper(), patch.get_hatch() or "")
        xs = [float(x) for x, _y in np.asarray(patch.get_path().vertices, dtype=float)]
        for i in range(0, len(xs), 5):  # one bar: left-bottom, right-bottom, ...
            x = round((xs[i] + xs[i + 1]) / 2)
            out.setdefault(x, set()).add(look)
    return out


def test_cli_brief_and_chart_give_the_same_range_verdict_and_streak(
    known: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The CLI's JSON: the per-week truth.
    data = _audit(capsys, *PERIOD)
    weeks = data["weeks"]
    assert [w["week"] for w in weeks] == WEEKS
    assert [w["verdict"] for w in weeks] == ["over"] * 3 + ["unsure"] + ["over"] * 3
    assert [w["streak"] for w in weeks] == [1, 2, 3, 0, 1, 0, 0]
    assert [w["in_progress"] for w in weeks] == [False] * 5 + [True, False]
    assert [w["scheduled"] for w in weeks] == [False] * 6 + [True]
    assert (weeks[3]["share_low"], weeks[3]["share_high"]) == (0.333, 0.833)
    s = data["summary"]
    # Complete weeks W05..W09 only: 10 h translation, 3 h unclassified of 18 h.
    assert (s["share"], s["share_low"], s["share_high"], s["verdict"]) == (
        0.556,
        0.556,
        0.722,
        "over",
    )
    assert (s["weeks_over"], s["weeks_unsure"], s["complete_weeks"]) == (4, 1, 5)
    assert (s["longest_streak"], s["current_streak"]) == (3, 1)
    assert (s["in_progress_week"], s["scheduled_weeks"]) == ("2026-W10", 1)

    # The brief's facts: the same summary, the same weeks.
    analysis = _analysis()
    facts = brief_facts(
        analysis, parse_period(date_from=date(2026, 1, 26), date_to=date(2026, 3, 15))
    )
    assert round(facts.share, 3) == s["share"] and round(facts.share_high, 3) == s["share_high"]
    assert facts.verdict == s["verdict"] and facts.n_weeks == s["complete_weeks"]
    assert (facts.weeks_over, facts.weeks_unsure) == (s["weeks_over"], s["weeks_unsure"])
    assert facts.current_streak == s["current_streak"]
    assert [
        (p.verdict, round(p.share, 3), round(p.share_high, 3), p.streak) for p in facts.weeks
    ] == [(w["verdict"], w["share_low"], w["share_high"], w["streak"]) for w in weeks]
    first = talking_points(facts, redactor_for(analysis.settings, "none"))[0]
    assert first.startswith(f"Translation took {share_pct(s['share'], 0.4)} ")  # 56%
    assert "above the 40% line" in first and "4 of 5 weeks were over" in first

    # The exported share chart: labels from the same numbers, bars in the verdict's look.
    svg = known / "share.svg"
    assert main(["export", "chart", "share", *PERIOD, "--out", str(svg)]) == 0
    texts = _svg_texts(svg)
    assert "33–83%" in texts  # the unsure week's range, as in the JSON
    assert texts.count("67%") == 6  # every other week's share, in progress and scheduled too
    assert "3-week streak" in texts and not any(re.match(r"[45]-week streak", t) for t in texts)
    assert texts.count("so far") == 1  # under the week in progress: "W10", "2 Mar", "so far"
    assert texts[texts.index("so far") - 2 : texts.index("so far")] == ["W10", "2 Mar"]
    fig = export_figure(
        analysis, "share", parse_period(date_from=date(2026, 1, 26), date_to=date(2026, 3, 15))
    )
    looks = _bar_looks(fig)
    unsure_look = (UNSURE_COLOUR.upper(), UNSURE_HATCH)
    assert unsure_look in looks[3]  # W08 drawn as unsure ...
    assert all(UNDER_COLOUR.upper() not in {c for c, _ in looks[i]} for i in looks)  # ... not under
    assert all(unsure_look not in looks[i] for i in looks if i != 3)


def test_the_audit_table_says_unsure_so_far_and_what_settles_it(
    known: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _table(capsys, *PERIOD)
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("2026-W")}
    assert "unsure" in rows["2026-W08"] and "33.3–83.3%" in rows["2026-W08"]
    assert "OVER x3" in rows["2026-W07"] and "OVER" in rows["2026-W09"]
    assert rows["2026-W10"].startswith("2026-W10 so far") and "OVER x" not in rows["2026-W10"]
    assert rows["2026-W11"].startswith("2026-W11 scheduled")
    assert "*" not in rows["2026-W10"]
    assert "Weeks over 40%: 4 of 5, 1 unsure; longest streak 3, current streak 1." in out
    assert "sides for 1 person (`pmload people`) and 1 series to review" in out
    assert "This week so far (2026-W10, as scheduled): translation 66.7%, over" in out
    assert "1 later week is scheduled, not counted above." in out
    assert any(line.startswith("Share: ") and "low–high" in line for line in out.splitlines())


def test_before_sides_are_set_the_audit_says_unsure_not_zero_and_under(
    unknown: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _audit(capsys, *PERIOD)
    # Nothing is translation yet (no sides): 0% "under" was the false all-clear.
    assert [w["translation_share"] for w in data["weeks"]] == [0.0] * 7
    assert [w["verdict"] for w in data["weeks"]] == ["unsure"] * 7
    assert [w["over_threshold"] for w in data["weeks"]] == [False] * 7
    assert data["weeks"][0]["unknown_people"] == 2 and data["weeks"][3]["unknown_people"] == 3
    assert data["weeks"][0]["unclassified_series"] == 1
    s = data["summary"]
    assert (s["share"], s["share_high"], s["verdict"], s["weeks_unsure"]) == (
        0.0,
        0.722,
        "unsure",
        5,
    )
    assert (s["unknown_people"], s["unclassified_series"]) == (3, 2)
    out = _table(capsys, *PERIOD)
    assert "0.0–66.7%  unsure" in out
    assert "a range across the 40% line" in out


def test_the_brief_says_unsure_and_what_settles_it_with_the_audits_numbers(
    unknown: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = _audit(capsys, "--from", "2026-01-26", "--to", "2026-03-01")["summary"]  # W05..W09
    out = unknown / "brief.pdf"
    assert (
        main(["export", "brief", "--from", "2026-01-26", "--to", "2026-03-01", "--out", str(out)])
        == 0
    )
    text = " ".join(str(PdfReader(out).pages[0].extract_text()).split())
    assert s["verdict"] == "unsure"
    assert f"{share_pct(s['share'], 0.4)[:-1]}–{share_pct(s['share_high'], 0.4)}" == "0–72%"
    assert "0–72%" in text  # the headline card: the range, not "0%"
    assert f"{s['weeks_over']} of {s['complete_weeks']}" in text  # "0 of 5"
    assert f"{s['current_streak']} weeks" in text
    assert "Not settled yet: 5 of 5 weeks are unsure" in text
    assert "Setting the side of 3 people and reviewing 2 unclassified series" in text
    assert "under the 40% line" not in text
    assert "between 0% and 72%" in text
    assert "docs/how-it-counts.md" in text


def test_the_brief_counts_complete_weeks_and_names_this_week_so_far(
    known: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = _audit(capsys, *PERIOD)["summary"]
    out = known / "brief.pdf"
    assert main(["export", "brief", *PERIOD, "--out", str(out)]) == 0
    text = " ".join(str(PdfReader(out).pages[0].extract_text()).split())
    assert f"{share_pct(s['share'], 0.4)} " in text  # "56%": complete weeks, not 58% with W10-W11
    assert "58%" not in text
    assert "4 of 5" in text and "1 week " in text
    assert "5 complete weeks" in text
    assert "2026-W10 so far and 1 scheduled week charted, not counted" in text


def test_a_share_near_the_line_gets_a_decimal_and_the_threshold_shows_as_set(
    known: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (share_pct(0.403, 0.4), share_pct(0.395, 0.4), share_pct(0.42, 0.4)) == (
        "40.3%",
        "39.5%",
        "42%",
    )
    assert (threshold_pct(0.375), threshold_pct(0.35), threshold_pct(0.4)) == (
        "37.5%",
        "35%",
        "40%",
    )
    # A threshold of 37.5%: the brief and the chart print it as set, not as "38%".
    rules = known / "rules.toml"
    rules.write_text(RULES + "threshold = 0.375\n" + PEOPLE, encoding="utf-8")
    assert main(["rules", "import", str(rules)]) == 0
    out = known / "brief.pdf"
    assert main(["export", "brief", *PERIOD, "--out", str(out)]) == 0
    text = " ".join(str(PdfReader(out).pages[0].extract_text()).split())
    assert "threshold 37.5% of meeting hours" in text and "38%" not in text
    svg = known / "share.svg"
    assert main(["export", "chart", "share", *PERIOD, "--out", str(svg)]) == 0
    assert any("threshold 37.5%" in t for t in _svg_texts(svg))
    assert "Weeks over 37.5%" in _table(capsys, *PERIOD)


def test_the_verdict_colours_are_one_okabe_ito_palette() -> None:
    assert VERDICT_COLOURS == {
        Verdict.OVER: "#D55E00",  # vermillion
        Verdict.UNDER: "#56B4E9",  # sky blue
        Verdict.UNSURE: "#BBBBBB",  # neutral grey, drawn with a hatch
    }


def test_the_week_chart_takes_any_week_and_defaults_to_the_last_complete_one(
    known: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    analysis = _analysis()
    assert default_week(analysis, TODAY).label() == "2026-W09"
    out = known / "week.svg"
    capsys.readouterr()
    assert main(["export", "chart", "week", "--out", str(out)]) == 0
    assert "2026-W09" in capsys.readouterr().out
    assert main(["export", "chart", "week", "--week", "2026-W08", "--out", str(out)]) == 0
    title = " ".join(_svg_texts(out))
    assert "Week 2026-W08" in title and "unsure: 33–83%" in title
    assert main(["export", "chart", "week", "--week", "2026-W10", "--out", str(out)]) == 0
    assert "Week 2026-W10 so far" in " ".join(_svg_texts(out))
    capsys.readouterr()
    assert main(["export", "chart", "week", "--week", "2025-W10", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "pmload: 2025-W10 has no calendar data; your calendar runs from 2026-W05 to 2026-W11.\n"
    )


def test_how_it_counts_is_linked_and_keeps_up_with_the_default_rules() -> None:
    import tomllib

    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "how-it-counts.md").read_text(encoding="utf-8")
    assert "](docs/how-it-counts.md)" in (root / "README.md").read_text(encoding="utf-8")
    assert "../shared/DOMAIN.md" not in (root / "README.md").read_text(encoding="utf-8")
    defaults = tomllib.loads((root / "resources" / "default_rules.toml").read_text("utf-8"))
    flat = " ".join(doc.split())
    for rule in defaults["rules"]:
        line = f"{rule['category']}: {', '.join(rule['keywords'])}"
        assert line in flat, line
    from pmload.config import Settings

    assert f"({Settings().max_bridge_attendees} by default)" in doc
    assert f"{threshold_pct(Settings().threshold)} by default" in doc
    for words in (
        "cancelled, declined, free, all-day, solo",
        "unsure",
        "so far",
        "complete weeks only",
    ):
        assert words in flat, words
