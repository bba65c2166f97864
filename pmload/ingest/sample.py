"""The sample calendar: a few months of an AI product manager's week, dated to today.

``resources/sample.ics`` is a template written around one anchor week (its
``X-PMLOAD-SAMPLE-ANCHOR`` Monday, the template's "current week"). It holds
recurring series with moved, cancelled and skipped instances, declined
invitations, focus blocks, all-day events, and technical, business and
product people at the fictional northwind.test, plus a few people the rules
do not know (for the review queue and the people suggestions).

Installing it shifts every date by whole weeks so the anchor week becomes the
current week (weekdays and times of day are kept, the current week is full),
places the wall-clock times in the user's zone, writes the result to
``data/sample-calendar.ics``, merges ``resources/sample_rules.toml`` (the
sample's ``me``, people and keyword rules) into the user's rules.toml, and
imports the file like any other calendar.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import tomlkit
from tomlkit.toml_document import TOMLDocument

from pmload.config import Settings, update_rules
from pmload.paths import Paths
from pmload.period import monday_of
from pmload.resources_path import read_text

if TYPE_CHECKING:
    from pmload.ingest.importer import ImportReport

log = logging.getLogger(__name__)

SAMPLE_FILE_NAME = "sample-calendar.ics"
TEMPLATE_ZONE = "America/Los_Angeles"
_ANCHOR = re.compile(r"^X-PMLOAD-SAMPLE-ANCHOR:(\d{8})\s*$", re.MULTILINE)
_DATED = re.compile(r"^(DTSTART|DTEND|RECURRENCE-ID|EXDATE|RDATE)([;:])", re.IGNORECASE)
_STAMP = re.compile(r"(\d{8})(T\d{6}Z?)?")
_UNTIL = re.compile(r"(UNTIL=)(\d{8})(T\d{6}Z?)?")


def template_text() -> str:
    return read_text("sample.ics")


def anchor_of(text: str) -> date:
    """The Monday of the template's current week."""
    m = _ANCHOR.search(text)
    if m is None:
        raise ValueError("the sample calendar template has no X-PMLOAD-SAMPLE-ANCHOR line")
    return datetime.strptime(m.group(1), "%Y%m%d").date()


def weeks_to_shift(anchor: date, today: date) -> int:
    """Whole weeks from the anchor Monday to the Monday of ``today``'s week."""
    monday = monday_of(today)
    return (monday - anchor).days // 7


def _shift_day(yyyymmdd: str, delta: timedelta) -> str:
    return (datetime.strptime(yyyymmdd, "%Y%m%d").date() + delta).strftime("%Y%m%d")


def _shift_stamp(m: re.Match[str], delta: timedelta) -> str:
    return _shift_day(m.group(1), delta) + (m.group(2) or "")


def _fold(line: str) -> list[str]:
    raw = line.encode("utf-8")
    parts: list[str] = []
    while len(raw) > 75:
        cut = 75
        while (raw[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(raw[:cut].decode("utf-8"))
        raw = b" " + raw[cut:]
    parts.append(raw.decode("utf-8"))
    return parts


def sample_calendar_text(today: date, zone: ZoneInfo | str) -> str:
    """The template re-dated so its anchor week is ``today``'s week, in ``zone``."""
    text = template_text()
    delta = timedelta(weeks=weeks_to_shift(anchor_of(text), today))
    zone_name = zone if isinstance(zone, str) else zone.key
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    out: list[str] = []
    for line in unfolded.splitlines():
        if _DATED.match(line):
            head, sep, value = line.partition(":")
            value = _STAMP.sub(lambda m: _shift_stamp(m, delta), value)
            line = f"{head}{sep}{value}"
        elif line.upper().startswith("RRULE:"):
            line = _UNTIL.sub(
                lambda m: m.group(1) + _shift_day(m.group(2), delta) + (m.group(3) or ""), line
            )
        elif line.startswith("X-PMLOAD-SAMPLE-ANCHOR:"):
            line = f"X-PMLOAD-SAMPLE-ANCHOR:{anchor_of(text) + delta:%Y%m%d}"
        line = line.replace(f"TZID={TEMPLATE_ZONE}", f"TZID={zone_name}")
        if line.startswith("X-WR-TIMEZONE:"):
            line = f"X-WR-TIMEZONE:{zone_name}"
        out.extend(_fold(line))
    return "\r\n".join(out) + "\r\n"


def sample_rules() -> dict[str, Any]:
    """The sample's rules (me, people, keyword rules) as plain data."""
    return tomlkit.parse(read_text("sample_rules.toml")).unwrap()


def _merge(doc: TOMLDocument, sample: dict[str, Any]) -> None:
    me = [str(a) for a in doc.get("me", [])]
    for addr in sample.get("me", []):
        if addr not in me:
            me.append(addr)
    doc["me"] = me
    if "people" not in doc:
        doc["people"] = tomlkit.table()
    people = doc["people"]
    for side, patterns in sample.get("people", {}).items():
        have = [str(p) for p in people.get(side, [])]
        merged = have + [p for p in patterns if p not in have]
        arr = tomlkit.array()
        arr.extend(merged)
        arr.multiline(len(merged) > 3)
        people[side] = arr
    rules = doc.get("rules")
    existing = [] if rules is None else [dict(r) for r in rules]
    for rule in sample.get("rules", []):
        if rule not in existing:
            if rules is None:
                rules = tomlkit.aot()
                doc["rules"] = rules
            table = tomlkit.table()
            table["category"] = rule["category"]
            table["keywords"] = list(rule["keywords"])
            rules.append(table)


def merge_sample_rules(paths: Paths) -> Settings:
    """Add the sample's me, people and keyword rules to the user's rules.toml."""
    sample = sample_rules()
    return update_rules(paths, lambda doc: _merge(doc, sample))


def write_sample(paths: Paths, zone: ZoneInfo, today: date | None = None) -> Path:
    """Write the re-dated sample calendar into the data dir and return its path."""
    paths.ensure()
    target = paths.data_dir / SAMPLE_FILE_NAME
    target.write_text(sample_calendar_text(today or date.today(), zone), encoding="utf-8")
    return target


def install_sample(
    paths: Paths,
    conn: sqlite3.Connection,
    zone: ZoneInfo,
    today: date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportReport:
    """Merge the sample rules, write the re-dated calendar and import it."""
    from pmload.ingest.importer import import_paths

    merge_sample_rules(paths)
    target = write_sample(paths, zone, today)
    log.info("installing the sample calendar from %s", target)
    return import_paths(conn, [target], zone, progress=progress)
