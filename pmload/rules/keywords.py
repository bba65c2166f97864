"""Title keyword rules (DOMAIN.md step 4), compiled once.

A keyword matches when it appears in the title case-insensitively with no
letter or digit directly before or after it: "Resync" and "syncs" do not
match ``sync``; "1:1 w/ Chen" matches ``1:1``. Runs of spaces inside a
keyword match any run of white space in the title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmload.config import KeywordRule
from pmload.errors import ConfigError
from pmload.vocab import Category

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

# "No letter or digit": [^\W_] is exactly the Unicode letters and digits.
_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"


def keyword_pattern(keyword: str) -> str:
    parts = [re.escape(p) for p in keyword.strip().split()]
    return _BEFORE + r"\s+".join(parts) + _AFTER


@dataclass(frozen=True, slots=True)
class KeywordMatch:
    category: Category
    keyword: str
    user_rule: bool


class KeywordMatcher:
    """The rules in order (the user's first); ``match(title)`` gives the first rule that applies.

    Results are memoised by title: a series repeats the same title many times.
    """

    def __init__(
        self, user_rules: Sequence[KeywordRule], default_rules: Sequence[KeywordRule]
    ) -> None:
        self._rules: list[tuple[re.Pattern[str], KeywordRule, bool, dict[str, str]]] = []
        for rules, is_user in ((user_rules, True), (default_rules, False)):
            for rule in rules:
                if not rule.keywords:
                    continue
                # Longest first so "okrs" is reported rather than "okr".
                ordered = sorted(set(rule.keywords), key=len, reverse=True)
                alternation = "|".join(f"(?:{keyword_pattern(k)})" for k in ordered)
                by_text = {" ".join(k.lower().split()): k for k in ordered}
                self._rules.append((re.compile(alternation, re.IGNORECASE), rule, is_user, by_text))
        self._memo: dict[str, KeywordMatch | None] = {}

    def match(self, title: str) -> KeywordMatch | None:
        try:
            return self._memo[title]
        except KeyError:
            pass
        found: KeywordMatch | None = None
        for pattern, rule, is_user, by_text in self._rules:
            m = pattern.search(title)
            if m is not None:
                text = " ".join(m.group(0).lower().split())
                found = KeywordMatch(rule.category, by_text.get(text, text), is_user)
                break
        self._memo[title] = found
        return found


def add_keyword_rule(doc: TOMLDocument, category: Category, keyword: str) -> None:
    """Append a ``[[rules]]`` entry ``keyword`` -> ``category`` (after the user's own rules).

    ``doc`` is rules.toml as a tomlkit document (see :func:`pmload.config.edit_rules`).
    """
    import tomlkit
    from tomlkit.items import AoT

    entry = tomlkit.table()
    entry["category"] = str(category)
    entry["keywords"] = [" ".join(keyword.lower().split())]
    rules = doc.get("rules")
    if rules is None:
        aot = tomlkit.aot()
        aot.append(entry)
        doc["rules"] = aot
    elif isinstance(rules, AoT | list):
        rules.append(entry)
    else:
        raise ConfigError("'rules' in rules.toml is not an array of tables ([[rules]]).")


def remove_keyword_rule(doc: TOMLDocument, category: Category, keyword: str) -> bool:
    """Remove the last ``[[rules]]`` entry that is exactly ``keyword`` -> ``category``
    (what :func:`add_keyword_rule` wrote); False when there is none."""
    from tomlkit.items import AoT

    rules = doc.get("rules")
    if not isinstance(rules, AoT | list):
        return False
    wanted = " ".join(keyword.lower().split())
    for i in reversed(range(len(rules))):
        entry = rules[i]
        words = [str(k).strip().lower() for k in entry.get("keywords", [])]
        if str(entry.get("category")) == str(category) and words == [wanted]:
            del rules[i]
            if len(rules) == 0:
                del doc["rules"]
            return True
    return False
