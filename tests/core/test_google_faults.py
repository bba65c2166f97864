"""Google faults: retries that honour Retry-After, refresh, reconnect, garbled or cut replies.

Each failure is one sentence (exit 1) and leaves the store exactly as it was.
"""

from __future__ import annotations

import socket
import time
from email.utils import formatdate
from pathlib import Path

import pytest

from pmload.google import client
from tests.core.google_helpers import at, by_title, cli, snapshot, use_rules
from tests.google_fake import DROP, ME, FakeGoogle, event, malformed, rate_limited

SECRET_TITLE = "Acquisition of Northwind (confidential)"


@pytest.fixture
def synced(google: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]) -> FakeGoogle:
    """Five meetings synced once; the next sync is a full one over three pages (410)."""
    use_rules(pmload_home)
    google.events[ME] = [
        event(f"e{i}", f"{SECRET_TITLE} {i}", at(i, "10:00"), at(i, "11:00")) for i in range(5)
    ]
    assert cli(capsys, "google", "sync")[0] == 0
    google.gone.add(f"sync-{ME}-0")
    google.events[ME] = google.events[ME][1:]
    return google


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff waits, recorded instead of slept; jitter fixed at its middle."""
    slept: list[float] = []
    monkeypatch.setattr(client, "sleep", slept.append)
    monkeypatch.setattr(client, "rand", lambda: 0.5)
    return slept


def test_429_then_200_waits_what_retry_after_asks(
    synced: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    synced.fail_next(rate_limited(429, retry_after="1"))
    t0 = time.monotonic()
    code, out, err = cli(capsys, "google", "sync")
    assert code == 0, err
    assert time.monotonic() - t0 >= 1.0
    assert "4 occurrences" in out


def test_rate_limits_and_server_errors_back_off_with_jitter(
    synced: FakeGoogle, capsys: pytest.CaptureFixture[str], waits: list[float]
) -> None:
    synced.fail_next(
        rate_limited(403, reason="userRateLimitExceeded"),
        rate_limited(403, reason="rateLimitExceeded"),
        rate_limited(503),
        rate_limited(429, retry_after="7"),
    )
    code, _, err = cli(capsys, "google", "sync")
    assert code == 0, err
    assert round(sum(waits), 2) == 1.0 + 2.0 + 4.0 + 8.0  # 2^n s, jitter ×1, then max(8, 7)
    assert len(by_title(capsys)) == 4


def test_a_retry_after_below_the_backoff_still_waits_at_least_that_long(
    synced: FakeGoogle, capsys: pytest.CaptureFixture[str], waits: list[float]
) -> None:
    synced.fail_next(rate_limited(429, retry_after=formatdate(time.time() + 30, usegmt=True)))
    assert cli(capsys, "google", "sync")[0] == 0
    assert 28 <= sum(waits) <= 31


def test_rate_limits_that_never_end_say_so_and_change_nothing(
    synced: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str], waits: list[float]
) -> None:
    before = snapshot(pmload_home)
    synced.fail_next(*[rate_limited(429)] * client.RATE_ATTEMPTS, after=1)
    code, _, err = cli(capsys, "google", "sync")
    assert code == 1 and err.count("\n") == 1
    assert "limiting pmload's requests" in err and "nothing was changed" in err
    assert snapshot(pmload_home) == before
    synced.fail_next(rate_limited(429, retry_after="3600"))
    code, _, err = cli(capsys, "google", "sync")
    assert code == 1 and "wait 60 minutes" in err
    assert snapshot(pmload_home) == before


def test_a_401_refreshes_the_token_and_goes_on(
    synced: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    synced.valid.discard("at-1")  # the stored access token expired at Google
    seen = len(synced.requests)
    code, _, err = cli(capsys, "google", "sync")
    assert code == 0, err
    assert synced.refreshed == 1
    auth = [a for path, _, a in synced.requests[seen:] if path.endswith("/events")]
    assert auth[0] == "Bearer at-1" and set(auth[1:]) == {"Bearer at-refreshed-1"}
    assert any(path == "/token" for path, _, _ in synced.requests)


@pytest.mark.parametrize("how", ["invalid_grant", "401 after refresh"])
def test_a_revoked_grant_says_reconnect_and_keeps_the_data(
    how: str, synced: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(pmload_home)
    synced.valid.discard("at-1")
    if how == "invalid_grant":
        synced.invalid_grant = True
    else:
        synced.honour_tokens = False
    code, _, err = cli(capsys, "google", "sync")
    assert code == 1 and err.count("\n") == 1, err
    assert "pmload google connect" in err and "everything already synced is kept" in err
    assert snapshot(pmload_home) == before


def test_malformed_json_mid_sync_changes_nothing(
    synced: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str], waits: list[float]
) -> None:
    before = snapshot(pmload_home)
    synced.fail_next(*[malformed()] * client.GLITCH_ATTEMPTS, after=2)  # page 2 of the full sync
    code, _, err = cli(capsys, "google", "sync")
    assert code == 1 and err.count("\n") == 1
    assert "cannot read" in err and "nothing was changed" in err
    assert snapshot(pmload_home) == before


def test_a_connection_cut_mid_page_changes_nothing(
    synced: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str], waits: list[float]
) -> None:
    before = snapshot(pmload_home)
    synced.fail_next(*[DROP] * client.GLITCH_ATTEMPTS, after=2)
    code, _, err = cli(capsys, "google", "sync")
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(pmload_home) == before
    # one cut page is simply read again
    synced.fail_next(DROP, after=2)
    code, out, err = cli(capsys, "google", "sync")
    assert code == 0, err
    assert "4 occurrences" in out


def test_offline_says_so_in_one_sentence(
    google: FakeGoogle,
    pmload_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as s:  # a port of this machine where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("PMLOAD_GOOGLE_API_ROOT", f"http://127.0.0.1:{port}/")
    t0 = time.monotonic()
    code, _, err = cli(capsys, "google", "sync")
    assert code == 1 and err.count("\n") == 1
    assert "cannot be reached" in err and "offline" in err
    assert time.monotonic() - t0 < 5


def test_the_log_holds_no_titles_calendar_ids_or_tokens(
    synced: FakeGoogle, pmload_home: Path, capsys: pytest.CaptureFixture[str], waits: list[float]
) -> None:
    synced.fail_next(rate_limited(429), malformed(), DROP)
    synced.valid.discard("at-1")
    assert cli(capsys, "google", "sync")[0] == 0
    log = (pmload_home / "logs" / "pmload.log").read_text()
    assert "Google answered 429" in log  # the retries are logged…
    for private in ("Northwind", ME, "sync-", "at-1", "at-refreshed", "rt-1", "csecret"):
        assert private not in log  # …without anything of the user's


def test_retry_after_reads_seconds_and_dates() -> None:
    assert client.retry_after("12") == 12
    assert 59 <= (client.retry_after(formatdate(time.time() + 60, usegmt=True)) or 0) <= 60
    assert client.retry_after("soon") is None and client.retry_after(None) is None
