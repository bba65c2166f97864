"""People and their sides: exact addresses or glob patterns from rules.toml.

A person key (lower-case address, or the CN when there is no address) has a
side when it equals an address listed under ``[people]`` or matches one of its
glob patterns (``fnmatch`` syntax, case-insensitive). Exact addresses win
over patterns; among patterns the first match in the order technical,
business, product wins. A key that matches nothing is unknown (None).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import translate
from typing import TYPE_CHECKING

from pmload.config import normalize_address
from pmload.errors import ConfigError
from pmload.vocab import SIDES, Side

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

UNKNOWN = "unknown"  # what the CLI and the app call a person with no side

_GLOB_CHARS = frozenset("*?[")


def is_pattern(text: str) -> bool:
    return any(c in _GLOB_CHARS for c in text)


@dataclass(frozen=True, slots=True)
class SideGroups:
    """A meeting's other people by side, each in order of appearance (keys)."""

    technical: tuple[str, ...] = ()
    business: tuple[str, ...] = ()
    product: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def of(self, side: Side | None) -> tuple[str, ...]:
        """The people on ``side`` (None: the unknown people)."""
        if side is None:
            return self.unknown
        return {
            Side.TECHNICAL: self.technical,
            Side.BUSINESS: self.business,
            Side.PRODUCT: self.product,
        }[side]


class SideIndex:
    """Memoised person key -> side (technical | business | product | None)."""

    def __init__(self, people: Mapping[Side, tuple[str, ...]]) -> None:
        self._exact: dict[str, Side] = {}
        globs: list[tuple[re.Pattern[str], Side]] = []
        for side in SIDES:
            for pattern in people.get(side, ()):
                p = pattern.strip().lower()
                if is_pattern(p):
                    globs.append((re.compile(translate(p), re.IGNORECASE), side))
                else:
                    self._exact.setdefault(p, side)
        self._globs = tuple(globs)
        self._memo: dict[str, Side | None] = {}

    def side(self, key: str) -> Side | None:
        try:
            return self._memo[key]
        except KeyError:
            pass
        k = key.strip().lower()
        found = self._exact.get(k)
        if found is None:
            for pattern, side in self._globs:
                if pattern.match(k):
                    found = side
                    break
        self._memo[key] = found
        return found

    def group(self, keys: Iterable[str]) -> SideGroups:
        """``keys`` split by side, each group in the order given."""
        groups: dict[Side | None, list[str]] = {s: [] for s in (*SIDES, None)}
        for key in keys:
            groups[self.side(key)].append(key)
        return SideGroups(
            tuple(groups[Side.TECHNICAL]),
            tuple(groups[Side.BUSINESS]),
            tuple(groups[Side.PRODUCT]),
            tuple(groups[None]),
        )

    def exact(self, key: str) -> Side | None:
        """The side this exact address is listed under (patterns ignored)."""
        return self._exact.get(key.strip().lower())


def set_side(doc: TOMLDocument, address: str, side: str) -> None:
    """Remove ``address`` from every side's list, then add it under ``side`` (unless unknown).

    ``doc`` is rules.toml as a tomlkit document (see :func:`pmload.config.edit_rules`).
    """
    import tomlkit
    from tomlkit.items import Array, Table

    people = doc.get("people")
    if people is None:
        people = tomlkit.table()
        doc["people"] = people
    if not isinstance(people, Table | dict):
        raise ConfigError("[people] in rules.toml is not a table.")
    for name in SIDES:
        current = people.get(name)
        if isinstance(current, Array | list):
            for i in reversed(range(len(current))):
                if normalize_address(str(current[i])) == address:
                    del current[i]
    if side == UNKNOWN:
        return
    target = people.get(side)
    if target is None:
        people[side] = [address]
    elif isinstance(target, Array | list):
        target.append(address)
    else:
        people[side] = [str(target), address]
