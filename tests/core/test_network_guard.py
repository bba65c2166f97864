"""The guard of tests/conftest.py: a test that reaches beyond 127.0.0.0/8 and ::1 fails."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, NonLoopbackConnection

INNER = """
import socket

def test_swallows_the_error():
    try:
        socket.create_connection(("192.0.2.1", 9), timeout=0.5)  # TEST-NET-1, never routed
    except OSError:
        pass  # code that turns it into "offline" must not hide the attempt

def test_stays_home():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        socket.create_connection(s.getsockname(), timeout=1).close()
"""


def test_reaching_another_machine_is_refused_and_remembered(loopback_only: list[str]) -> None:
    with pytest.raises(NonLoopbackConnection):
        socket.create_connection(("192.0.2.1", 80), timeout=0.5)
    with pytest.raises(NonLoopbackConnection):
        socket.getaddrinfo("www.googleapis.com", 443)
    with pytest.raises(NonLoopbackConnection), socket.socket(socket.AF_INET6) as s:
        s.connect(("2001:db8::1", 80))
    assert loopback_only == ["192.0.2.1", "www.googleapis.com", "2001:db8::1"]
    loopback_only.clear()  # this test meant to try


def test_a_test_that_hides_the_attempt_still_fails(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(INNER)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.conftest",
            str(tmp_path / "test_inner.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert out.returncode == 1, out.stdout
    assert "a test reached beyond this machine: ['192.0.2.1']" in out.stdout
    assert "ERROR test_inner.py::test_swallows_the_error" in out.stdout
    assert "2 passed, 1 error" in out.stdout  # test_stays_home passed: loopback is fine
