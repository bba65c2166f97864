"""The domain's words as types (DOMAIN.md), so that mypy catches a misspelt category.

Every member is a ``StrEnum``: it compares equal to its text, is stored and
printed as its text (rules.toml, the database, JSON contracts), and
``Category("translation")`` turns text read from outside back into the type.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """What a meeting's time went to; UNCLASSIFIED waits in the review queue."""

    TRANSLATION = "translation"
    COORDINATION = "coordination"
    STRATEGY = "strategy"
    UNCLASSIFIED = "unclassified"


# The categories a rule or a tag can give (everything but unclassified), in DOMAIN.md's order.
CATEGORIES: tuple[Category, ...] = (
    Category.TRANSLATION,
    Category.COORDINATION,
    Category.STRATEGY,
)
ALL_CATEGORIES: tuple[Category, ...] = (*CATEGORIES, Category.UNCLASSIFIED)


class Side(StrEnum):
    """Which language a person speaks; a person with no side is unknown (None)."""

    TECHNICAL = "technical"
    BUSINESS = "business"
    PRODUCT = "product"


SIDES: tuple[Side, ...] = tuple(Side)


class Exclusion(StrEnum):
    """Why an occurrence is not a meeting, checked in this order.

    The four kinds of entry after CANCELLED are what Google Calendar's
    ``eventType`` says an entry is when it is not an ordinary event.
    """

    CANCELLED = "cancelled"
    FOCUS_TIME = "focus-time"
    OUT_OF_OFFICE = "out-of-office"
    WORKING_LOCATION = "working-location"
    BIRTHDAY = "birthday"
    DECLINED = "declined"
    FREE = "free"
    ALL_DAY = "all-day"
    SOLO = "solo"


# The Exclusions that name a kind of entry (stored in ``occurrences.event_type``).
ENTRY_KINDS: frozenset[Exclusion] = frozenset(
    {Exclusion.FOCUS_TIME, Exclusion.OUT_OF_OFFICE, Exclusion.WORKING_LOCATION, Exclusion.BIRTHDAY}
)


class Basis(StrEnum):
    """What the translation share divides by."""

    MEETINGS = "meetings"
    WORKING_HOURS = "working-hours"


BASES: tuple[Basis, ...] = tuple(Basis)


class Rule(StrEnum):
    """Which rule gave a meeting its category."""

    TAG = "tag"
    SERIES_TAG = "series-tag"
    SOLE_BRIDGE = "sole-bridge"
    KEYWORD = "keyword"
    KNOWN_PEOPLE = "known-people"


class Verdict(StrEnum):
    """How a share stands against the threshold, given the unclassified hours (DOMAIN.md).

    OVER when the low end of the range (translation ÷ base) is above the threshold,
    UNDER when the high end ((translation + unclassified) ÷ base) is at or under it,
    UNSURE otherwise: the unclassified hours decide.
    """

    OVER = "over"
    UNDER = "under"
    UNSURE = "unsure"


class WeekState(StrEnum):
    """Where an ISO week stands against today (user's zone), DOMAIN.md "The week in progress".

    Only COMPLETE weeks enter streaks, "weeks over" and a period's figures; the week
    IN_PROGRESS (the one containing today) and SCHEDULED (later) weeks are reported
    beside them.
    """

    COMPLETE = "complete"
    IN_PROGRESS = "in-progress"
    SCHEDULED = "scheduled"


class WhatIfChange(StrEnum):
    """What a what-if does to a series (``pmload what-if``, :mod:`pmload.rules.whatif`).

    WITHOUT: the series does not happen (or the PM stops attending), so none of its
    occurrences counts; SHARED: someone else bridges it, so its translation hours
    stop being the PM's translation and count as coordination.
    """

    WITHOUT = "without"
    SHARED = "shared"
