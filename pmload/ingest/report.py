"""What an import tells the user: per file, per skipped event (the CLI and the app show these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SkippedEvent:
    """An event group (a UID and its overrides) that could not be imported.

    ``prop`` is the property at fault (``RRULE``, ``DTSTART``…, or ``""``
    when the event as a whole cannot be read); ``reason`` says what is wrong
    as a clause ("its RRULE has INTERVAL=0 …"). ``known`` is true when the
    same text was already skipped by an earlier import of this file (the CLI
    lists those only with ``-v``).
    """

    uid: str
    title: str
    prop: str
    reason: str
    known: bool = False

    @property
    def label(self) -> str:
        """How the user recognises the event: its title, else its UID."""
        uid = self.uid if len(self.uid) <= 60 else self.uid[:57] + "…"
        if self.title:
            return f"'{self.title}' (UID {uid})"
        return f"the event with UID {uid}"

    @property
    def sentence(self) -> str:
        return f"{self.label}: {self.reason}."


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file. ``status``: imported, unchanged, rejected or ignored.

    ``events`` counts the event groups stored from the file; ``skipped``
    lists the groups that could not be read (the rest of the file was
    imported all the same). ``name`` is how the source is shown when it is
    not a file of its own: ``export.zip!Work.ics`` for a calendar inside a zip
    (``path`` is then the zip), a masked URL for a subscription. ``ignored``:
    a member of a zip that is not a calendar, skipped and named.
    """

    path: Path
    status: str
    message: str = ""
    events: int = 0
    occurrences: int = 0
    changed_events: int = 0
    removed_events: int = 0
    warnings: tuple[str, ...] = ()
    source_id: int | None = None
    skipped: tuple[SkippedEvent, ...] = ()
    name: str = ""

    @property
    def shown(self) -> str:
        """The source as the user knows it: the path, the zip member or the masked URL."""
        return self.name or str(self.path)

    @property
    def short(self) -> str:
        """A short form for dialogs: the file name, the zip's name with its member, the URL."""
        if not self.name:
            return self.path.name
        if self.name.startswith(str(self.path)):
            return self.path.name + self.name[len(str(self.path)) :]
        return self.name

    @property
    def new_skipped(self) -> tuple[SkippedEvent, ...]:
        """Skipped events not reported by an earlier import of the same text."""
        return tuple(s for s in self.skipped if not s.known)


@dataclass(slots=True)
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def rejected(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "rejected"]

    @property
    def ignored(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "ignored"]

    @property
    def ok(self) -> bool:
        return not self.rejected
