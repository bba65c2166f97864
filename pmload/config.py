"""The user's settings and rules: ``rules.toml`` in the config dir.

Format (a contract: other tools write this file)::

    me = ["me@acme.test"]               # the user's addresses
    timezone = "America/Los_Angeles"    # optional; --tz wins
    threshold = 0.40                    # a week is flagged when share > threshold
    basis = "meetings"                  # or "working-hours"
    working_hours = 40                  # per week, for that basis
    workday = "09:00-17:30"             # the working window, user's zone
    workdays = ["mon", "tue", "wed", "thu", "fri"]
    max_bridge_attendees = 10
    [people]                            # exact addresses or glob patterns, case-insensitive
    technical = ["priya.ml@acme.test", "*@eng.acme.test"]
    business  = ["cfo@acme.test", "*@bigcustomer.test"]
    product   = ["kim.pm@acme.test"]
    [[rules]]                           # user keyword rules, before the defaults
    category = "strategy"
    keywords = ["pricing council"]

Every key is optional. The file is edited with tomlkit so the user's comments
and layout survive (see :func:`edit_rules`). Validation errors name the line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pmload.errors import ConfigError
from pmload.fileio import PRIVATE_FILE, atomic_write_bytes
from pmload.fileread import FileReadError, read_regular_file
from pmload.paths import Paths, private_dir
from pmload.vocab import BASES, CATEGORIES, SIDES, Basis, Category, Side

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TOP_KEYS = frozenset(
    {
        "me",
        "timezone",
        "threshold",
        "basis",
        "working_hours",
        "workday",
        "workdays",
        "max_bridge_attendees",
        "people",
        "rules",
    }
)
_PATTERN_OK = re.compile(r"^[^\s]+$")
# A person without an address is known by their CN, which may hold spaces ("chen wei").
_NAME_OK = re.compile(r"^[^@\t\r\n\f\v]+$")


@dataclass(frozen=True, slots=True)
class KeywordRule:
    category: Category
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated content of rules.toml (defaults for what is absent)."""

    me: tuple[str, ...] = ()
    timezone: str | None = None
    threshold: float = 0.40
    basis: Basis = Basis.MEETINGS
    working_hours: float = 40.0
    workday: tuple[time, time] = (time(9, 0), time(17, 30))
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    max_bridge_attendees: int = 10
    people: dict[Side, tuple[str, ...]] = field(default_factory=lambda: dict.fromkeys(SIDES, ()))
    rules: tuple[KeywordRule, ...] = ()

    @property
    def me_set(self) -> frozenset[str]:
        return frozenset(normalize_address(a) for a in self.me)


def normalize_address(value: str) -> str:
    """Addresses compare case-insensitively with ``mailto:`` stripped."""
    v = value.strip()
    if v[:7].lower() == "mailto:":
        v = v[7:]
    return v.strip().lower()


def _without_bom(text: str) -> str:
    """Windows editors start UTF-8 files with a byte-order mark; TOML does not allow one."""
    return text.removeprefix("\ufeff")


def _line_of(text: str, needle: str) -> int | None:
    pattern = re.compile(r"^\s*\[*\s*\"?" + re.escape(needle) + r"\b", re.MULTILINE)
    m = pattern.search(text)
    if m is None:
        m = re.search(re.escape(needle), text)
    return None if m is None else text.count("\n", 0, m.start()) + 1


def _err(text: str, key: str, message: str) -> ConfigError:
    line = _line_of(text, key)
    where = f"line {line}: " if line else ""
    return ConfigError(f"{where}{message}")


