"""A second launch on the same home raises the first app and hands it its files."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pmload_ui.main_window import MainWindow
from pmload_ui.single_instance import LOCK_NAME, SingleInstance, open_files, server_name
from pytestqt.qtbot import QtBot

from pmload.context import Context
from pmload.paths import resolve_paths

from .conftest import write_ics
from .test_app_flows import answer_first_run

GUI = "import sys; from pmload_ui.app import main; sys.exit(main(sys.argv[1:]))"


def launch(home: Path, *args: str) -> subprocess.Popen[str]:
    """``pmload-gui --home HOME ARGS...`` as a user's second launch (offscreen)."""
    return subprocess.Popen(
        [sys.executable, "-c", GUI, "--home", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def finished(
    qtbot: QtBot, proc: subprocess.Popen[str], timeout_ms: int = 30000
) -> tuple[int, str, str]:
    """Wait for ``proc`` while this app's event loop runs (it must answer the launch)."""
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=timeout_ms)
    out, err = proc.communicate(timeout=10)
    return int(proc.returncode), out or "", err or ""


def home_of(ctx: Context) -> Path:
    return ctx.paths.config_dir.parent


def test_a_second_launch_hands_its_calendar_to_the_open_window_and_exits(
    qtbot: QtBot, ctx: Context, window: MainWindow, tmp_path: Path
) -> None:
    first = SingleInstance(ctx.paths)
    assert first.acquire()
    first.activated.connect(lambda files: open_files(window, files))
    window.hide()  # say, closed to the tray
    calendar = write_ics(tmp_path / "work.ics")
    with qtbot.waitSignal(window.imports.finished, timeout=30000) as imported:
        code, _out, err = finished(qtbot, launch(home_of(ctx), str(calendar)))
        assert code == 0, err
    with qtbot.waitSignal(window.session.loaded, timeout=30000):
        answer_first_run(qtbot, window)  # asked before the calendar is drawn
    report = imported.args[0]
    assert [r.status for r in report.results] == ["imported"]
    assert report.results[0].path == calendar
    assert window.isVisible(), "the running window was not brought back"
    first.release()


def test_a_second_launch_without_files_only_raises_the_window(
    qtbot: QtBot, ctx: Context, window: MainWindow
) -> None:
    first = SingleInstance(ctx.paths)
    assert first.acquire()
    first.activated.connect(lambda files: open_files(window, files))
    window.hide()
    with qtbot.waitSignal(first.activated, timeout=30000) as asked:
        code, _out, err = finished(qtbot, launch(home_of(ctx)))
        assert code == 0, err
    assert asked.args == [[]] and window.isVisible()
    assert window.imports.progress is None
    first.release()


def test_launches_on_two_homes_are_two_apps(qtbot: QtBot, tmp_path: Path) -> None:
    a, b = resolve_paths(tmp_path / "a"), resolve_paths(tmp_path / "b")
    assert server_name(a) != server_name(b)
    assert server_name(a) == server_name(resolve_paths(str(tmp_path / "a") + "/"))
    first, other = SingleInstance(a), SingleInstance(b)
    assert first.acquire() and other.acquire()
    again = SingleInstance(a)
    assert not again.acquire()
    first.release()
    other.release()


def test_the_lock_of_an_app_that_crashed_is_taken_over(qtbot: QtBot, tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "home")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from pmload.paths import resolve_paths\n"
            "from pmload_ui.single_instance import SingleInstance\n"
            "app = QApplication([])\n"
            f"s = SingleInstance(resolve_paths({str(paths.config_dir.parent)!r}))\n"
            "print(s.acquire(), flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
    assert not SingleInstance(paths).acquire(), "the live app's lock was not respected"
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=10)
    assert (paths.data_dir / LOCK_NAME).exists()  # left behind by the crash
    after = SingleInstance(paths)
    assert after.acquire()
    after.release()


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="a Unix-domain socket test")
def test_anything_but_a_launch_message_is_dropped(
    qtbot: QtBot, ctx: Context, window: MainWindow
) -> None:
    first = SingleInstance(ctx.paths)
    assert first.acquire()
    seen: list[object] = []
    first.activated.connect(seen.append)
    path = Path(tempfile.gettempdir()) / server_name(ctx.paths)
    prober = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import socket, sys\n"
            "s = socket.socket(socket.AF_UNIX)\n"
            "s.connect(sys.argv[1]); s.settimeout(5)\n"
            's.sendall(b\'{"files": "/etc/passwd"}\\n\')\n'
            "print(repr(s.recv(10)))\n",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    code, out, _err = finished(qtbot, prober)
    assert code == 0 and out.strip() == "b''"
    assert seen == []
    first.release()
