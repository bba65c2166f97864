"""Shared fixtures: every test runs against its own PMLOAD_HOME."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hyp_settings

# Qt tests run offscreen even when pytest is started without make (no display needed).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
