"""Benchmark: unlock a journal of 5 years of daily entries with the default KDF (target < 1 s).

Prints figures; asserts only correctness, never speed (``make bench``).
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from pathlib import Path

from pmload.journal import CheckIn, Entry, Journal, JournalData
from pmload.journal import fileformat as ff
from pmload.journal.records import ISOLATION_KINDS

PASS = "a long enough passphrase for the bench"
WORDS = [
    "readout",
    "escalation",
    "model",
    "finance",
    "sales",
    "roadmap",
    "alone",
    "bridge",
    "asked",
    "twice",
    "tired",
]


def five_years() -> JournalData:
    rng = random.Random(7)
    start = date(2021, 1, 1)
    entries = []
    for i in range(5 * 365 + 1):
        kinds = tuple(k for k in ISOLATION_KINDS if rng.random() < 0.3)
        note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 60)))
        entries.append(
            Entry(
                start + timedelta(days=i),
                rng.randint(0, 10),
                rng.randint(0, 10),
                kinds,
                note,
                rng.randint(0, 10),
                rng.randint(0, 10),
            )
        )
    checkins = [
        CheckIn(start + timedelta(weeks=w), "cbi", tuple(rng.randint(1, 5) for _ in range(7)))
        for w in range(0, 260, 4)
    ]
    return JournalData(tuple(entries), tuple(checkins))


def timed(fn: object) -> float:
    t = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t


def test_unlock_five_years_of_daily_entries(tmp_path: Path) -> None:
    data = five_years()
    path = tmp_path / "journal.pmj"
    j = Journal.create(path, PASS)  # the default KDF, as users get it
    save_s = timed(lambda: j.save(data))
    size = path.stat().st_size
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        opened = Journal.unlock(path, PASS)
        runs.append(time.perf_counter() - t)
    assert len(opened.data.entries) == len(data.entries) == 1826
    header, _ = ff.parse(path.read_bytes())
    kdf_s = timed(lambda: ff.derive_key(PASS, header.salt, header.kdf))
    other = ff.SCRYPT_DEFAULT if header.kdf == ff.ARGON2ID_DEFAULT else ff.ARGON2ID_DEFAULT
    other_s = timed(lambda: ff.derive_key(PASS, header.salt, other))
    print(
        f"\njournal bench: {len(data.entries)} daily entries + {len(data.checkins)} check-ins, "
        f"file {size / 1024:.0f} KiB\n"
        f"  default KDF {header.kdf.describe()}: {kdf_s:.3f} s\n"
        f"  unlock (read + KDF + AES-GCM + zlib + JSON): best {min(runs):.3f} s, "
        f"worst {max(runs):.3f} s (target < 1 s)\n"
        f"  save (seal + fsync + rename): {save_s:.3f} s\n"
        f"  for comparison, {other.describe()}: {other_s:.3f} s"
    )
