"""Raw iCalendar text: decoding, sanity checks, and splitting into blocks.

The importer hashes each event's raw text so a re-import parses only what
changed. This module does that cheap work on the text, before icalendar sees
anything:

* decode (UTF-8, UTF-16 with a BOM, else Windows-1252 with a warning);
* reject what is plainly not a calendar (empty, binary, no BEGIN:VCALENDAR,
  truncated inside a component) with one clear sentence;
* unfold continuation lines and split into VTIMEZONE and VEVENT blocks, the
  VEVENTs grouped by UID (a master and its RECURRENCE-ID overrides must be
  expanded together);
* give non-standard VTIMEZONE definitions a TZID unique to their content, so
  icalendar's process-wide time zone cache cannot mix up two files that both
  call different definitions "Customized Time Zone" (icalendar issue 799);
  drop a non-standard definition whose offset would change more often than
  yearly (``FREQ=SECONDLY`` makes dateutil step through every second since
  its DTSTART; see pmload.ingest.limits), with a warning.

The text given to icalendar (:meth:`SplitCalendar.calendar_text`) differs
from the file's in two ways that change no occurrence: VALARM components are
left out (pmload never uses alarms, and a damaged alarm would otherwise cost
its event), and an event whose DURATION mixes days and hours (or has 24
hours or more) carries the DURATION as written in ``X-PMLOAD-DURATION``,
because icalendar folds ``PT25H`` and ``P1DT1H`` into the same timedelta
while RFC 5545 gives them different lengths across a DST change
(pmload.ingest.durations).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pmload.errors import ImportRejected
from pmload.ingest.durations import X_DURATION as _X_DURATION
from pmload.ingest.limits import vtimezone_problem

_NESTED = re.compile(r"^BEGIN:(?!VEVENT)", re.MULTILINE | re.IGNORECASE)
_BLOCK = re.compile(
    r"^BEGIN:(VEVENT|VTIMEZONE)[ \t]*\r?$.*?^END:\1[ \t]*\r?$",
    re.MULTILINE | re.DOTALL | re.IGNORECASE,
)
_UID = re.compile(r"^UID(?:;[^:\r\n]*)?:(.*?)\r?$", re.MULTILINE | re.IGNORECASE)
_TZID_LINE = re.compile(r"^TZID(?:;[^:\r\n]*)?:(.*?)\r?$", re.MULTILINE | re.IGNORECASE)
_DTSTART_DATE = re.compile(r"^DTSTART[^:\r\n]*:(\d{8})", re.MULTILINE | re.IGNORECASE)
_X_WR_TZ = re.compile(r"^X-WR-TIMEZONE(?:;[^:\r\n]*)?:(.*?)\r?$", re.MULTILINE | re.IGNORECASE)
_CALNAME = re.compile(r"^X-WR-CALNAME(?:;[^:\r\n]*)?:(.*?)\r?$", re.MULTILINE | re.IGNORECASE)
_RRULE = re.compile(r"^(?:RRULE|RDATE)[;:]", re.MULTILINE | re.IGNORECASE)
_SUMMARY = re.compile(r"^SUMMARY(?:;[^:\r\n]*)?:(.*?)\r?$", re.MULTILINE | re.IGNORECASE)

_VALARM = re.compile(
    r"^BEGIN:VALARM[ \t]*$.*?^END:VALARM[ \t]*\n?", re.MULTILINE | re.DOTALL | re.I
)
_VALARM_BEGIN = re.compile(r"^BEGIN:VALARM", re.MULTILINE | re.IGNORECASE)
# A DURATION with a time part (VALARMs, which have their own, are gone by then).
_DURATION = re.compile(r"^DURATION(?:;[^:\n]*)?:([^\n]*T[^\n]*)$", re.MULTILINE | re.IGNORECASE)

# The largest file read (pmload.fileread): a scale-10 benchmark calendar (three
# years of a very busy PM) is under 6 MB; icalendar needs ~30 bytes of memory
# per byte of text.
MAX_BYTES = 64 * 1024 * 1024


def _unescape(value: str) -> str:
    """A TEXT value as icalendar reads it (RFC 5545 3.3.11), so UIDs match parsed ones."""
    if "\\" not in value:
        return value
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def prepared(block: str) -> str:
    """The block as icalendar gets it (see the module docstring); idempotent."""
    if _VALARM_BEGIN.search(block):
        block = _VALARM.sub("", block)
    m = _DURATION.search(block)
    if m and is_ambiguous_duration(m.group(1)) and _X_DURATION not in block:
        nl = block.index("\n")
        block = f"{block[:nl]}\n{_X_DURATION}:{m.group(1).strip()}{block[nl:]}"
    return block


def is_ambiguous_duration(value: str) -> bool:
    """Whether icalendar's timedelta loses what matters: days (or weeks) beside a time
    part, or a time part of 24 hours or more (PT25H is not P1DT1H). ``PT30M`` is not."""
    value = value.strip().upper()
    day_part, _, time_part = value.partition("T")
    if not time_part:
        return False
    if "D" in day_part or "W" in day_part:
        return True
    seconds = 0
    for number, unit in re.findall(r"(\d+)([HMS])", time_part):
        seconds += int(number) * {"H": 3600, "M": 60, "S": 1}[unit]
    return seconds >= 86400


@dataclass(slots=True)
class EventGroup:
    """All VEVENT blocks of one UID in one file."""

    uid: str
    blocks: list[str] = field(default_factory=list)
    _hash: str | None = None

    @property
    def digest(self) -> str:
        if self._hash is None:
            h = hashlib.sha256()
            for b in self.blocks:
                h.update(b.encode("utf-8", "surrogatepass"))
                h.update(b"\x00")
            self._hash = h.hexdigest()
        return self._hash

    @property
    def recurs(self) -> bool:
        return any(_RRULE.search(b) for b in self.blocks)

    @property
    def title(self) -> str:
        for b in self.blocks:
            m = _SUMMARY.search(b)
            if m:
                return m.group(1).replace("\\,", ",").replace("\\;", ";")
        return ""


@dataclass(slots=True)
class SplitCalendar:
    """A calendar file cut into what the importer needs."""

    name: str
    x_wr_timezone: str | None
    timezones: list[str]
    groups: dict[str, EventGroup]
    warnings: list[str]

    @property
    def context_digest(self) -> str:
        """Hash of what affects every event: time zone definitions and X-WR-TIMEZONE."""
        h = hashlib.sha256()
        h.update((self.x_wr_timezone or "").encode())
        for tz in self.timezones:
            h.update(b"\x00")
            h.update(tz.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def earliest_start(self) -> date | None:
        best: str | None = None
        for g in self.groups.values():
            for b in g.blocks:
                m = _DTSTART_DATE.search(b)
                if m and (best is None or m.group(1) < best):
                    best = m.group(1)
        if best is None:
            return None
        try:
            return date(int(best[:4]), int(best[4:6]), int(best[6:8]))
        except ValueError:
            return None

    def calendar_text(self, groups: list[EventGroup]) -> str:
        """A self-contained calendar holding the time zones and these groups."""
        parts = ["BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//pmload//import//EN\n"]
        if self.x_wr_timezone:
            parts.append(f"X-WR-TIMEZONE:{self.x_wr_timezone}\n")
        for tz in self.timezones:
            parts.append(tz)
            parts.append("\n")
        for g in groups:
            for b in g.blocks:
                parts.append(prepared(b))
                parts.append("\n")
        parts.append("END:VCALENDAR\n")
        return "".join(parts)


def decode(raw: bytes, warnings: list[str]) -> str:
    """Bytes to text, or ImportRejected when they are plainly not a calendar."""
    if not raw.strip():
        raise ImportRejected("the file is empty.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRejected("the file is not readable text (broken UTF-16).") from None
    head = raw[:65536]
    if b"\x00" in head:
        raise ImportRejected("this is a binary file, not an iCalendar (.ics) file.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.append("the file is not valid UTF-8; it was read as Windows-1252 text")
        return raw.decode("cp1252", errors="replace")


def split(text: str, fallback_name: str) -> SplitCalendar:
    """Check the calendar's shape and cut it into blocks (see the module docstring)."""
    warnings: list[str] = []
    # Unfold, then one line end everywhere, so a file re-saved with other line
    # ends is recognised as unchanged event by event.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n ", "").replace("\n\t", "")
    upper = "\n" + text.upper()
    wrapped = "\nBEGIN:VCALENDAR" in upper
    begins = upper.count("\nBEGIN:VEVENT")
    if not wrapped and not begins:
        raise ImportRejected("this is not an iCalendar file (it has no BEGIN:VCALENDAR).")
    ends = upper.count("\nEND:VEVENT")
    if begins != ends or (wrapped and "\nEND:VCALENDAR" not in upper):
        raise ImportRejected(
            "the file is truncated or damaged (an event or the calendar is not closed)."
        )
    if not wrapped:
        warnings.append(
            "the file holds bare events without a VCALENDAR around them; they were read anyway"
        )
    timezones: list[str] = []
    groups: dict[str, EventGroup] = {}
    for m in _BLOCK.finditer(text):
        block = m.group(0).rstrip()
        if m.group(1).upper() == "VTIMEZONE":
            timezones.append(block)
            continue
        um = _UID.search(_first_level(block))
        uid = _unescape(um.group(1)).strip() if um else ""
        if not uid:
            # A UID derived from the text, written into the block: without one the
            # expansion library would key the series by an object id, new every run.
            uid = (
                "pmload-no-uid-"
                + hashlib.sha256(block.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            )
            if um is not None:  # an empty UID line: drop it
                block = block[: um.start()] + block[um.end() + 1 :]
            first_line_end = block.index("\n")
            block = f"{block[:first_line_end]}\nUID:{uid}{block[first_line_end:]}"
        group = groups.get(uid)
        if group is None:
            group = groups[uid] = EventGroup(uid)
        group.blocks.append(block)
    xm = _X_WR_TZ.search(text)
    nm = _CALNAME.search(text)
    name = nm.group(1).strip() if nm and nm.group(1).strip() else fallback_name
    cal = SplitCalendar(name, xm.group(1).strip() if xm else None, timezones, groups, warnings)
    _make_custom_tzids_unique(cal)
    return cal


def _first_level(block: str) -> str:
    """The VEVENT's own lines, without nested components (a VALARM has its own UID)."""
    cut = _NESTED.search(block, 1)
    return block if cut is None else block[: cut.start()]


@lru_cache(maxsize=512)
def is_known_zone(name: str) -> bool:
    """An IANA name, or a Windows name icalendar maps to one."""
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    return name in WINDOWS_TO_OLSON


_UNIQUE_SUFFIX = re.compile(r" ~[0-9a-f]{12}$")


def tzid_of(tz: str) -> str:
    """The TZID of a VTIMEZONE block ('' when it has none)."""
    m = _TZID_LINE.search(tz)
    return m.group(1).strip().strip('"') if m else ""


def shown_tzid(tzid: str) -> str:
    """A TZID as the file wrote it (without the suffix that makes it unique)."""
    return _UNIQUE_SUFFIX.sub("", tzid)


def _make_custom_tzids_unique(cal: SplitCalendar) -> None:
    renames: dict[str, str] = {}
    kept: list[str] = []
    for tz in cal.timezones:
        tzid = tzid_of(tz)
        if tzid and not is_known_zone(tzid):
            problem = vtimezone_problem(tz)
            if problem:
                cal.warnings.append(f"the time zone definition '{tzid}' was ignored: {problem}")
                continue
        kept.append(tz)
    cal.timezones[:] = kept
    for i, tz in enumerate(cal.timezones):
        m = _TZID_LINE.search(tz)
        if not m:
            continue
        tzid = m.group(1).strip().strip('"')
        if is_known_zone(tzid) or _UNIQUE_SUFFIX.search(tzid):  # known, or made unique before
            continue
        digest = hashlib.sha256(tz.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        new = f"{tzid} ~{digest}"
        renames[tzid] = new
        cal.timezones[i] = tz[: m.start(1)] + new + tz[m.end(1) :]
    if not renames:
        return
    pattern = re.compile(
        r";TZID=(\"?)("
        + "|".join(re.escape(k) for k in sorted(renames, key=len, reverse=True))
        + r")\1(?=[;:])"
    )

    def repl(m: re.Match[str]) -> str:
        return f';TZID="{renames[m.group(2)]}"'

    for g in cal.groups.values():
        g.blocks = [pattern.sub(repl, b) for b in g.blocks]
