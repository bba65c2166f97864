"""The rules editor's core: the impact of proposed rules, people patterns, address hints,
rules drafted from a meeting, and rules.toml written back with the user's comments kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomlkit

from pmload.config import KeywordRule, Settings, edit_rules, load_settings, parse_settings
from pmload.errors import ConfigError
from pmload.model import Attendee, Occurrence, occurrence_id
from pmload.paths import resolve_paths
from pmload.rules.analysis import Analysis
from pmload.rules.classify import classify_all
from pmload.rules.impact import (
    impact_period,
    impact_text,
    people_matching,
    rules_impact,
    titles_matching,
)
from pmload.rules.people import address_hint, people_rows
from pmload.rules.rule_edits import (
    PeoplePattern,
    UserRules,
    check_keyword_rule,
    check_people_pattern,
    proposed_settings,
    rule_from_meeting,
    user_rules_of,
    write_user_rules,
)
from pmload.vocab import Category, Side, Verdict

UTC_ZONE = ZoneInfo("UTC")
TODAY = date(2026, 3, 4)  # a Wednesday: the week of 2 March is in progress
RULES = """me = ["me@acme.test"]
threshold = 0.5
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test"]
"""


def occ(
    uid: str, n: int, day: date, title: str, people: tuple[str, ...], hours: float = 1.0
) -> Occurrence:
    start = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return Occurrence(
        occurrence_id(uid, str(n)),
        1,
        uid,
        None,
        start,
        start + timedelta(hours=hours),
        "utc",
        title,
        "me@acme.test",
        tuple(Attendee(p, None) for p in ("me@acme.test", *people)),
        None,
        None,
    )


def history() -> list[Occurrence]:
    """Four weeks before the week in progress; each has a 1 h sole bridge (translation)
    and a 1 h 'Catch-up' with a stranger (unclassified), and one also a 'Resync'."""
    out = []
    first = date(2026, 2, 2)
    for i in range(5):  # the fifth week is the one in progress
        monday = first + timedelta(weeks=i)
        out.append(
            occ("bridge", i, monday, "Model questions", ("priya@eng.acme.test", "cfo@acme.test"))
        )
        out.append(
            occ("catch", i, monday + timedelta(days=1), "Catch-up", ("stranger@elsewhere.test",))
        )
    out.append(occ("resync", 0, first + timedelta(days=2), "Resync", ("stranger@elsewhere.test",)))
    return out


def analysis(settings: Settings | None = None) -> Analysis:
    return Analysis(None, settings or parse_settings(RULES), UTC_ZONE, history())


def test_a_people_pattern_reclassifies_and_settles_the_share() -> None:
    a = analysis()
    rules = user_rules_of(a.settings)
    assert rules.patterns == (PeoplePattern("*@eng.acme.test", Side.TECHNICAL),)
    proposal = UserRules(
        rules.keyword_rules,
        (*rules.patterns, check_people_pattern("*@elsewhere.test", "business")),
    )
    impact = rules_impact(a, proposed_settings(a.settings, proposal), TODAY)
    # Every Catch-up (5, the week in progress's too) and the Resync become coordination:
    # every other person is known and not both technical and business.
    assert (impact.meetings, impact.hours) == (6, 6.0)
    assert impact.from_unclassified == 6 and impact.to_unclassified == 0
    # The 12 complete weeks before 2 March: 4 with data. Translation 4 h of 9 h, with 5 h
    # unclassified: 44–100%, unsure; after: 4 h of 9 h = 44%, under the 50% threshold.
    assert impact.period == impact_period(TODAY)
    assert impact.period.last_sunday == date(2026, 3, 1)
    assert impact.before.verdict is Verdict.UNSURE
    assert impact.before.low == pytest.approx(4 / 9) and impact.before.high == pytest.approx(1.0)
    assert impact.after.verdict is Verdict.UNDER
    assert impact.after.low == pytest.approx(4 / 9) and impact.after.high == pytest.approx(4 / 9)
    assert impact_text(impact) == (
        "re-classifies 6 meetings (6.0 h), 6 of them from the review queue; "
        "your 12-week share 44–100% → 44%"
    )
    # the analysis previewed is left as it was
    assert a.settings.people[Side.BUSINESS] == ("cfo@acme.test",)
    assert sum(1 for c in a.classified if c.category is Category.UNCLASSIFIED) == 6


def test_a_keyword_rule_proposal_matches_whole_words_only() -> None:
    a = analysis()
    proposal = UserRules((check_keyword_rule("translation", ["Catch-Up", " catch-up "]),), ())
    assert proposal.keyword_rules == (KeywordRule(Category.TRANSLATION, ("catch-up",)),)
    settings = proposed_settings(a.settings, proposal)
    # the patterns of the proposal replace the file's; exact addresses stay
    assert settings.people[Side.BUSINESS] == ("cfo@acme.test",)
    assert settings.people[Side.TECHNICAL] == ()
    impact = rules_impact(a, settings, TODAY)
    # 5 Catch-ups become translation; the bridges lose their technical person: 5 more change.
    assert impact.meetings == 10
    matches, total = titles_matching(a.classified, ["sync"])
    assert (matches, total) == ([], 0)  # "Resync" does not match "sync"
    matches, total = titles_matching(a.classified, ["catch-up", "resync"])
    assert [(m.title, m.count) for m in matches] == [("Catch-up", 5), ("Resync", 1)]
    assert total == 2


def test_an_unchanged_proposal_changes_nothing() -> None:
    a = analysis()
    impact = rules_impact(a, proposed_settings(a.settings, user_rules_of(a.settings)), TODAY)
    assert impact.meetings == 0
    assert impact_text(impact) == "re-classifies no meeting; your 12-week share stays 44–100%"


def test_people_matching_and_pattern_checks() -> None:
    people = ["a@eng.acme.test", "B@eng.acme.test", "cfo@acme.test", "Chen Wei"]
    assert people_matching(people, "*@ENG.acme.test") == (["B@eng.acme.test", "a@eng.acme.test"], 2)
    assert people_matching(people, "cfo@acme.test") == (["cfo@acme.test"], 1)
    with pytest.raises(ConfigError, match="one address"):
        check_people_pattern("cfo@acme.test", "business")
    with pytest.raises(ConfigError, match="not a side"):
        check_people_pattern("*@x.test", "sales")
    with pytest.raises(ConfigError, match="not a valid"):
        check_people_pattern("*@x.test [", "business")
    with pytest.raises(ConfigError, match="at least one keyword"):
        check_keyword_rule("strategy", [" ", ""])


HAND_WRITTEN = """# My pmload rules (hand-written comment)
me = ["me@acme.test"]

