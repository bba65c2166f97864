"""Parse and expand large imports on two cores.

Parsing with icalendar is most of an import's time and runs on one core.
When the changed text is large, half of the event groups (split by size,
never inside a UID group) go to a helper process — ``python -m
pmload.ingest.parallel`` — while this process does the other half; the rows come
back as a pickle on the helper's stdout. A plain subprocess (rather than
multiprocessing) never re-imports the caller's main module and is safe to
start from the GUI's worker threads; it is killed at once when the user
cancels. Any trouble starting it falls back to doing all the work here.

In a frozen bundle there is no ``python -m``: the bundle's executables start
themselves with ``PMLOAD_IMPORT_HELPER=1`` in the environment, and their
entry points (packaging/frozen_boot.py) run :func:`helper_main` when they see it.

Helper protocol: stdin carries ``pickle((text, first, last, zone_key))``;
stdout answers ``pickle(("ok", rows, notes) | ("rejected", message) |
("failed", detail))``.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from pmload.errors import ImportRejected
from pmload.ingest.expand import Row, Window, expand, library_warnings_logged, parse_calendar
from pmload.ingest.ics_text import EventGroup, SplitCalendar

log = logging.getLogger(__name__)

# Below this much changed text, starting a helper process costs more than it saves.
PARALLEL_MIN_CHARS = 1_500_000

Rows = dict[str, list[Row]]
# Set in a frozen helper's environment; the bundle's entry points dispatch on it.
HELPER_ENV = "PMLOAD_IMPORT_HELPER"


def expand_text(
    text: str,
    first: date,
    last: date,
    zone: ZoneInfo,
    notes: list[str],
    cancelled: Callable[[], bool] | None = None,
) -> Rows:
    """Parse a self-contained calendar text and expand it over the window."""
    with library_warnings_logged():
        cal = parse_calendar(text)
        return expand(cal, Window(first, last, zone), notes, cancelled)


def halves(groups: list[EventGroup]) -> tuple[list[EventGroup], list[EventGroup]]:
    """Two lists of whole groups with about the same amount of text, order kept."""
    total = sum(len(b) for g in groups for b in g.blocks)
    first: list[EventGroup] = []
    second: list[EventGroup] = []
    acc = 0
    for g in groups:
        size = sum(len(b) for b in g.blocks)
        (first if acc + size / 2 <= total / 2 else second).append(g)
        acc += size
    return first, second


def helper_command() -> tuple[list[str], dict[str, str] | None]:
    """The helper's command line and environment (None: this process's)."""
    if getattr(sys, "frozen", False):
        return [sys.executable], {**os.environ, HELPER_ENV: "1"}
    return [sys.executable, "-m", "pmload.ingest.parallel"], None


def _start_helper(payload: bytes) -> subprocess.Popen[bytes] | None:
    if not sys.executable:
        return None
    command, env = helper_command()
    try:
        proc = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None
        proc.stdin.write(payload)
        proc.stdin.close()
    except (OSError, ValueError):
        log.info("could not start an import helper; working on one core", exc_info=True)
        return None
    log.debug("import helper started (%s)", "frozen" if env is not None else "python -m")
    return proc


def expand_groups(
    split: SplitCalendar,
    groups: list[EventGroup],
    window: Window,
    notes: list[str],
    cancelled: Callable[[], bool] | None = None,
) -> Rows:
    """Rows of ``groups`` by UID; on two cores when there is enough text to be worth it."""
    size = sum(len(b) for g in groups for b in g.blocks)
    mine, theirs = halves(groups)
    proc = None
    if size >= PARALLEL_MIN_CHARS and (os.cpu_count() or 1) >= 2 and mine and theirs:
        payload = (split.calendar_text(theirs), window.first, window.last, window.zone.key)
        proc = _start_helper(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    if proc is None:
        text = split.calendar_text(groups)
        return expand_text(text, window.first, window.last, window.zone, notes, cancelled)
    try:
        rows = expand_text(
            split.calendar_text(mine), window.first, window.last, window.zone, notes, cancelled
        )
        assert proc.stdout is not None
        data = proc.stdout.read()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    try:
        reply: Any = pickle.loads(data)
    except Exception:
        reply = ("failed", f"no answer (exit code {proc.returncode})")
    if reply[0] == "rejected":
        raise ImportRejected(reply[1])
    if reply[0] != "ok":
        log.error("import helper failed: %s", reply[1])
        raise ImportRejected("its events could not be read (an internal error; see the log file).")
    rows.update(reply[1])
    notes.extend(reply[2])
    return rows


def helper_main() -> int:
    """Body of ``python -m pmload.ingest.parallel`` (and of a frozen helper)."""
    out = sys.stdout.buffer
    try:
        text, first, last, zone_key = pickle.loads(sys.stdin.buffer.read())
        notes: list[str] = []
        rows = expand_text(text, first, last, ZoneInfo(zone_key), notes)
        reply: tuple[Any, ...] = ("ok", rows, notes)
    except ImportRejected as exc:
        reply = ("rejected", str(exc))
    except Exception as exc:
        reply = ("failed", f"{type(exc).__name__}: {exc}")
    out.write(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(helper_main())
