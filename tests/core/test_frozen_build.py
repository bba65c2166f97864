"""What the bundle's executables do before pmload's code runs (packaging/frozen_boot.py).

A frozen build has no ``python -m``: these tests stand in for one with a real
executable that runs packaging/entry_cli.py, exactly as the bundle's ``pmload``
does, and set ``sys.frozen`` the way PyInstaller's bootloader does.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest

from pmload.ingest import parallel
from pmload.ingest.importer import import_file
from pmload.store import connect

from .test_import_robustness import big_calendar

REPO = Path(__file__).resolve().parents[2]
LA = ZoneInfo("America/Los_Angeles")
WINDOW = (date(2026, 1, 1), date(2026, 4, 30))

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="the stand-in executable is a shell script"
)


def frozen_boot() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "frozen_boot", REPO / "packaging" / "frozen_boot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_bundle_executable(tmp_path: Path) -> tuple[Path, Path]:
    """An executable like the bundle's ``pmload``; it notes each start in a file."""
    starts = tmp_path / "starts.txt"
    exe = tmp_path / "pmload"
    exe.write_text(
        "#!/bin/sh\n"
        f'echo "$PMLOAD_IMPORT_HELPER" >> "{starts}"\n'
        f'PYTHONPATH="{REPO}:{REPO / "ui"}" exec "{sys.executable}" '
        f'"{REPO / "packaging" / "entry_cli.py"}" "$@"\n',
        encoding="utf-8",
    )
    exe.chmod(0o755)
    return exe, starts


def rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT id, uid, recurrence_id, start_ts, end_ts, title, attendees FROM occurrences"
        " ORDER BY id"
    ).fetchall()


def test_a_frozen_build_imports_on_two_cores_with_itself_as_the_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cal = tmp_path / "big.ics"
    cal.write_text(big_calendar(400))
    serial = connect(tmp_path / "serial.sqlite3")
    assert import_file(serial, cal, LA, WINDOW).status == "imported"

    exe, starts = fake_bundle_executable(tmp_path)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    split = connect(tmp_path / "split.sqlite3")
    result = import_file(split, cal, LA, WINDOW)
    assert result.status == "imported"
    assert starts.read_text().split() == ["1"], "the helper did not run as the frozen executable"
    assert rows(split) == rows(serial) and len(rows(split)) == 400


def test_the_bundle_executable_is_still_the_cli_without_the_helper_variable(
    tmp_path: Path,
) -> None:
    import subprocess

    exe, _starts = fake_bundle_executable(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != parallel.HELPER_ENV}
    out = subprocess.run(
        [str(exe), "--version"], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0 and out.stdout.startswith("pmload ")
    assert frozen_boot().HELPER_ENV == parallel.HELPER_ENV


def test_matplotlib_keeps_its_font_cache_in_the_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyInstaller's hook gives matplotlib a new temporary folder at every start."""
    boot = frozen_boot()
    monkeypatch.setenv("PMLOAD_HOME", str(tmp_path / "env-home"))
    assert Path(boot.matplotlib_dir([])).parent == tmp_path / "env-home" / "cache"
    chosen = boot.matplotlib_dir(["--home", str(tmp_path / "h"), "audit"])
    assert Path(chosen).parent == tmp_path / "h" / "cache"
    assert boot.matplotlib_dir([f"--home={tmp_path / 'h'}"]) == chosen