def _str_list(text: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _err(text, key, f"'{key}' must be a list of strings.")
    return tuple(str(v) for v in value)


def _parse_workday(text: str, value: Any) -> tuple[time, time]:
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", str(value))
    if m is None:
        raise _err(text, "workday", "'workday' must look like \"09:00-17:30\".")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError:
        raise _err(text, "workday", "'workday' has an impossible time.") from None
    if end <= start:
        raise _err(text, "workday", "'workday' must end after it starts.")
    return start, end


def check_zone(name: str) -> str:
    """Return ``name`` if it is a known IANA time zone, else raise ConfigError."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(f"'{name}' is not a known IANA time zone name.") from None
    return name


def check_pattern(pattern: str) -> str:
    """An address or glob pattern (no spaces), or a name (CN), with balanced brackets."""
    p = normalize_address(pattern)
    ok = _PATTERN_OK.match(p) or _NAME_OK.match(p)
    if not p or not ok or p.count("[") != p.count("]"):
        raise ConfigError(f"'{pattern}' is not a valid address or pattern.")
    return p


def _toml_data(text: str) -> dict[str, Any]:
    """The TOML text as plain data: tomllib (fast, stdlib) for reading; tomlkit,
    which pmload needs only to edit the file, is imported for its error message
    (with the line) when tomllib refuses the text."""
    if not text.strip():
        return {}
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        pass
    import tomlkit
    import tomlkit.exceptions

    try:
        data: dict[str, Any] = tomlkit.parse(text).unwrap()
    except tomlkit.exceptions.ParseError as exc:
        reason = str(exc).split(" at line ")[0].rstrip(".").lower() or "syntax error"
        raise ConfigError(f"line {exc.line}: this is not valid TOML ({reason}).") from None
    return data


def parse_settings(text: str) -> Settings:
    """Validate the text of a rules file; raise ConfigError naming the line."""
    data = _toml_data(_without_bom(text))
    for key in data:
        if key not in TOP_KEYS:
            raise _err(text, key, f"unknown setting '{key}'.")
    kw: dict[str, Any] = {}
    if "me" in data:
        kw["me"] = tuple(normalize_address(a) for a in _str_list(text, "me", data["me"]))
    if "timezone" in data:
        tz = data["timezone"]
        if not isinstance(tz, str):
            raise _err(text, "timezone", "'timezone' must be a string such as \"Europe/Paris\".")
        try:
            kw["timezone"] = check_zone(tz)
        except ConfigError as exc:
            raise _err(text, "timezone", str(exc)) from None
    if "threshold" in data:
        th = data["threshold"]
        if isinstance(th, bool) or not isinstance(th, int | float) or not 0 <= th <= 1:
            raise _err(text, "threshold", "'threshold' must be a number between 0 and 1.")
        kw["threshold"] = float(th)
    if "basis" in data:
        if data["basis"] not in BASES:
            raise _err(text, "basis", '\'basis\' must be "meetings" or "working-hours".')
        kw["basis"] = Basis(data["basis"])
    if "working_hours" in data:
        wh = data["working_hours"]
        if isinstance(wh, bool) or not isinstance(wh, int | float) or not 0 < wh <= 168:
            raise _err(text, "working_hours", "'working_hours' must be a number of hours (1-168).")
        kw["working_hours"] = float(wh)
    if "workday" in data:
        kw["workday"] = _parse_workday(text, data["workday"])
    if "workdays" in data:
        days = _str_list(text, "workdays", data["workdays"])
        bad = [d for d in days if d.lower()[:3] not in WEEKDAYS]
        if bad:
            raise _err(text, "workdays", f"'{bad[0]}' is not a weekday (use mon … sun).")
        kw["workdays"] = tuple(sorted({WEEKDAYS.index(d.lower()[:3]) for d in days}))
    if "max_bridge_attendees" in data:
        mb = data["max_bridge_attendees"]
        if isinstance(mb, bool) or not isinstance(mb, int) or mb < 2:
            raise _err(
                text,
                "max_bridge_attendees",
                "'max_bridge_attendees' must be a whole number of at least 2.",
            )
        kw["max_bridge_attendees"] = mb
    if "people" in data:
        kw["people"] = _parse_people(text, data["people"])
    if "rules" in data:
        kw["rules"] = _parse_rules(text, data["rules"])
    return Settings(**kw)


def _parse_people(text: str, people: Any) -> dict[Side, tuple[str, ...]]:
    if not isinstance(people, dict):
        raise _err(text, "people", "'people' must be a table of sides.")
    out: dict[Side, tuple[str, ...]] = dict.fromkeys(SIDES, ())
    for side, patterns in people.items():
        if side not in SIDES:
            raise _err(
                text,
                side,
                f"unknown side '{side}' in [people] (use technical, business or product).",
            )
        checked = []
        for p in _str_list(text, side, patterns):
            try:
                checked.append(check_pattern(p))
            except ConfigError as exc:
                raise _err(text, p, str(exc)) from None
        out[Side(side)] = tuple(checked)
    return out


def _parse_rules(text: str, rules: Any) -> tuple[KeywordRule, ...]:
    if not isinstance(rules, list):
        raise _err(text, "rules", "'rules' must be an array of tables ([[rules]]).")
    out = []
    for rule in rules:
        if not isinstance(rule, dict):
            raise _err(text, "rules", "each [[rules]] entry must be a table.")
        for key in rule:
            if key not in ("category", "keywords"):
                raise _err(text, key, f"unknown key '{key}' in [[rules]].")
        cat = rule.get("category")
        if cat not in CATEGORIES:
            raise _err(
                text,
                f'"{cat}"' if isinstance(cat, str) else "category",
                f"'{cat}' is not a category (use translation, coordination or strategy).",
            )
        keywords = _str_list(text, "keywords", rule.get("keywords", []))
        if not keywords or any(not k.strip() for k in keywords):
            raise _err(text, "keywords", "each [[rules]] entry needs non-empty keywords.")
        out.append(KeywordRule(Category(cat), tuple(k.strip().lower() for k in keywords)))
    return tuple(out)


def default_keyword_rules() -> tuple[KeywordRule, ...]:
    """The shipped default keyword rules (resources/default_rules.toml)."""
    import tomllib

    from pmload.resources_path import read_text

    return _parse_rules("", tomllib.loads(read_text("default_rules.toml"))["rules"])


# A settings file is a few KB; anything near this is not one (or is a device).
MAX_RULES_BYTES = 1024 * 1024


def _read_text(path: Path) -> str:
    """The UTF-8 text of a rules file, through the bounded reader (regular files only)."""
    return read_regular_file(path, MAX_RULES_BYTES).decode("utf-8")


def read_rules_text(paths: Paths) -> str:
    try:
        return _without_bom(_read_text(paths.rules_file))
    except FileReadError as exc:
        if not paths.rules_file.exists():  # no rules file yet: the defaults
            return ""
        raise ConfigError(f"cannot read {paths.rules_file}: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read {paths.rules_file}: it is not UTF-8 text.") from None


def load_settings(paths: Paths) -> Settings:
    """The user's settings; defaults when rules.toml does not exist."""
    text = read_rules_text(paths)
    try:
        return parse_settings(text)
    except ConfigError as exc:
        raise ConfigError(f"{paths.rules_file}: {exc}") from None


def _write_rules(paths: Paths, text: str) -> None:
    """Replace rules.toml atomically, private to the user (0600, in a 0700 folder)."""
    private_dir(paths.config_dir)
    try:
        atomic_write_bytes(paths.rules_file, text.encode("utf-8"), PRIVATE_FILE)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"cannot write {paths.rules_file} ({reason}); it is unchanged.") from None