[people]
technical = [
    "*@eng.acme.test",  # the engineers
    "ana@acme.test",    # Ana, ML lead
]
business = ["cfo@acme.test", "*@old-customer.test"]

# pricing is strategy for me
[[rules]]
category = "strategy"
keywords = ["pricing council"]

[[rules]]
category = "coordination"
keywords = ["weekly"]
"""


def test_rules_round_trip_through_rules_toml_with_comments_kept(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "home")
    paths.ensure()
    paths.rules_file.write_text(HAND_WRITTEN, encoding="utf-8")
    before = user_rules_of(load_settings(paths))
    assert before.keyword_rules[0] == KeywordRule(Category.STRATEGY, ("pricing council",))
    proposal = UserRules(
        (
            before.keyword_rules[0],  # kept as it is
            KeywordRule(Category.TRANSLATION, ("readout", "deep dive")),  # "weekly" edited
            KeywordRule(Category.STRATEGY, ("bets",)),  # added
        ),
        (
            PeoplePattern("*@eng.acme.test", Side.TECHNICAL),
            PeoplePattern("*@newcustomer.test", Side.BUSINESS),  # *@old-customer.test removed
        ),
    )
    with edit_rules(paths) as doc:
        write_user_rules(doc, proposal)
    text = paths.rules_file.read_text(encoding="utf-8")
    for comment in (
        "# My pmload rules (hand-written comment)",
        "# the engineers",
        "# Ana, ML lead",
        "# pricing is strategy for me",
    ):
        assert comment in text
    settings = load_settings(paths)
    assert user_rules_of(settings) == proposal
    assert settings.people[Side.TECHNICAL] == ("*@eng.acme.test", "ana@acme.test")
    assert settings.people[Side.BUSINESS] == ("cfo@acme.test", "*@newcustomer.test")
    assert "old-customer" not in text
    # writing the same rules again changes nothing in the file
    with edit_rules(paths) as doc:
        write_user_rules(doc, proposal)
    assert paths.rules_file.read_text(encoding="utf-8") == text
    # and removing every rule and pattern keeps the rest, comments included
    with edit_rules(paths) as doc:
        write_user_rules(doc, UserRules())
    text = paths.rules_file.read_text(encoding="utf-8")
    settings = load_settings(paths)
    assert settings.rules == ()
    assert settings.people[Side.TECHNICAL] == ("ana@acme.test",)
    assert "# Ana, ML lead" in text and "# My pmload rules" in text


def test_writing_into_an_empty_file() -> None:
    doc = tomlkit.parse("")
    write_user_rules(
        doc,
        UserRules(
            (KeywordRule(Category.STRATEGY, ("bets",)),),
            (PeoplePattern("*@eng.x.test", Side.TECHNICAL),),
        ),
    )
    settings = parse_settings(tomlkit.dumps(doc))
    assert settings.rules == (KeywordRule(Category.STRATEGY, ("bets",)),)
    assert settings.people[Side.TECHNICAL] == ("*@eng.x.test",)


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("priya.ml@northwind.test", (Side.TECHNICAL, "address has 'ml'")),
        ("omar@eng.northwind.test", (Side.TECHNICAL, "address has 'eng'")),
        ("dana-sales@northwind.test", (Side.BUSINESS, "address has 'sales'")),
        ("legal@bigretail.test", (Side.BUSINESS, "address has 'legal'")),
        ("kim.pm@northwind.test", (Side.PRODUCT, "address has 'pm'")),
        ("html@eng.x.test", (Side.TECHNICAL, "address has 'eng'")),  # 'html' is no hint word
        ("ml.sales@x.test", None),  # two sides: no hint
        ("ana@sales.test", None),  # the organisation's own name is no hint
        ("chen@northwind.test", None),
        ("Chen Wei", None),
    ],
)
def test_address_hints(key: str, hint: tuple[Side, str] | None) -> None:
    assert address_hint(key) == hint


def test_people_rows_say_why_a_side_is_suggested() -> None:
    settings = parse_settings(
        'me = ["me@acme.test"]\n[people]\nbusiness = ["cfo@acme.test", "vp@acme.test"]\n'
    )
    day = date(2026, 2, 2)
    occs = [
        occ("a", 0, day, "Chat", ("priya.ml@acme.test",)),
        occ("b", 0, day, "Chat", ("new@acme.test",)),
        occ("c", 0, day, "Chat", ("x@y.test", "cfo@acme.test")),
        occ("c", 1, day + timedelta(days=1), "Chat", ("x@y.test", "vp@acme.test")),
    ]
    rows = {
        r.key: r
        for r in people_rows([c for c in classify_all(occs, settings) if c.counted], settings)
    }
    assert (rows["priya.ml@acme.test"].suggested, rows["priya.ml@acme.test"].suggested_why) == (
        "technical",
        "address has 'ml'",
    )
    assert (rows["new@acme.test"].suggested, rows["new@acme.test"].suggested_why) == (
        "business",
        "others listed at acme.test are business",
    )
    assert (rows["x@y.test"].suggested, rows["x@y.test"].suggested_why) == (
        "business",
        "met mostly with business people",
    )
    assert rows["cfo@acme.test"].suggested_why is None


def test_rule_from_meeting_drafts_a_keyword_and_the_domain() -> None:
    settings = parse_settings(RULES)
    c = classify_all(
        [
            occ(
                "m",
                0,
                date(2026, 2, 2),
                "Weekly ML platform review",
                ("a@eng.acme.test", "b@eng.acme.test", "me2@acme.test"),
            )
        ],
        settings,
    )[0]
    draft = rule_from_meeting(c, settings.me_set)
    assert draft.keyword == "weekly ml platform review"
    assert draft.pattern == "*@eng.acme.test"
    assert (draft.side, draft.hint) == (Side.TECHNICAL, "address has 'eng'")


def test_pmload_people_says_why_a_side_is_suggested(
    tmp_path: Path, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from pmload.cli import main

    ics = tmp_path / "cal.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        "DTSTAMP:20260101T000000Z\r\nSUMMARY:Chat\r\nDTSTART:20260105T100000Z\r\n"
        "DTEND:20260105T110000Z\r\nORGANIZER:mailto:me@acme.test\r\n"
        "ATTENDEE:mailto:me@acme.test\r\nATTENDEE:mailto:priya.ml@acme.test\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    rules = tmp_path / "rules.toml"
    rules.write_text('me = ["me@acme.test"]\n', encoding="utf-8")
    assert main(["rules", "import", str(rules)]) == 0
    assert (
        main(["--tz", "UTC", "import", str(ics), "--from", "2026-01-01", "--to", "2026-02-01"]) == 0
    )
    capsys.readouterr()
    assert main(["--tz", "UTC", "people", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["suggested_side"] == "technical"
    assert rows[0]["suggested_why"] == "address has 'ml'"
    assert main(["--tz", "UTC", "people"]) == 0
    assert "address has 'ml'" in capsys.readouterr().out
