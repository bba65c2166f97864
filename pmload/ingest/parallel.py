"""Parse and expand large imports on two cores.

Parsing with icalendar is most of an import's time and runs on one core.
When the changed text is large, half of the event groups (split by size,
never inside a UID group) go to a helper process — ``python -m
pmload.ingest.parallel`` — while this process does the other half; the rows come
back as a pickle on the helper's stdout. A plain subprocess (rather than
multiprocessing) never re-imports the caller's main module and is safe to
start from the GUI's worker threads; it is killed at once when the user
cancels. Any trouble starting it falls back to doing all the work here.

Helper protocol: stdin carries ``pickle((text, first, last, zone_key))``;
stdout answers ``pickle(("ok", rows, notes, refused) | ("rejected", message) |
("failed", detail))``.
"""

from __future__ import annotations

import contextlib
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
from pmload.ingest.expand import Expansion, Row, Window, expand, library_warnings_logged
from pmload.ingest.ics_text import EventGroup, SplitCalendar
from pmload.ingest.isolate import parse_isolated

log = logging.getLogger(__name__)

# Below this much changed text, starting a helper process costs more than it saves.
PARALLEL_MIN_CHARS = 1_500_000

Rows = dict[str, list[Row]]


def expand_text(
    text: str,
    first: date,
    last: date,
    zone: ZoneInfo,
    notes: list[str],
    cancelled: Callable[[], bool] | None = None,
) -> Expansion:
    """Parse a self-contained calendar text and expand it over the window, per group."""
    with library_warnings_logged():
        cal, refused = parse_isolated(text, notes)
        result = expand(cal, Window(first, last, zone), notes, cancelled)
    result.refused[:0] = refused
    return result


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


def _start_helper(payload: bytes) -> subprocess.Popen[bytes] | None:
    if getattr(sys, "frozen", False) or not sys.executable:
        return None
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pmload.ingest.parallel"],
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
    return proc


def expand_groups(
    split: SplitCalendar,
    groups: list[EventGroup],
    window: Window,
    notes: list[str],
    cancelled: Callable[[], bool] | None = None,
) -> Expansion:
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
        result = expand_text(
            split.calendar_text(mine), window.first, window.last, window.zone, notes, cancelled
        )
        assert proc.stdout is not None
        data = proc.stdout.read()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # the helper is gone: nothing to flush
                    pipe.close()
    try:
        reply: Any = pickle.loads(data)
    except Exception:
        reply = ("failed", f"no answer (exit code {proc.returncode})")
    if reply[0] == "rejected":
        raise ImportRejected(reply[1])
    if reply[0] != "ok":
        log.error("import helper failed: %s", reply[1])
        raise ImportRejected("its events could not be read (an internal error; see the log file).")
    result.rows.update(reply[1])
    notes.extend(reply[2])
    result.refused.extend(reply[3])
    return result


def _helper_main() -> int:
    """Body of ``python -m pmload.ingest.parallel``: see the module docstring."""
    out = sys.stdout.buffer
    payload = sys.stdin.buffer.read()
    try:
        text, first, last, zone_key = pickle.loads(payload)
        notes: list[str] = []
        result = expand_text(text, first, last, ZoneInfo(zone_key), notes)
        reply: tuple[Any, ...] = ("ok", result.rows, notes, result.refused)
    except ImportRejected as exc:
        reply = ("rejected", str(exc))
    except Exception as exc:
        reply = ("failed", type(exc).__name__)
    out.write(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_helper_main())