def import_rules(paths: Paths, source: Path) -> Settings:
    """Validate ``source`` and make it the user's rules file; nothing changes on error."""
    try:
        text = _without_bom(_read_text(source))
    except FileReadError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: not a UTF-8 text file.") from None
    try:
        settings = parse_settings(text)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    _write_rules(paths, text)
    return settings


@contextmanager
def edit_rules(paths: Paths) -> Iterator[TOMLDocument]:
    """Edit rules.toml as a tomlkit document, keeping comments; validated on exit.

    The file is only replaced when the edited text still validates.
    """
    import tomlkit

    doc = tomlkit.parse(read_rules_text(paths))
    yield doc
    text = tomlkit.dumps(doc)
    parse_settings(text)
    _write_rules(paths, text)


def update_rules(paths: Paths, mutate: Callable[[TOMLDocument], None]) -> Settings:
    with edit_rules(paths) as doc:
        mutate(doc)
    return load_settings(paths)


def system_zone() -> str:
    """The machine's IANA zone name (TZ, /etc/localtime, /etc/timezone), else UTC."""
    env = os.environ.get("TZ", "").lstrip(":")
    candidates = [env] if env else []
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    with suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        try:
            return check_zone(name)
        except ConfigError:
            continue
    return "UTC"


def resolve_zone(cli_tz: str | None, settings: Settings) -> ZoneInfo:
    """``--tz`` first, then ``timezone`` in rules.toml, then the system zone."""
    name = cli_tz or settings.timezone or system_zone()
    return ZoneInfo(check_zone(name))
