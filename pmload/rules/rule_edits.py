"""The user's own rules as the rules editor edits them, and how they are written back.

The editor edits two lists of rules.toml (:mod:`pmload.config`):

* the user's keyword rules, ``[[rules]]`` (category, keywords), in order;
* the people *patterns*: the glob entries of ``[people]`` (``*@eng.example.com``
  under ``technical``). Exact addresses under ``[people]`` are the People view's
  (:func:`pmload.rules.sides.set_side`); the editor leaves them as they are.

:func:`proposed_settings` makes the settings a proposal would give (what
:func:`pmload.rules.impact.rules_impact` previews) and :func:`write_user_rules`
writes a proposal into rules.toml as a tomlkit document, changing only what
changed: an unchanged ``[[rules]]`` table keeps its comments, an edited one is
edited in place (so do its comments), and a pattern kept keeps its place and
its comment in its array.

:func:`rule_from_meeting` drafts a rule from one meeting, for "Make a rule from
this meeting": the title's words as a keyword, and the other people's commonest
domain as a pattern, with a side when the domain's addresses hint at one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pmload.config import KeywordRule, Settings, check_pattern, normalize_address
from pmload.errors import ConfigError
from pmload.rules.classify import Classified
from pmload.rules.people import address_hint
from pmload.rules.review import keyword_for
from pmload.rules.sides import is_pattern
from pmload.vocab import CATEGORIES, SIDES, Category, Side

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument


@dataclass(frozen=True, slots=True)
class PeoplePattern:
    pattern: str  # lower case, with at least one glob character
    side: Side


@dataclass(frozen=True, slots=True)
class UserRules:
    """What the rules editor edits: keyword rules in order, and the people patterns."""

    keyword_rules: tuple[KeywordRule, ...] = ()
    patterns: tuple[PeoplePattern, ...] = field(default=())


def user_rules_of(settings: Settings) -> UserRules:
    """The keyword rules and people patterns of ``settings``."""
    patterns = tuple(
        PeoplePattern(p, side)
        for side in SIDES
        for p in settings.people.get(side, ())
        if is_pattern(p)
    )
    return UserRules(settings.rules, patterns)


def check_keyword_rule(category: str, keywords: Sequence[str]) -> KeywordRule:
    """A keyword rule from the editor's fields, or a ConfigError saying what is wrong."""
    if category not in CATEGORIES:
        raise ConfigError(
            f"'{category}' is not a category (use translation, coordination or strategy)."
        )
    words = tuple(dict.fromkeys(" ".join(k.lower().split()) for k in keywords if k.strip()))
    if not words:
        raise ConfigError("A keyword rule needs at least one keyword.")
    return KeywordRule(Category(category), words)


def check_people_pattern(pattern: str, side: str) -> PeoplePattern:
    """A people pattern from the editor's fields, or a ConfigError saying what is wrong."""
    if side not in SIDES:
        raise ConfigError(f"'{side}' is not a side (use technical, business or product).")
    p = check_pattern(pattern)
    if not is_pattern(p):
        raise ConfigError(
            f"'{pattern}' is one address: set its side in the People view, or write a "
            "pattern such as *@eng.example.com."
        )
    return PeoplePattern(p, Side(side))


def proposed_settings(settings: Settings, rules: UserRules) -> Settings:
    """``settings`` with the keyword rules and people patterns of ``rules``."""
    people: dict[Side, tuple[str, ...]] = {}
    for side in SIDES:
        exact = tuple(p for p in settings.people.get(side, ()) if not is_pattern(p))
        globs = tuple(pp.pattern for pp in rules.patterns if pp.side is side)
        people[side] = (*exact, *globs)
    return replace(settings, rules=rules.keyword_rules, people=people)


