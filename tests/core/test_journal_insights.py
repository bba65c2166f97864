"""Instrument scoring (hand-computed), records, weekly links, calm notes, peer reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pmload.journal import Entry, JournalData, JournalError, WeekFigures
from pmload.journal.insights import (
    describe_links,
    links,
    pearson,
    peer_reminders,
    review_prompt,
    sustained_high,
    week_label,
    weekly,
)
from pmload.journal.instruments import CBI, UCLA, score
from pmload.journal.records import FridayReview, from_json, to_json


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # items 1-6 score 100/75/50/25/0 by option; item 7 is reversed (option 1 = 0)
        ((1, 2, 3, 4, 5, 5, 1), (100 + 75 + 50 + 25 + 0 + 0 + 0) / 7),  # 35.71
        ((1, 1, 1, 1, 1, 1, 1), (6 * 100 + 0) / 7),  # 85.71
        ((5, 5, 5, 5, 5, 5, 5), (6 * 0 + 100) / 7),  # 14.29
        ((2, 2, 2, 2, 2, 2, 4), (6 * 75 + 75) / 7),  # 75.0
        ((3, 3, 3, 3, 3, 3, 3), 50.0),
    ],
)
def test_cbi_scores(answers: tuple[int, ...], expected: float) -> None:
    s = score("cbi", answers)
    assert s.value == pytest.approx(expected)
    assert "not a diagnosis" in s.explanation and s.scale == "0-100"


def test_cbi_explanations_by_range() -> None:
    assert "low" in score("cbi", (5, 5, 5, 5, 5, 5, 1)).explanation  # 0
    assert "moderate" in score("cbi", (3, 3, 3, 3, 3, 3, 3)).explanation  # 50
    assert "high" in score("cbi", (2, 2, 2, 2, 2, 2, 4)).explanation  # 75
    assert score("cbi", (1, 1, 1, 1, 1, 1, 5)).value == 100


@pytest.mark.parametrize(
    ("answers", "total", "lonely"),
    [((1, 1, 1), 3, False), ((1, 2, 2), 5, False), ((1, 2, 3), 6, True), ((3, 3, 3), 9, True)],
)
def test_ucla_scores(answers: tuple[int, ...], total: int, lonely: bool) -> None:
    s = score("ucla", answers)
    assert s.value == total
    assert ("commonly read as feeling lonely" in s.explanation) is lonely
    assert s.display() == f"{total} (on 3-9)"


def test_instrument_wording_and_validation() -> None:
    assert len(CBI.items) == 7 and len(UCLA.items) == 3
    assert CBI.items[-1].text.startswith("Do you have enough energy for family and friends")
    assert CBI.items[-1].scores == (0, 25, 50, 75, 100)
    assert UCLA.items[1].text == "How often do you feel left out?"
    with pytest.raises(JournalError, match="has 7 questions"):
        score("cbi", (1, 2, 3))
    with pytest.raises(JournalError, match="Answer 2 must be a number from 1 to 3"):
        score("ucla", (1, 4, 1))
    with pytest.raises(JournalError, match="use cbi or ucla"):
        score("mbi", (1,))


def test_entry_validation() -> None:
    with pytest.raises(JournalError, match="Burnout must be a whole number from 0 to 10"):
        Entry(date(2026, 1, 1), 11, 0)
    with pytest.raises(JournalError, match="Unknown isolation kind 'lonely'"):
        Entry(date(2026, 1, 1), 1, 0, ("lonely",))
    with pytest.raises(JournalError, match="Mood"):
        Entry(date(2026, 1, 1), 1, 0, mood=-1)


def test_json_round_trip_and_peers() -> None:
    d = JournalData().with_entry(
        Entry(date(2026, 1, 2), 3, 4, ("ethical", "feedback"), "é note\n", 5, None)
    )
    d = d.with_peer("Ana", date(2026, 1, 1)).talked_to("ana", date(2026, 1, 3))
    d = d.talked_to("Ana", date(2026, 1, 2))  # older talk does not move the date back
    figures = WeekFigures("2026-W02", 0.45, 21.5, 2)
    d = d.with_review(FridayReview(date(2026, 1, 9), "2026-W02", figures, "Q?", "first"))
    d = d.with_review(FridayReview(date(2026, 1, 10), "2026-W02", figures, "Q?", "A."))
    d = d.with_review(FridayReview(date(2026, 1, 2), "2026-W01", None, "Q?", "no calendar"))
    assert [r.answer for r in d.reviews] == ["no calendar", "A."]
    assert d.review("2026-W02") is not None and d.review("2026-W03") is None
    with pytest.raises(JournalError, match="already"):
        d.with_peer(" ana ", date(2026, 1, 1))
    with pytest.raises(JournalError, match="no peer"):
        d.talked_to("Bo", date(2026, 1, 1))
    back = from_json(to_json(d))
    assert back == d
    assert back.peers[0].last_talked == date(2026, 1, 3)
    assert back.without_peer("ANA").peers == ()


def test_pearson_hand_computed() -> None:
    # mx=2, my=13/3, sxy=5, sxx=2, syy=114/9 -> r = 5 / sqrt(2 * 114 / 9)
    assert pearson([1, 2, 3], [2, 4, 7]) == pytest.approx(5 / (2 * 114 / 9) ** 0.5)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert pearson([1], [1]) is None


def _entries(start: date, burnouts: list[int]) -> list[Entry]:
    return [Entry(start + timedelta(days=7 * i), b, 10 - b) for i, b in enumerate(burnouts)]


def test_weekly_means_and_labels() -> None:
    es = [
        Entry(date(2026, 1, 5), 2, 4),
        Entry(date(2026, 1, 8), 6, 8),
        Entry(date(2026, 1, 1), 1, 1),
    ]
    w = weekly(es)
    assert [x.week for x in w] == ["2026-W01", "2026-W02"]
    assert (w[1].burnout, w[1].isolation, w[1].entries) == (4.0, 6.0, 2)
    assert week_label(date(2027, 1, 1)) == "2026-W53"


def test_links_in_words() -> None:
    start = date(2026, 1, 5)
    burnouts = [2, 4, 3, 6, 5, 8, 7, 9]
    shares = {week_label(start + timedelta(days=7 * i)): b / 10 for i, b in enumerate(burnouts)}
    weeks = weekly(_entries(start, burnouts))
    same_b, same_i = links(weeks, shares)
    assert same_b.same_week == pytest.approx(1.0) and same_b.same_n == 8
    assert same_i.same_week == pytest.approx(-1.0)
    assert same_b.lagged_n == 7 and same_b.lagged is not None
    text = describe_links(weeks, shares)
    assert text.startswith("Over 8 weeks of journal entries and calendar figures: weeks with")
    assert "went with higher burnout the same week (a strong link, r = +1.00) and " in text
    assert "Weeks with a higher translation share went with lower isolation the same" in text
    assert "the week after (a strong link" in text
    assert text.endswith("not that one causes the other.")
    few = describe_links(weekly(_entries(start, burnouts[:4])), shares)
    assert few.startswith("Not enough weeks to compare yet: 4 week(s)")


def test_sustained_high_note_is_calm() -> None:
    start = date(2026, 1, 5)
    es = _entries(start, [3, 8, 9, 8])
    today = start + timedelta(days=7 * 3 + 2)
    note = sustained_high(es, today)
    assert note is not None and "someone you trust" in note and "professional" in note
    assert "!" not in note
    assert sustained_high(_entries(start, [3, 8, 5, 8]), today) is None
    assert sustained_high(es, today + timedelta(days=30)) is None  # old news
    # isolation alone also counts (burnout 2 -> isolation 8)
    assert sustained_high(_entries(start, [2, 2, 2]), start + timedelta(days=15)) is not None


def test_peer_reminders() -> None:
    d = JournalData().with_peer("Ana", date(2026, 1, 1)).with_peer("Bo", date(2026, 1, 1))
    d = d.talked_to("Ana", date(2026, 1, 10))
    r = peer_reminders(d.peers, date(2026, 2, 10))
    assert r == [
        "It has been 31 days since you talked with Ana.",
        "You have not logged a conversation with Bo yet.",
        "A peer council of about 3 people is advised; you have 2 so far.",
    ]
    assert peer_reminders(d.peers, date(2026, 2, 9))[0].startswith("You have not")


def test_review_prompt_rotates() -> None:
    assert review_prompt(date(2026, 1, 9)) != review_prompt(date(2026, 1, 16))
