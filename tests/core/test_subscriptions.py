"""Calendar subscriptions: `pmload import URL`, conditional refresh, failures, secrecy.

A real HTTP server on 127.0.0.1 (pytest-httpserver) serves the calendar with
ETags, Last-Modified, 304, redirects, 404, 401, a slow and a huge answer and gzip.
"""

from __future__ import annotations

import gzip
import logging
import socket
import sqlite3
import stat
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import keyring
import pytest
from keyring.backends import fail
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pmload.cli import main
from pmload.ingest import fetch, ics_text, subscriptions
from pmload.ingest.fetch import FetchError, FetchOptions
from pmload.paths import resolve_paths
from pmload.store import connect
from tests.core.test_google_connect import MemoryKeyring
from tests.core.test_zip_import import one_event

LA = ZoneInfo("America/Los_Angeles")
SECRET = "private-4f1c9e0a7b2d"
PATH = f"/calendar/ical/me.acme.test/{SECRET}/basic.ics"
WINDOW = (date(2026, 1, 1), date(2026, 4, 30))


class Calendar:
    """What the server serves at PATH, with validators; it counts what it was asked."""

    def __init__(self) -> None:
        self.body = one_event("s1", "Model review").encode()
        self.etag = '"v1"'
        self.last_modified = "Mon, 05 Jan 2026 10:00:00 GMT"
        self.use_etag = True
        self.requests: list[dict[str, str]] = []
        self.gzip = False

    def handler(self, request: Request) -> Response:
        self.requests.append(dict(request.headers))
        if self.use_etag and request.headers.get("If-None-Match") == self.etag:
            return Response(status=304, headers={"ETag": self.etag})
        if not self.use_etag and request.headers.get("If-Modified-Since") == self.last_modified:
            return Response(status=304)
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers["ETag" if self.use_etag else "Last-Modified"] = (
            self.etag if self.use_etag else self.last_modified
        )
        body = self.body
        if self.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        return Response(body, status=200, headers=headers)


@pytest.fixture
def served(httpserver: HTTPServer, pmload_home: Path) -> Iterator[tuple[Calendar, str]]:
    (pmload_home / "config").mkdir(parents=True, exist_ok=True)
    (pmload_home / "config" / "rules.toml").write_text('me = ["me@acme.test"]\n')
    # the test server's own request log (it runs in this process) is not pmload's
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    cal = Calendar()
    httpserver.expect_request(PATH).respond_with_handler(cal.handler)
    yield cal, httpserver.url_for(PATH)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--tz", "America/Los_Angeles", *args])
    out, err = capsys.readouterr()
    return code, out, err


def db() -> sqlite3.Connection:
    return connect(resolve_paths().database)


def occurrences() -> list[tuple[str, str]]:
    return db().execute("SELECT uid, title FROM occurrences ORDER BY uid").fetchall()


def everything_written(home: Path) -> bytes:
    """Every byte pmload wrote under its home except the store (logs, settings, caches)."""
    out = b""
    for p in home.rglob("*"):
        if p.is_file() and "sqlite3" not in p.name:
            out += p.read_bytes()
    return out


