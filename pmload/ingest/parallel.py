"""Parse and expand large imports on two cores.

Parsing with icalendar is most of an import's time and runs on one core.
When the changed text is large, half of the event groups (split by size,
never inside a UID group) go to a helper process — ``python -m
pmload.ingest.parallel`` — while this process does the other half; the rows come
back as a pickle on the helper's stdout. A plain subprocess (rather than
multiprocessing) never re-imports the caller's main module and is safe to
start from the GUI's worker threads; it is killed at once when the user
cancels. Any trouble starting it falls back to doing all the work here.

The helper never outlives its parent: the parent keeps the helper's stdin
open until it has the answer, and the helper exits as soon as that pipe
reaches end-of-file (the kernel closes it when the parent dies, even by
``kill -9``); on Linux it also asks for SIGKILL when its parent goes
(``prctl(PR_SET_PDEATHSIG)``).

Helper protocol: stdin carries an 8-byte big-endian length, then
``pickle((text, first, last, zone_key))``, then stays open; stdout answers
``pickle(("ok", rows, notes, refused) | ("rejected", message) |

In a frozen bundle there is no ``python -m``: the bundle's executables start
themselves with ``PMLOAD_IMPORT_HELPER=1`` in the environment, and their
entry points (packaging/frozen_boot.py) run :func:`helper_main` when they see it.

Helper protocol: stdin carries ``pickle((text, first, last, zone_key))``;
stdout answers ``pickle(("ok", rows, notes) | ("rejected", message) |
("failed", detail))``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from pmload.errors import ImportRejected
from pmload.ingest.expand import Expansion, Row, Window, expand, library_warnings_logged
from pmload.ingest.ics_text import EventGroup, SplitCalendar
from pmload.ingest.isolate import parse_isolated

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
            [*command, str(os.getpid())],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None
        proc.stdin.write(struct.pack(">Q", len(payload)))
        proc.stdin.write(payload)
        proc.stdin.flush()  # and kept open: its end-of-file tells the helper to stop
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
        log.error("import helper failed (%s)", str(reply[0])[:20])  # its text may quote the file
        raise ImportRejected("its events could not be read (an internal error; see the log file).")
    result.rows.update(reply[1])
    notes.extend(reply[2])
    result.refused.extend(reply[3])
    return result


def _die_with_parent(parent: int) -> None:
    """On Linux, have the kernel kill this process when its parent dies (guarded)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _read_exactly(stream: BinaryIO, n: int) -> bytes:
    chunks: list[bytes] = []
    while n > 0:
        chunk = stream.read(n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _exit_on_eof(stream: BinaryIO) -> None:
    """Block until the parent's end of stdin closes, then end this process at once."""
    try:
        while stream.read(1):
            pass
    except (OSError, ValueError):
        pass
    os._exit(1)


def helper_main() -> int:
    """Body of ``python -m pmload.ingest.parallel`` (and of a frozen helper)."""
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        _die_with_parent(int(sys.argv[1]))
    out = sys.stdout.buffer
    stdin = sys.stdin.buffer
    try:
        (size,) = struct.unpack(">Q", _read_exactly(stdin, 8))
        payload = _read_exactly(stdin, size)
    except EOFError:
        return 1
    threading.Thread(target=_exit_on_eof, args=(stdin,), daemon=True).start()
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
    sys.exit(helper_main())
