"""Two public, free-to-use self-report instruments, with plain-language scores.

* Copenhagen Burnout Inventory (CBI), work-related burnout scale
  (Kristensen, Borritz, Villadsen & Christensen 2005, Work & Stress 19:192-207):
  7 items; answers score 100, 75, 50, 25, 0; the last item is reverse-scored;
  the score is the mean (0-100).
* Three-item UCLA Loneliness Scale (Hughes, Waite, Hawkley & Cacioppo 2004,
  Research on Aging 26:655-672): 3 items scored 1-3; total 3-9; 6 or more is
  commonly read as lonely.

These are for self-reflection; pmload never offers a diagnosis. The
Maslach Burnout Inventory is proprietary and is deliberately not used.
Answers are given as option numbers, 1 = the first option listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmload.journal.errors import JournalError

_DEGREE = (
    "To a very high degree",
    "To a high degree",
    "Somewhat",
    "To a low degree",
    "To a very low degree",
)
_FREQUENCY = ("Always", "Often", "Sometimes", "Seldom", "Never/almost never")
_UCLA = ("Hardly ever", "Some of the time", "Often")


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    options: tuple[str, ...]
    scores: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str
    title: str
    intro: str
    items: tuple[Item, ...]


_CBI_SCORES = (100, 75, 50, 25, 0)

CBI = Instrument(
    "cbi",
    "Copenhagen Burnout Inventory — work-related burnout",
    "Think about your work over recent weeks.",
    (
        Item("Is your work emotionally exhausting?", _DEGREE, _CBI_SCORES),
        Item("Do you feel burnt out because of your work?", _DEGREE, _CBI_SCORES),
        Item("Does your work frustrate you?", _DEGREE, _CBI_SCORES),
        Item("Do you feel worn out at the end of the working day?", _FREQUENCY, _CBI_SCORES),
        Item(
            "Are you exhausted in the morning at the thought of another day at work?",
            _FREQUENCY,
            _CBI_SCORES,
        ),
        Item("Do you feel that every working hour is tiring for you?", _FREQUENCY, _CBI_SCORES),
        Item(
            "Do you have enough energy for family and friends during leisure time?",
            _FREQUENCY,
            tuple(reversed(_CBI_SCORES)),  # reverse-scored
        ),
    ),
)

UCLA = Instrument(
    "ucla",
    "Three-item UCLA Loneliness Scale",
    "The next questions are about how you feel about different aspects of your life. "
    "For each one, say how often you feel that way.",
    (
        Item("How often do you feel that you lack companionship?", _UCLA, (1, 2, 3)),
        Item("How often do you feel left out?", _UCLA, (1, 2, 3)),
        Item("How often do you feel isolated from others?", _UCLA, (1, 2, 3)),
    ),
)

INSTRUMENTS = {CBI.key: CBI, UCLA.key: UCLA}


def instrument(key: str) -> Instrument:
    try:
        return INSTRUMENTS[key]
    except KeyError:
        raise JournalError(f"Unknown check-in '{key}'; use cbi or ucla.") from None


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    scale: str  # "0-100" or "3-9"
    explanation: str

    def display(self) -> str:
        return f"{_num(self.value)} (on {self.scale})"


def _num(value: float) -> str:
    """One decimal at most: 35.7, 75, 50."""
    return f"{value:.1f}".removesuffix(".0")


def validate(inst: Instrument, answers: tuple[int, ...]) -> None:
    if len(answers) != len(inst.items):
        raise JournalError(
            f"The {inst.key} check-in has {len(inst.items)} questions; "
            f"{len(answers)} answer(s) were given."
        )
    for i, (a, item) in enumerate(zip(answers, inst.items, strict=True), 1):
        if not 1 <= a <= len(item.options):
            raise JournalError(f"Answer {i} must be a number from 1 to {len(item.options)}.")


def score(key: str, answers: tuple[int, ...]) -> Score:
    """The score of ``answers`` (option numbers from 1) with a plain explanation."""
    inst = instrument(key)
    validate(inst, answers)
    points = [item.scores[a - 1] for a, item in zip(answers, inst.items, strict=True)]
    if inst is CBI:
        value = sum(points) / len(points)
        if value < 50:
            level = "below 50, the range research usually reads as low work-related burnout"
        elif value < 75:
            level = "between 50 and 75, a range research often reads as moderate burnout"
        elif value < 100:
            level = "75 or more, a range research often reads as high burnout"
        else:
            level = "the top of the scale"
        return Score(
            value,
            "0-100",
            f"Your work-related burnout score is {_num(value)} out of 100: {level}. "
            "It is the average of your 7 answers, where higher means more exhaustion "
            "linked to work. This is a self-check, not a diagnosis.",
        )
    total = float(sum(points))
    reading = (
        "6 or more, which studies commonly read as feeling lonely"
        if total >= 6
        else "below 6, which studies commonly read as not lonely"
    )
    return Score(
        total,
        "3-9",
        f"Your loneliness score is {total:.0f} on a scale from 3 to 9: {reading}. "
        "It adds your 3 answers (1 = hardly ever, 3 = often). "
        "This is a self-check, not a diagnosis.",
    )