def test_subscribe_fetches_now_lists_masked_and_refreshes_with_one_304(
    capsys: pytest.CaptureFixture[str],
    served: tuple[Calendar, str],
    httpserver: HTTPServer,
    pmload_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cal, url = served
    masked = f"http://localhost:{httpserver.port}/…"
    code, out, err = run(capsys, "import", url, "--from", "2026-01-01", "--to", "2026-04-30")
    assert (code, err) == (0, "")
    assert out == f"{masked}: imported 1 events, 1 occurrences.\n"
    assert occurrences() == [("s1", "Model review")]

    code, out, _ = run(capsys, "sources")
    assert masked in out and SECRET not in out and "calendar/ical" not in out

    # unchanged: one conditional request, answered 304, and nothing parsed
    def no_parsing(*a: object) -> None:
        raise AssertionError("a 304 must not be parsed")

    with monkeypatch.context() as m:
        m.setattr(ics_text, "split", no_parsing)
        code, out, err = run(capsys, "sources", "refresh")
    assert (code, err) == (0, "")
    assert out == f"{masked}: unchanged (1 events, 1 occurrences).\n"
    assert len(cal.requests) == 2 and cal.requests[1].get("If-None-Match") == '"v1"'
    assert "gzip" in cal.requests[1].get("Accept-Encoding", "")

    # changed: the incremental import does the rest
    cal.body = one_event("s1", "Model review (moved)", 7).encode()
    cal.etag = '"v2"'
    code, out, err = run(capsys, "sources", "refresh")
    assert out == f"{masked}: imported 1 events, 1 occurrences.\n"
    assert occurrences() == [("s1", "Model review (moved)")]
    assert cal.requests[2].get("If-None-Match") == '"v1"'

    # the address never reached the log (urllib3 logs request paths), settings or messages
    assert resolve_paths().log_file.read_text().count("subscribed: source 1") == 1
    assert SECRET.encode() not in everything_written(pmload_home)


def test_last_modified_is_used_when_there_is_no_etag(
    served: tuple[Calendar, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cal, url = served
    cal.use_etag = False
    conn, paths = db(), resolve_paths()
    assert subscriptions.subscribe(conn, paths, url, LA, WINDOW).status == "imported"
    again = subscriptions.refresh(conn, paths, LA)
    assert [r.status for r in again.results] == ["unchanged"]
    assert cal.requests[1].get("If-Modified-Since") == cal.last_modified
    assert "If-None-Match" not in cal.requests[1]


def test_the_url_lives_in_the_keyring_when_one_works_and_remove_forgets_it(
    capsys: pytest.CaptureFixture[str], served: tuple[Calendar, str], pmload_home: Path
) -> None:
    _, url = served
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        code, _, _ = run(capsys, "import", url)
        assert code == 0
        [((service, user), secret)] = ring.items.items()
        assert (service, secret) == ("pmload", url) and user.startswith("subscription:")
        assert SECRET.encode() not in resolve_paths().database.read_bytes()
        (sid,) = db().execute("SELECT id FROM sources").fetchone()
        [sub] = subscriptions.list_subscriptions(db())
        assert sub.where == "keyring"
        code, out, _ = run(capsys, "sources", "refresh")
        assert "unchanged" in out
        code, out, _ = run(capsys, "sources", "remove", str(sid))
        assert code == 0 and ring.items == {}
    finally:
        keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


def test_without_a_keyring_the_url_is_in_the_store_readable_only_by_you(
    served: tuple[Calendar, str],
) -> None:
    _, url = served
    conn, paths = db(), resolve_paths()
    subscriptions.subscribe(conn, paths, url, LA, WINDOW)
    assert conn.execute("SELECT url_secret FROM sources").fetchone() == (url,)
    assert stat.S_IMODE(paths.database.stat().st_mode) == 0o600
    [sub] = subscriptions.list_subscriptions(conn)
    assert sub.where == "store" and sub.masked.endswith("/…") and SECRET not in sub.masked


def test_each_failure_is_one_sentence_and_the_stored_calendar_stays(
    served: tuple[Calendar, str], httpserver: HTTPServer
) -> None:
    _cal, url = served
    conn, paths = db(), resolve_paths()
    assert subscriptions.subscribe(conn, paths, url, LA, WINDOW).status == "imported"
    before = occurrences()

    def refresh_says(status: int, body: str = "", **headers: str) -> str:
        httpserver.clear_all_handlers()
        httpserver.expect_request(PATH).respond_with_data(body, status=status, headers=headers)
        [result] = subscriptions.refresh(conn, paths, LA).results
        assert result.status == "rejected"
        assert occurrences() == before
        assert SECRET not in result.message and SECRET not in result.shown
        return result.message

    assert "there is no calendar at that address (not found, HTTP 404)" in refresh_says(404)
    assert "refused the address (unauthorised, HTTP 401)" in refresh_says(401)
    assert "gives a web page, not a calendar" in refresh_says(200, "<!DOCTYPE html><html>Sign in")
    assert "not an iCalendar file" in refresh_says(200, "hello, world")
    assert "busy or failing (HTTP 503)" in refresh_says(503)


def test_redirects_are_followed_at_most_five_times(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/r0").respond_with_data("", status=302, headers={"Location": "/r1"})
    for i in range(1, 7):
        httpserver.expect_request(f"/r{i}").respond_with_data(
            "", status=301, headers={"Location": f"/r{i + 1}"}
        )
    httpserver.expect_request("/r7").respond_with_data("BEGIN:VCALENDAR", status=200)
    got = fetch.fetch(httpserver.url_for("/r3"))  # r3 → r7: four hops
    assert got.body == b"BEGIN:VCALENDAR"
    with pytest.raises(FetchError, match="redirected more than 5 times"):
        fetch.fetch(httpserver.url_for("/r0"))


def test_redirects_never_go_down_to_http_nor_off_loopback(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/away").respond_with_data(
        "", status=302, headers={"Location": "http://192.0.2.1/cal.ics"}
    )
    with pytest.raises(FetchError, match="redirected to an address pmload does not fetch"):
        fetch.fetch(httpserver.url_for("/away"))  # refused before any connection (guard)
    with pytest.raises(FetchError, match="from https to an unprotected address"):
        fetch._check_redirect("https://calendar.example/a.ics", "http://127.0.0.1/b.ics")
    fetch._check_redirect("https://calendar.example/a.ics", "https://other.example/b.ics")


def test_plain_http_is_refused_except_to_loopback_and_webcal_reads_as_https(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "import", f"http://calendar.example{PATH}")
    assert code == 1
    assert "only https:// calendar addresses are fetched" in err and SECRET not in err
    assert subscriptions.normalise_url("webcal://p01-caldav.icloud.com/published/2/x") == (
        "https://p01-caldav.icloud.com/published/2/x"
    )
    assert subscriptions.normalise_url("WEBCALS://h.example/x.ics") == "https://h.example/x.ics"
    for ok in ("http://127.0.0.1:8/x", "http://localhost/x", "http://[::1]:8/x"):
        assert subscriptions.normalise_url(ok) == ok
    with pytest.raises(FetchError, match="https://"):
        subscriptions.normalise_url("ftp://h.example/x.ics")
    assert subscriptions.mask_url(
        "https://calendar.google.com/calendar/ical/a/private-b/basic.ics"
    ) == ("https://calendar.google.com/…")
    assert (
        subscriptions.mask_url("https://USER:PW@h.example:8443/x?token=1")
        == "https://h.example:8443/…"
    )
    assert db().execute("SELECT COUNT(*) FROM sources").fetchone() == (0,)


def test_gzip_is_asked_for_and_read(served: tuple[Calendar, str]) -> None:
    cal, url = served
    cal.gzip = True
    got = fetch.fetch(url)
    assert got.body == cal.body and got.etag == '"v1"'
    assert subscriptions.subscribe(db(), resolve_paths(), url, LA, WINDOW).status == "imported"


def test_a_huge_answer_and_a_gzip_bomb_stop_at_the_limit(httpserver: HTTPServer) -> None:
    small = FetchOptions(max_bytes=1024 * 1024)
    httpserver.expect_request("/huge").respond_with_data(b"x" * (2 * 1024 * 1024))
    with pytest.raises(FetchError, match="larger than 1 MB"):
        fetch.fetch(httpserver.url_for("/huge"), options=small)
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))
    assert len(bomb) < 100 * 1024
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="larger than 1 MB"):
        fetch.fetch(httpserver.url_for("/bomb"), options=small)
    httpserver.expect_request("/broken").respond_with_data(
        b"not gzip at all", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="damaged"):
        fetch.fetch(httpserver.url_for("/broken"))


def test_a_slow_server_times_out(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response("BEGIN:VCALENDAR")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not answer in time"):
        fetch.fetch(httpserver.url_for("/slow"), options=FetchOptions(read_timeout=0.3))
    assert time.monotonic() - started < 1.4


def test_a_server_that_trickles_is_stopped_by_the_overall_deadline(httpserver: HTTPServer) -> None:
    def trickle(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            yield b"BEGIN:VCALENDAR\r\n"
            for _ in range(20):
                time.sleep(0.1)
                yield b"X" * 300_000

        return Response(chunks(), direct_passthrough=True)

    httpserver.expect_request("/trickle").respond_with_handler(trickle)
    with pytest.raises(FetchError, match="sends too slowly"):
        fetch.fetch(
            httpserver.url_for("/trickle"),
            options=FetchOptions(read_timeout=2, total_timeout=0.5),
        )


def test_offline_is_said_so_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], served: tuple[Calendar, str], httpserver: HTTPServer
) -> None:
    _, url = served
    code, _, _ = run(capsys, "import", url)
    assert code == 0
    before = occurrences()
    # the server is gone (the same address on a port nobody listens on): connections refused
    gone = url.replace(f":{httpserver.port}/", f":{free_port()}/")
    db().execute("UPDATE sources SET url_secret = ?", (gone,))
    code, _, err = run(capsys, "sources", "refresh")
    assert code == 1
    assert "the calendar server cannot be reached (are you offline?)" in err
    assert "Traceback" not in err and SECRET not in err
    assert occurrences() == before


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_closed_port_is_offline_too() -> None:
    with pytest.raises(FetchError, match="cannot be reached"):
        fetch.fetch(f"http://127.0.0.1:{free_port()}/x.ics")


def test_a_missing_keyring_entry_asks_to_subscribe_again(served: tuple[Calendar, str]) -> None:
    _, url = served
    conn, paths = db(), resolve_paths()
    subscriptions.subscribe(conn, paths, url, LA, WINDOW)
    conn.execute("UPDATE sources SET url_secret = NULL")  # as if the keyring lost it
    [result] = subscriptions.refresh(conn, paths, LA).results
    assert result.status == "rejected" and "subscribe again" in result.message


def test_delete_all_data_forgets_the_addresses(served: tuple[Calendar, str]) -> None:
    from pmload.wipe import delete_all_data

    _, url = served
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        conn, paths = db(), resolve_paths()
        subscriptions.subscribe(conn, paths, url, LA, WINDOW)
        assert ring.items
        delete_all_data(conn, paths)
        assert ring.items == {}
    finally:
        keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


def test_the_window_rolling_forward_fetches_the_whole_calendar_again(
    served: tuple[Calendar, str],
) -> None:
    cal, url = served
    conn, paths = db(), resolve_paths()
    subscriptions.subscribe(conn, paths, url, LA, today=date(2026, 1, 10))
    later = date(2026, 4, 1)  # fewer than 22 weeks left in the default window
    [result] = subscriptions.refresh(conn, paths, LA, today=later).results
    assert result.status == "imported"
    assert "If-None-Match" not in cal.requests[1]


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost (its own CA) and its key, as PEM files."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pmload test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[HTTPServer, str]]:
    import ssl

    cert, key = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    try:
        yield server, str(cert)
    finally:
        server.clear()
        server.stop()


def test_https_works_with_a_trusted_certificate_and_never_redirects_down_to_http(
    https_server: tuple[HTTPServer, str], httpserver: HTTPServer
) -> None:
    server, ca = https_server
    server.expect_request("/cal.ics").respond_with_data("BEGIN:VCALENDAR", headers={"ETag": '"a"'})
    plain = httpserver.url_for("/cal.ics").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/cal.ics").respond_with_data("BEGIN:VCALENDAR")
    server.expect_request("/down").respond_with_data("", status=302, headers={"Location": plain})
    trusted = FetchOptions(ca_certs=ca)
    url = server.url_for("/cal.ics")
    assert url.startswith("https://127.0.0.1:")
    got = fetch.fetch(url, options=trusted)
    assert (got.body, got.etag) == (b"BEGIN:VCALENDAR", '"a"')
    with pytest.raises(FetchError, match="from https to an unprotected address"):
        fetch.fetch(server.url_for("/down"), options=trusted)
    assert len(httpserver.log) == 0  # the http address was never asked
    with pytest.raises(FetchError, match="certificate cannot be trusted"):
        fetch.fetch(url)  # the system's CAs do not know this certificate


def test_refresh_all_fetches_subscriptions_too(
    capsys: pytest.CaptureFixture[str], served: tuple[Calendar, str]
) -> None:
    """The Friday review's refresh (pmload.refresh) fetches every subscription."""
    from pmload.refresh import RefreshContext, refresh_all

    cal, url = served
    code, _, _ = run(capsys, "import", url, "--from", "2026-01-01", "--to", "2026-04-30")
    assert code == 0
    conn = db()
    rc = RefreshContext(resolve_paths(), conn, LA, today=date(2026, 2, 1))
    report = refresh_all(rc)
    assert [o.kind for o in report.outcomes] == ["subscriptions"]
    assert report.text() == "1 subscribed calendar fetched again: none changed."
    assert cal.requests[-1].get("If-None-Match") == '"v1"'
    cal.body = one_event("s1", "Model review (moved)", 7).encode()
    cal.etag = '"v2"'
    report = refresh_all(rc)
    assert report.changed and report.text() == "1 subscribed calendar fetched again: 1 changed."
    cal.etag = '"v3"'
    cal.body = b"<html>not a calendar</html>"
    report = refresh_all(rc)
    assert report.failed and not report.changed
    assert report.text().startswith("1 subscribed calendar fetched again: none changed, 1 could")
    assert SECRET not in report.text()
    assert occurrences() == [("s1", "Model review (moved)")]
    conn.close()
