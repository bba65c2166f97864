"""Every rule step of DOMAIN.md "Categories", and the edges a user would trip over."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pmload.config import KeywordRule, default_keyword_rules, parse_settings
from pmload.model import Attendee, Occurrence, occurrence_id
from pmload.rules.classify import (
    Classified,
    Tags,
    classify_all,
    load_tags,
    occurrence_start_key,
    remove_tag,
    set_tag,
)
from pmload.rules.keywords import KeywordMatcher
from pmload.store import connect
from pmload.vocab import Category

RULES = """
me = ["me@acme.test"]
max_bridge_attendees = 4
[people]
technical = ["priya.ml@acme.test", "*@eng.acme.test"]
business  = ["CFO@acme.test", "*@bigcustomer.test"]
product   = ["kim.pm@acme.test"]
[[rules]]
category = "strategy"
keywords = ["pricing council"]
"""
SETTINGS = parse_settings(RULES)
START = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)


def meeting(
    title: str = "Meeting",
    people: Sequence[str] = ("bob@eng.acme.test",),
    *,
    uid: str | None = None,
    start: datetime = START,
    minutes: int = 60,
    organizer: str | None = "me@acme.test",
    me_partstat: str | None = None,
    status: str | None = None,
) -> Occurrence:
    attendees = [Attendee(p, None, "ACCEPTED", "INDIVIDUAL", None) for p in people]
    if me_partstat:
        attendees.append(Attendee("me@acme.test", None, me_partstat, "INDIVIDUAL", None))
    uid = uid or f"{title}-{start.isoformat()}"
    key = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    return Occurrence(
        occurrence_id(uid, key),
        1,
        uid,
        None,
        start,
        start + timedelta(minutes=minutes),
        "utc",
        title,
        organizer,
        tuple(attendees),
        status,
        None,
    )


def one(occ: Occurrence, tags: Tags | None = None, rules: str = RULES) -> Classified:
    return classify_all([occ], parse_settings(rules), tags)[0]


# --- step 3: sole bridge -----------------------------------------------------


def test_sole_bridge_is_translation_with_the_people_named() -> None:
    c = one(meeting("Weekly model chat", ["priya.ml@acme.test", "cfo@acme.test"]))
    assert (c.category, c.rule) == ("translation", "sole-bridge")
    assert (
        c.reason
        == "sole bridge between technical (priya.ml@acme.test) and business (cfo@acme.test)"
    )


def test_glob_patterns_match_case_insensitively() -> None:
    c = one(meeting("Chat", ["Ana@ENG.acme.test", "buyer@BigCustomer.test"]))
    assert c.rule == "sole-bridge"


def test_glob_does_not_match_a_lookalike_domain() -> None:
    # "*@eng.acme.test" must not match eng.acme.test.evil.example
    c = one(meeting("Chat", ["ana@eng.acme.test.evil.example", "cfo@acme.test"]))
    assert c.category == "unclassified"


def test_another_product_person_blocks_the_sole_bridge() -> None:
    c = one(meeting("Chat", ["priya.ml@acme.test", "cfo@acme.test", "kim.pm@acme.test"]))
    assert c.category == "unclassified"
    assert "kim.pm@acme.test" in (c.reason or "")


def test_more_than_max_bridge_attendees_is_not_a_sole_bridge() -> None:
    people = ["priya.ml@acme.test", "cfo@acme.test", "a@eng.acme.test", "b@eng.acme.test"]
    assert one(meeting("Chat", people)).rule == "sole-bridge"  # exactly 4: still a bridge
    c = one(meeting("Chat", [*people, "c@eng.acme.test"]))
    assert c.category == "unclassified"
    assert "more than 4" in (c.reason or "")


def test_too_many_people_falls_through_to_keywords() -> None:
    people = ["priya.ml@acme.test", "cfo@acme.test", *(f"e{i}@eng.acme.test" for i in range(5))]
    c = one(meeting("Quarterly roadmap", people))
    assert (c.category, c.rule, c.reason) == ("strategy", "keyword", "title matches 'roadmap'")


def test_unknown_people_neither_help_nor_block() -> None:
    c = one(meeting("Chat", ["priya.ml@acme.test", "stranger@x.test", "cfo@acme.test"]))
    assert c.rule == "sole-bridge"
    c = one(meeting("Chat", ["priya.ml@acme.test", "stranger@x.test"]))
    assert c.category == "unclassified"
    assert c.reason == "no rule applies; unknown: stranger@x.test"


def test_user_only_as_organizer_is_not_another_person() -> None:
    occ = meeting("Chat", ["priya.ml@acme.test", "cfo@acme.test"], organizer="ME@acme.test".lower())
    c = one(occ)
    assert c.people == ("priya.ml@acme.test", "cfo@acme.test")
    assert c.rule == "sole-bridge"
    # The user alone as organizer, nobody else: not a meeting.
    solo = one(meeting("Focus", [], organizer="me@acme.test"))
    assert (solo.excluded, solo.category, solo.reason) == ("solo", None, None)


def test_sole_bridge_wins_over_a_title_keyword() -> None:
    c = one(meeting("Roadmap", ["priya.ml@acme.test", "cfo@acme.test"]))
    assert c.rule == "sole-bridge"


# --- step 4: keywords --------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "keyword"),
    [
        ("Team sync", "sync"),
        ("SYNC", "sync"),
        ("sync-up", "sync"),
        ("1:1 w/ Chen", "1:1"),
        ("Chen/1:1", "1:1"),
        ("Q3 OKRs", "okrs"),
        ("Exec  brief", "exec brief"),
        ("All-hands", "all-hands"),
        ("Weekly stand-up", "stand-up"),
        ("PRD review", "prd"),
        ("Model readout (v2)", "readout"),
    ],
)
def test_keyword_matches_whole_words(title: str, keyword: str) -> None:
    m = KeywordMatcher((), default_keyword_rules()).match(title)
    assert m is not None and m.keyword == keyword


@pytest.mark.parametrize(
    "title",
    ["Resync", "syncs", "Async review", "sync2", "11:1 planning-free", "statusquo", "éstatus"],
)
def test_keyword_needs_no_letter_or_digit_around_it(title: str) -> None:
    m = KeywordMatcher((), [KeywordRule(Category.COORDINATION, ("sync", "1:1", "status"))]).match(
        title
    )
    assert m is None


def test_keyword_rules_apply_in_order_first_wins() -> None:
    # "readout" (translation) comes before "status" (coordination) in the defaults.
    c = one(meeting("Status readout", ["x@y.test"]))
    assert (c.category, c.reason) == ("translation", "title matches 'readout'")


def test_user_rules_come_before_the_defaults() -> None:
    c = one(meeting("Pricing council sync", ["x@y.test"]))
    assert c.category == "strategy"
    assert c.reason == "title matches 'pricing council' (your rule)"
    user_first = RULES + '[[rules]]\ncategory = "translation"\nkeywords = ["sync"]\n'
    assert one(meeting("Team sync", ["x@y.test"]), rules=user_first).category == "translation"


# --- step 5 and 6 ------------------------------------------------------------


def test_everyone_known_on_one_side_is_coordination() -> None:
    c = one(meeting("Chat", ["a@eng.acme.test", "kim.pm@acme.test"]))
    assert (c.category, c.rule) == ("coordination", "known-people")
    assert c.reason == "everyone is known and on one side of the bridge (technical, product)"


def test_technical_and_business_with_product_and_no_keyword_waits_for_review() -> None:
    c = one(meeting("Chat", ["a@eng.acme.test", "cfo@acme.test", "kim.pm@acme.test"]))
    assert (c.category, c.rule) == ("unclassified", None)


# --- not counted ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("occ", "why"),
    [
        (meeting("Sync", ["a@eng.acme.test"], status="CANCELLED"), "cancelled"),
        (meeting("Sync", ["a@eng.acme.test"], me_partstat="DECLINED"), "declined"),
    ],
)
def test_not_counted_has_no_category(occ: Occurrence, why: str) -> None:
    c = one(occ)
    assert (c.excluded, c.category, c.reason, c.counted) == (why, None, None, False)


# --- steps 1 and 2: tags -------------------------------------------------------


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return connect(tmp_path / "db.sqlite3")


def test_occurrence_tag_wins_over_series_tag_and_rules(conn: sqlite3.Connection) -> None:
    a = meeting("Sync", ["priya.ml@acme.test", "cfo@acme.test"], uid="s1")
    b = meeting(
        "Sync", ["priya.ml@acme.test", "cfo@acme.test"], uid="s1", start=START + timedelta(days=7)
    )
    other = meeting("Sync", ["a@eng.acme.test"], uid="s2")
    set_tag(conn, a, "coordination", series=True, now="2026-03-01T10:00:00Z")
    set_tag(conn, b, "strategy", now="2026-03-02T23:30:00Z")
    ca, cb, co = classify_all([a, b, other], SETTINGS, load_tags(conn))
    assert (ca.category, ca.rule, ca.reason) == (
        "coordination",
        "series-tag",
        "series tagged by you on 2026-03-01",
    )
    assert (cb.category, cb.rule, cb.reason) == ("strategy", "tag", "tagged by you on 2026-03-02")
    assert co.rule == "keyword"  # another series is untouched
    # The day is the user's: 23:30 UTC on 2 March is already 3 March in Tokyo.
    tokyo = classify_all([b], SETTINGS, load_tags(conn), ZoneInfo("Asia/Tokyo"))[0]
    assert tokyo.reason == "tagged by you on 2026-03-03"


def test_untag_falls_back_to_the_series_then_the_rules(conn: sqlite3.Connection) -> None:
    a = meeting("Chat", ["priya.ml@acme.test", "cfo@acme.test"], uid="s1")
    set_tag(conn, a, "strategy")
    set_tag(conn, a, "coordination", series=True)
    assert remove_tag(conn, a) is True
    assert classify_all([a], SETTINGS, load_tags(conn))[0].rule == "series-tag"
    assert remove_tag(conn, a, series=True) is True
    assert remove_tag(conn, a, series=True) is False
    assert classify_all([a], SETTINGS, load_tags(conn))[0].rule == "sole-bridge"


def test_tag_does_not_make_a_declined_meeting_count(conn: sqlite3.Connection) -> None:
    a = meeting("Chat", ["x@y.test"], me_partstat="DECLINED")
    set_tag(conn, a, "strategy")
    c = classify_all([a], SETTINGS, load_tags(conn))[0]
    assert (c.excluded, c.category) == ("declined", None)


def test_tag_keys_are_uid_and_start(conn: sqlite3.Connection) -> None:
    a = meeting("Chat", ["x@y.test"], uid="u@x")
    tag = set_tag(conn, a, "translation", now="2026-03-02T10:00:00Z")
    row = conn.execute("SELECT uid, start_key, category, tagged_at FROM tags").fetchone()
    assert row == ("u@x", "2026-01-05T17:00:00Z", "translation", "2026-03-02T10:00:00Z")
    assert tag.start_key == occurrence_start_key(a)
    assert occurrence_id(a.uid, occurrence_start_key(a)) == a.id


def test_bad_category_is_refused(conn: sqlite3.Connection) -> None:
    from pmload.errors import UsageError

    with pytest.raises(UsageError, match="not a category"):
        set_tag(conn, meeting(), "research")
    assert conn.execute("SELECT COUNT(*) FROM tags").fetchone()[0] == 0


def test_classification_is_the_same_in_one_batch_and_one_by_one() -> None:
    occs = [
        meeting("Team sync", ["a@eng.acme.test"]),
        meeting("Chat", ["priya.ml@acme.test", "cfo@acme.test"]),
        meeting("Chat", ["x@y.test"]),
        meeting("Team sync", ["a@eng.acme.test"], status="CANCELLED"),
    ]
    batch = classify_all(occs, SETTINGS)
    assert [(c.category, c.reason) for c in batch] == [
        (one(o).category, one(o).reason) for o in occs
    ]