def _rule_of(entry: Mapping[str, object]) -> KeywordRule | None:
    category = entry.get("category")
    keywords = entry.get("keywords")
    if not isinstance(category, str) or category not in CATEGORIES:
        return None
    if isinstance(keywords, str):
        keywords = [keywords]
    if not isinstance(keywords, list):
        return None
    return KeywordRule(Category(category), tuple(str(k).strip().lower() for k in keywords))


def write_user_rules(doc: TOMLDocument, rules: UserRules) -> None:
    """Make ``doc`` (rules.toml, tomlkit) hold exactly ``rules``, changing only what changed."""
    _write_keyword_rules(doc, rules.keyword_rules)
    _write_patterns(doc, rules.patterns)


def _write_keyword_rules(doc: TOMLDocument, wanted: Sequence[KeywordRule]) -> None:
    import tomlkit
    from tomlkit.items import AoT

    current = doc.get("rules")
    if current is not None and not isinstance(current, AoT | list):
        raise ConfigError("'rules' in rules.toml is not an array of tables ([[rules]]).")
    if not wanted:
        if current is not None:
            del doc["rules"]
        return
    if current is None:
        current = tomlkit.aot()
        doc["rules"] = current
    for i, rule in enumerate(wanted):
        if i < len(current):
            entry = current[i]
            if _rule_of(entry) == rule:
                continue
            if str(entry.get("category")) != str(rule.category):
                entry["category"] = str(rule.category)
            entry["keywords"] = list(rule.keywords)
        else:
            table = tomlkit.table()
            table["category"] = str(rule.category)
            table["keywords"] = list(rule.keywords)
            current.append(table)
    for i in reversed(range(len(wanted), len(current))):
        del current[i]


def _write_patterns(doc: TOMLDocument, wanted: Sequence[PeoplePattern]) -> None:
    import tomlkit
    from tomlkit.items import Array, Table

    people = doc.get("people")
    if people is None:
        if not wanted:
            return
        people = tomlkit.table()
        doc["people"] = people
    if not isinstance(people, Table | dict):
        raise ConfigError("[people] in rules.toml is not a table.")
    for side in SIDES:
        want = [pp.pattern for pp in wanted if pp.side is side]
        current = people.get(side)
        if current is None:
            if want:
                people[side] = want
            continue
        if isinstance(current, str):
            people[side] = [current]
            current = people[side]
        if not isinstance(current, Array | list):
            raise ConfigError(f"'{side}' in [people] is not a list.")
        have: list[str] = []
        for i in reversed(range(len(current))):
            value = normalize_address(str(current[i]))
            if is_pattern(value):
                if value in want and value not in have:
                    have.append(value)
                else:
                    del current[i]
        for p in want:
            if p not in have:
                current.append(p)


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """A rule drafted from one meeting: a keyword from its title, a pattern from its people."""

    keyword: str | None
    category: Category | None  # the meeting's category when it has one, else None
    pattern: str | None  # '*@domain' of the other people's commonest domain
    side: Side | None  # the side the domain hints at, else None
    hint: str | None  # why that side ("address has 'eng'")


def rule_from_meeting(c: Classified, me: frozenset[str] = frozenset()) -> RuleDraft:
    """Draft a keyword rule and a people pattern from meeting ``c`` (see the module)."""
    keyword = keyword_for([c.occ.title])
    category = c.category if c.category in CATEGORIES else None
    domains = Counter(
        k.rsplit("@", 1)[1] for k in c.people if "@" in k and normalize_address(k) not in me
    )
    my_domains = {a.rsplit("@", 1)[1] for a in me if "@" in a}
    ranked = [d for d, _ in domains.most_common() if d not in my_domains] or [
        d for d, _ in domains.most_common()
    ]
    pattern = f"*@{ranked[0]}" if ranked else None
    side, hint = (None, None)
    if pattern is not None:
        found = address_hint(pattern[1:])  # "@eng.example.com": the domain's words only
        if found is not None:
            side, hint = found
    return RuleDraft(keyword, category, pattern, side, hint)
