"""Connecting Google Calendar: the browser flow, where the token lives, disconnecting, choosing.

The browser is the one thing replaced: a stand-in follows Google's redirect
to pmload's loopback server, as a person's browser would after "Allow".
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from tests.core.google_helpers import at, cli, use_rules
from tests.google_fake import CLIENT, ME, SCOPE, FakeGoogle, browser, event


class MemoryKeyring(KeyringBackend):
    """A working keyring that lives in this process."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.items[(service, username)]


@pytest.fixture
def fresh(google: FakeGoogle, pmload_home: Path, monkeypatch: pytest.MonkeyPatch) -> FakeGoogle:
    """The fake Google with no token yet (only PMLOAD_GOOGLE_API_ROOT set)."""
    monkeypatch.delenv("PMLOAD_GOOGLE_TOKEN_FILE")
    google.events[ME] = [event("e1", "Model review", at(1, "10:00"), at(1, "11:00"))]
    return google


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


def test_connect_asks_read_only_access_and_keeps_the_token_in_a_private_file(
    fresh: FakeGoogle,
    client_file: Path,
    pmload_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened = browser(monkeypatch)
    code, out, err = cli(capsys, "google", "connect", "--client-secrets", str(client_file))
    assert code == 0, err
    query = parse_qs(urlsplit(opened[0]).query)
    assert query["scope"] == [SCOPE]  # nothing that can write
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert query["access_type"] == ["offline"] and query["code_challenge_method"] == ["S256"]
    assert "Connected to me@acme.test (read-only)" in out and "a file only you can read" in out
    token = pmload_home / "config" / "google-token.json"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert json.loads(token.read_text())["refresh_token"] == "rt-code"
    assert 'me = ["me@acme.test"]' in (pmload_home / "config" / "rules.toml").read_text()
    code, out, _ = cli(capsys, "google", "sync")
    assert code == 0 and "1 occurrences (first sync)" in out
    assert cli(capsys, "google")[1].startswith("Connected to me@acme.test")
    from pmload.context import Context
    from pmload.wipe import delete_all_data

    ctx = Context(None, "Europe/Paris")
    delete_all_data(ctx.conn, ctx.paths)  # "Delete all my data" forgets the token too
    ctx.close()
    assert not token.exists()
    assert cli(capsys, "google")[1].startswith("Google Calendar is not connected")


def test_with_a_working_keyring_the_token_goes_there_and_disconnect_revokes_it(
    fresh: FakeGoogle,
    client_file: Path,
    pmload_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
) -> None:
    browser(monkeypatch)
    code, out, err = cli(capsys, "google", "connect", "--client-secrets", str(client_file))
    assert code == 0, err
    assert "in the system keyring" in out
    assert not (pmload_home / "config" / "google-token.json").exists()
    [(service, _user)] = memory_keyring.items
    assert service == "pmload"
    assert cli(capsys, "google", "sync")[0] == 0
    code, out, err = cli(capsys, "google", "disconnect")
    assert code == 0, err
    assert "Google revoked pmload's access" in out
    assert fresh.revoked == ["rt-code"] and memory_keyring.items == {}
    assert cli(capsys, "meetings")[1].count("Model review") == 1  # synced meetings stay
    code, _, err = cli(capsys, "google", "sync")
    assert code == 1 and "not connected" in err


def test_disconnect_says_so_when_google_cannot_be_reached(
    google: FakeGoogle,
    pmload_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    stored = pmload_home / "config" / "google-token.json"
    stored.parent.mkdir(parents=True)
    stored.write_text((tmp_path / "authorized-user.json").read_text())
    monkeypatch.delenv("PMLOAD_GOOGLE_TOKEN_FILE")
    google.server.stop()
    code, _, err = cli(capsys, "google", "disconnect")
    assert code == 0
    assert "could not be reached to revoke it" in err and "myaccount.google.com" in err
    assert not stored.exists()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("error=access_denied", "you did not allow pmload"), ("code=wrong", "refused the sign-in")],
)
def test_a_refused_consent_stores_nothing(
    answer: str,
    expected: str,
    fresh: FakeGoogle,
    client_file: Path,
    pmload_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    browser(monkeypatch, answer)
    code, _, err = cli(capsys, "google", "connect", "--client-secrets", str(client_file))
    *prompt, last = err.splitlines()
    assert code == 1 and last.startswith("pmload: ") and expected in last
    assert "If no browser opened, visit this address:" in prompt and "Traceback" not in err
    assert not (pmload_home / "config" / "google-token.json").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("not json", "it is not JSON"),
        (json.dumps({"web": CLIENT["installed"]}), "create a Desktop app client"),
        (json.dumps({"installed": {"client_id": "x"}}), "not a Desktop app OAuth client file"),
    ],
)
def test_a_wrong_client_file_is_one_sentence(
    content: str | None,
    expected: str,
    fresh: FakeGoogle,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened = browser(monkeypatch)
    path = tmp_path / "client.json"
    if content is not None:
        path.write_text(content)
    code, _, err = cli(capsys, "google", "connect", "--client-secrets", str(path))
    assert code == 1 and expected in err and err.count("\n") == 1
    assert opened == []


def test_choosing_calendars(
    google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_rules(pmload_home)
    team = "team@group.calendar.google.com"
    google.events[ME] = [event("e1", "Model review", at(1, "10:00"), at(1, "11:00"))]
    google.events[team] = [event("t1", "Team offsite planning", at(2, "10:00"), at(2, "12:00"))]
    code, out, _ = cli(capsys, "google", "calendars")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("*") and ME in lines[1] and "(primary)" in lines[1]
    assert team in lines[2] and not lines[2].startswith("*")
    assert cli(capsys, "google", "sync")[0] == 0
    code, out, err = cli(capsys, "google", "use", "primary", team)
    assert code == 0, err
    code, out, _ = cli(capsys, "google", "sync")
    assert "Team: 1 occurrences (first sync)" in out and f"{ME}: unchanged" in out
    assert all(
        line.startswith("*") for line in cli(capsys, "google", "calendars")[1].splitlines()[1:]
    )
    code, out, _ = cli(capsys, "google", "use", team)
    assert f"Stopped syncing {ME}: its 1 occurrences left the audit" in out
    assert [m for m in cli(capsys, "meetings")[1].splitlines() if "Model review" in m] == []
    code, _, err = cli(capsys, "google", "use", "nobody@example.test")
    assert code == 1 and "is not one of your Google calendars" in err


def test_two_workers_keeping_a_refreshed_token_do_not_trip_over_each_other(
    pmload_home: Path,
) -> None:
    """The app may list calendars while it syncs: both write the refreshed token back."""
    import threading

    from pmload.google import tokens
    from pmload.paths import resolve_paths

    paths = resolve_paths().ensure()
    errors: list[BaseException] = []

    def keep(n: int) -> None:
        stored = tokens.StoredToken(json.dumps({"token": "old"}), "file")
        for i in range(40):
            try:
                tokens.update(paths, stored, json.dumps({"token": f"t{n}-{i}"}))
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=keep, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    token = tokens.token_file(paths)
    assert json.loads(token.read_text())["token"].endswith("-39")
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert [p.name for p in token.parent.iterdir() if p.suffix == ".tmp"] == []
