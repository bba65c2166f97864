"""The review queue groups one-off meetings alike, and a group can become a keyword rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pmload.cli import main
from pmload.config import edit_rules, load_settings, parse_settings
from pmload.context import Context
from pmload.rules.analysis import Analysis
from pmload.rules.keywords import add_keyword_rule, remove_keyword_rule
from pmload.rules.review import keyword_for, normalise_title
from pmload.vocab import Category
from tests.core.test_audit_cli import calendar, vevent

RULES = """\
# my rules
me = ["me@acme.test"]
timezone = "UTC"
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test"]
"""
LEARNERS = ("chen@eng.acme.test", "mei@acme.test")


def one_offs() -> list[str]:
    """Six separate invitations to the same lunch talk, dated in their titles."""
    days = ("20260105", "20260112", "20260119", "20260126", "20260202", "20260209")
    return [
        vevent(
            f"lunch-{i}@acme.test",
            f"{day}T120000Z",
            f"{day}T130000Z",
            f"Lunch & learn #{i + 1}: prompt evals ({int(day[6:])} {'Jan' if day[5] == '1' else 'Feb'})",
            LEARNERS,
        )
        for i, day in enumerate(days)
    ]


CALENDAR = calendar(
    *one_offs(),
    # the same title with other people: another decision, another group
    vevent(
        "lunch-x@acme.test",
        "20260106T120000Z",
        "20260106T130000Z",
        "Lunch & learn: prompt evals",
        ("sam@labelco.test",),
    ),
    # a weekly series keeps its own group, by UID
    vevent(
        "crit@acme.test",
        "20260107T150000Z",
        "20260107T160000Z",
        "Design crit",
        ("mei@acme.test",),
        rrule="FREQ=WEEKLY;COUNT=4",
    ),
)


@pytest.fixture
def imported(pmload_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    (pmload_home / "config").mkdir(parents=True)
    (pmload_home / "config" / "rules.toml").write_text(RULES, encoding="utf-8")
    ics = tmp_path / "work.ics"
    ics.write_text(CALENDAR, encoding="utf-8")
    assert main(["import", str(ics), "--from", "2026-01-01", "--to", "2026-02-28"]) == 0
    capsys.readouterr()
    return pmload_home


def review_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["review", "--from", "2026-01-01", "--to", "2026-02-28", "--format", "json"]) == 0
    data: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return data


def test_titles_are_normalised_without_dates_digits_or_extra_space() -> None:
    assert (
        normalise_title("Lunch & learn #3: prompt evals (19 Jan)")
        == "lunch & learn #: prompt evals"
    )
    assert normalise_title("Interview 3 –  Acme, 2026-03-02") == "interview – acme"
    assert normalise_title("SYNC   w/ Raj  Mar 4th") == "sync w/ raj"


def test_one_offs_alike_are_one_row_and_series_stay_by_uid(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = review_json(capsys)
    rows = [(g["title"], g["meetings"], g["one_offs"]) for g in data]
    assert rows == [
        ("Lunch & learn #6: prompt evals (9 Feb)", 6, True),
        ("Design crit", 4, False),
        ("Lunch & learn: prompt evals", 1, True),
    ]
    lunch = data[0]
    assert lunch["uids"] == [f"lunch-{i}@acme.test" for i in range(6)]
    assert lunch["uid"] == "lunch-5@acme.test" and len(lunch["occurrence_ids"]) == 6
    # The contract's keys are all still there, with their meaning.
    assert {"uid", "title", "hours", "meetings", "first", "last", "people", "reason"} <= set(lunch)
    assert data[1]["uids"] == ["crit@acme.test"] and data[1]["uid"] == "crit@acme.test"


def test_a_group_becomes_a_keyword_rule_that_reclassifies_what_it_said(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = Context()
    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    lunch = analysis.review_queue()[0]
    titles = [analysis.get(i).occ.title for i in lunch.occurrence_ids]
    keyword = keyword_for(titles)
    # "#1" to "#6" and the dates differ: the longest run of words they all have
    assert keyword == "lunch & learn"
    effect = analysis.keyword_rule_effect(keyword, Category.STRATEGY)
    # the six lunches and the seventh one with other people; nothing else has the words
    assert (effect.meetings, effect.unclassified, effect.hours) == (7, 7, 7.0)

    with edit_rules(ctx.paths) as doc:
        add_keyword_rule(doc, Category.STRATEGY, keyword)
    text = ctx.paths.rules_file.read_text(encoding="utf-8")
    assert "# my rules" in text and 'keywords = ["lunch & learn"]' in text
    after = Analysis.load(ctx.conn, load_settings(ctx.paths), ctx.zone)
    assert [g.title for g in after.review_queue()] == ["Design crit"]
    assert after.get(lunch.occurrence_ids[0]).reason == "title matches 'lunch & learn' (your rule)"

    with edit_rules(ctx.paths) as doc:
        assert remove_keyword_rule(doc, Category.STRATEGY, keyword)
    assert load_settings(ctx.paths) == parse_settings(RULES)
    ctx.close()


def test_no_keyword_without_words_in_common() -> None:
    assert keyword_for(["1:1", "1:1"]) is None
    assert keyword_for(["Roadmap", "Pricing"]) is None
    assert keyword_for(["Interview 3 – Acme", "Interview 4 – Acme"]) == "interview"
