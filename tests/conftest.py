"""Shared fixtures: every test runs against its own PMLOAD_HOME."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings as hyp_settings

if TYPE_CHECKING:
    from tests.google_fake import FakeGoogle

# Qt tests run offscreen even when pytest is started without make (no display needed).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test touches the user's real keyring; tests that need one install their own.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

hyp_settings.register_profile("ci", deadline=None, derandomize=True, max_examples=60)
hyp_settings.register_profile("dev", deadline=None, max_examples=60)
hyp_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def pmload_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An isolated PMLOAD_HOME (and TZ) for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("PMLOAD_HOME", str(home))
    monkeypatch.delenv("PMLOAD_PASSPHRASE", raising=False)
    yield home


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the repository")
    return SHARED


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test hook: a cheap KDF for journals created by a test (the default is Argon2id, 64 MiB)."""
    from pmload.journal import fileformat

    monkeypatch.setattr(fileformat, "DEFAULT_KDF", fileformat.KdfParams.scrypt(n=2**10))


@pytest.fixture
def private_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temp dir of the test's own (TMPDIR), so every file written there can be scanned."""
    import tempfile

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield tmp


# --- no network beyond this machine ---------------------------------------------------


class NonLoopbackConnection(OSError):
    """A test tried to reach an address outside 127.0.0.0/8 and ::1."""


def _loopback_host(host: Any) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like are local
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already use the network


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every test fails when it opened (or resolved) anything but a loopback address.

    The attempt is refused at once and remembered, so the test fails even
    when the code under test turns the error into a message ("offline").
    """
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if not _loopback_host(host):
            attempts.append(str(host))
            raise NonLoopbackConnection(f"test tried to reach {host}")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None:
            check((host.decode() if isinstance(host, bytes) else host, 0))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert not attempts, f"a test reached beyond this machine: {attempts}"


# --- a fake Google Calendar on 127.0.0.1 ----------------------------------------------


@pytest.fixture
def google(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """The fake Google API, with PMLOAD_GOOGLE_API_ROOT and PMLOAD_GOOGLE_TOKEN_FILE set."""
    from tests.google_fake import start_fake

    fake = start_fake()
    token = tmp_path / "authorized-user.json"
    token.write_text(
        json.dumps(
            {
                "type": "authorized_user",
                "client_id": "cid.apps.googleusercontent.com",
                "client_secret": "csecret",
                "refresh_token": "rt-1",
                "token": "at-1",
            }
        )
    )
    monkeypatch.setenv("PMLOAD_GOOGLE_API_ROOT", fake.root)
    monkeypatch.setenv("PMLOAD_GOOGLE_TOKEN_FILE", str(token))
    yield fake
    fake.server.clear()
    if fake.server.is_running():
        fake.server.stop()


@pytest.fixture
def client_file(tmp_path: Path) -> Path:
    """A Desktop-app OAuth client file, as the Google Cloud console downloads it."""
    from tests.google_fake import CLIENT

    path = tmp_path / "client_secret_123.apps.googleusercontent.com.json"
    path.write_text(json.dumps(CLIENT))
    return path
