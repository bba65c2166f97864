"""People's sides (exact or glob, case-insensitive) and the suggested sides of `pmload people`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import tomlkit

from pmload.config import parse_settings
from pmload.model import Attendee, Occurrence, occurrence_id
from pmload.rules.classify import classify_all
from pmload.rules.people import people_rows
from pmload.rules.sides import SideIndex, set_side
from pmload.vocab import Side


def test_exact_address_wins_over_a_pattern() -> None:
    index = SideIndex(
        {Side.TECHNICAL: ("*@acme.test",), Side.BUSINESS: ("CFO@acme.test",), Side.PRODUCT: ()}
    )
    assert index.side("cfo@acme.test") == "business"
    assert index.side("CFO@ACME.TEST") == "business"
    assert index.side("ana@acme.test") == "technical"
    assert index.side("ana@acme.test.example") is None


@pytest.mark.parametrize(
    ("pattern", "key", "side"),
    [
        ("*@eng.acme.test", "priya@eng.acme.test", "technical"),
        ("*@eng.acme.test", "priya@acme.test", None),
        ("*.eng@acme.test", "raj.eng@acme.test", "technical"),
        ("user?@customer.test", "user7@customer.test", "technical"),
        ("user?@customer.test", "user17@customer.test", None),
        ("[ab]*@x.test", "bob@x.test", "technical"),
        ("[ab]*@x.test", "carl@x.test", None),
    ],
)
def test_glob_patterns_are_fnmatch_style(pattern: str, key: str, side: str | None) -> None:
    assert SideIndex({Side.TECHNICAL: (pattern,)}).side(key) == side


def test_a_person_known_only_by_name_can_have_a_side() -> None:
    settings = parse_settings('[people]\nbusiness = ["Chen Wei"]\n')
    assert SideIndex(settings.people).side("chen wei") == "business"


def test_first_side_in_order_wins_between_overlapping_patterns() -> None:
    index = SideIndex({Side.TECHNICAL: ("*@acme.test",), Side.BUSINESS: ("*@acme.test",)})
    assert index.side("x@acme.test") == "technical"


def test_bad_patterns_are_refused_naming_the_line() -> None:
    from pmload.errors import ConfigError

    with pytest.raises(ConfigError, match="line 3"):
        parse_settings('me = ["me@x.test"]\n[people]\ntechnical = ["[ab@x.test"]\n')
    with pytest.raises(ConfigError, match="not a valid address or pattern"):
        parse_settings('[people]\nbusiness = ["  "]\n')


def occ(i: int, people: tuple[str, ...], hours: float = 1.0) -> Occurrence:
    start = datetime(2026, 1, 5, 17, tzinfo=UTC) + timedelta(days=i)
    return Occurrence(
        occurrence_id(f"u{i}", str(i)),
        1,
        f"u{i}",
        None,
        start,
        start + timedelta(hours=hours),
        "utc",
        "Chat",
        "me@acme.test",
        tuple(Attendee(p, p.split("@")[0].title()) for p in people),
        None,
        None,
    )


SETTINGS = parse_settings(
    """
me = ["me@acme.test"]
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test", "vp@acme.test"]
product = ["kim@prod.acme.test"]
"""
)


def test_people_rows_unknown_first_with_suggestions() -> None:
    occs = [
        occ(0, ("new@contractor.test", "a@eng.acme.test")),
        occ(1, ("new@contractor.test", "b@eng.acme.test"), 2.0),
        occ(2, ("new@contractor.test", "a@eng.acme.test", "cfo@acme.test")),  # mixed: no vote
        occ(3, ("once@x.test", "kim@prod.acme.test")),  # one meeting is not enough
        occ(4, ("sales@acme.test",)),  # same domain as two business addresses
        occ(5, ("a@eng.acme.test", "cfo@acme.test"), 5.0),
    ]
    rows = people_rows([c for c in classify_all(occs, SETTINGS) if c.counted], SETTINGS)
    by_key = {r.key: r for r in rows}
    assert [r.key for r in rows[:3]] == ["new@contractor.test", "once@x.test", "sales@acme.test"]
    assert by_key["new@contractor.test"].suggested == "technical"
    assert (by_key["new@contractor.test"].hours, by_key["new@contractor.test"].count) == (4.0, 3)
    assert by_key["once@x.test"].suggested is None
    assert by_key["sales@acme.test"].suggested == "business"
    assert by_key["a@eng.acme.test"].side == "technical"
    assert by_key["a@eng.acme.test"].suggested is None
    assert by_key["a@eng.acme.test"].name == "A"
    known = [r for r in rows if r.side is not None]
    assert [r.hours for r in known] == sorted((r.hours for r in known), reverse=True)


def test_set_side_moves_an_address_and_keeps_comments() -> None:
    doc = tomlkit.parse(
        '# top\n[people]\ntechnical = ["x@a.test", "y@a.test"]  # devs\nbusiness = []\n'
    )
    set_side(doc, "x@a.test", "business")
    text = tomlkit.dumps(doc)
    settings = parse_settings(text)
    assert settings.people[Side.TECHNICAL] == ("y@a.test",)
    assert settings.people[Side.BUSINESS] == ("x@a.test",)
    assert "# top" in text and "# devs" in text
    set_side(doc, "x@a.test", "unknown")
    assert "x@a.test" not in tomlkit.dumps(doc)
    empty = tomlkit.parse("")
    set_side(empty, "kim@a.test", "product")
    assert parse_settings(tomlkit.dumps(empty)).people[Side.PRODUCT] == ("kim@a.test",)
