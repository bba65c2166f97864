"""A fake Google Calendar API on 127.0.0.1 (pytest-httpserver) for the real client library.

It serves what pmload asks of Google, shaped like Google's answers:
``users/me/calendarList`` (and ``/primary``), ``calendars/{id}/events`` with
pages (``page_size`` items each, whatever maxResults says), a
``nextSyncToken`` on the last page and change feeds per sync token,
``/token`` (refresh and code exchange) and ``/revoke``. Requests must carry a
valid bearer token, else 401. ``fail_next`` queues faults for the next
events requests: a response (429 with Retry-After, 410, malformed JSON…) or
:data:`DROP` (the connection cut mid-page).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
import urllib.request
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

SCOPE = "https://www.googleapis.com/auth/calendar.readonly"
CLIENT = {
    "installed": {
        "client_id": "cid.apps.googleusercontent.com",
        "project_id": "pmload-test",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "client_secret": "csecret",
        "redirect_uris": ["http://localhost"],
    }
}

ME = "me@acme.test"
DROP = "drop"  # a fault: the connection is cut after half of the page


def event(
    event_id: str,
    summary: str,
    start: str,
    end: str,
    others: tuple[str, ...] = ("priya@eng.acme.test",),
    **extra: Any,
) -> dict[str, Any]:
    """An events.list item: start/end as RFC 3339 date-times or YYYY-MM-DD dates."""

    def when(value: str) -> dict[str, str]:
        return {"date": value} if len(value) == 10 else {"dateTime": value}

    item: dict[str, Any] = {
        "kind": "calendar#event",
        "id": event_id,
        "status": "confirmed",
        "summary": summary,
        "iCalUID": f"{extra.pop('uid', event_id)}@google.com",
        "start": when(start),
        "end": when(end),
        "organizer": {"email": ME, "self": True},
        "attendees": [{"email": ME, "self": True, "responseStatus": "accepted"}]
        + [{"email": o, "responseStatus": "accepted"} for o in others],
        "eventType": "default",
    }
    item.update(extra)
    return item


@dataclass
class FakeGoogle:
    server: HTTPServer
    calendars: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {"id": ME, "summary": ME, "primary": True, "accessRole": "owner"},
            {"id": "team@group.calendar.google.com", "summary": "Team", "accessRole": "reader"},
        ]
    )
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    page_size: int = 2
    # sync token -> (changed items, the next sync token)
    feeds: dict[str, tuple[list[dict[str, Any]], str]] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)  # sync tokens answered with 410
    valid: set[str] = field(default_factory=lambda: {"at-1"})
    invalid_grant: bool = False
    refreshed: int = 0
    revoked: list[str] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    faults: deque[Response | str] = field(default_factory=deque)
    skip: int = 0  # events requests served normally before the queued faults
    honour_tokens: bool = True  # False: every bearer token is refused (401)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def root(self) -> str:
        return self.server.url_for("/")

    def fail_next(self, *faults: Response | str, after: int = 0) -> None:
        """Answer the events requests after the next ``after`` ones with ``faults``."""
        self.skip = after
        self.faults.extend(faults)

    def events_requests(self) -> list[dict[str, str]]:
        return [args for path, args, _ in self.requests if path.endswith("/events")]

    # --- the server --------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        with self.lock:
            args = {k: v for k, v in request.args.items()}
            self.requests.append((request.path, args, request.headers.get("Authorization", "")))
            if request.path == "/token":
                return self._token(request)
            if request.path == "/revoke":
                self.revoked.append(parse_qs(request.get_data(as_text=True)).get("token", [""])[0])
                return Response("{}", 200, content_type="application/json")
            bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if bearer not in self.valid or not self.honour_tokens:
                return _error(401, "authError", "Invalid Credentials")
            path = request.path.removeprefix("/calendar/v3/")
            if path == "users/me/calendarList/primary":
                return _json(next(c for c in self.calendars if c.get("primary")))
            if path == "users/me/calendarList":
                return _json({"kind": "calendar#calendarList", "items": self.calendars})
            if path.startswith("calendars/") and path.endswith("/events"):
                if self.faults and self.skip > 0:
                    self.skip -= 1
                elif self.faults:
                    fault = self.faults.popleft()
                    if fault != DROP:
                        assert isinstance(fault, Response)
                        return fault
                    return _dropped(self._events(path[len("calendars/") : -len("/events")], args))
                return self._events(path[len("calendars/") : -len("/events")], args)
            return _error(404, "notFound", "Not Found")

    def _token(self, request: Request) -> Response:
        form = parse_qs(request.get_data(as_text=True))
        grant = form.get("grant_type", [""])[0]
        if grant == "authorization_code":
            if form.get("code") != ["the-code"]:
                return Response(
                    json.dumps({"error": "invalid_grant"}), 400, content_type="application/json"
                )
            self.valid.add("at-code")
            body = {
                "access_token": "at-code",
                "refresh_token": "rt-code",
                "expires_in": 3599,
                "token_type": "Bearer",
                "scope": SCOPE,
            }
            return _json(body)
        if self.invalid_grant:
            body = {
                "error": "invalid_grant",
                "error_description": "Token has been expired or revoked.",
            }
            return Response(json.dumps(body), 400, content_type="application/json")
        self.refreshed += 1
        token = f"at-refreshed-{self.refreshed}"
        self.valid.add(token)
        return _json(
            {"access_token": token, "expires_in": 3599, "token_type": "Bearer", "scope": SCOPE}
        )

    def _events(self, calendar_id: str, args: dict[str, str]) -> Response:
        if calendar_id not in self.events and not any(
            c["id"] == calendar_id for c in self.calendars
        ):
            return _error(404, "notFound", "Not Found")
        sync = args.get("syncToken")
        if sync is not None:
            if "timeMin" in args or "timeMax" in args:
                return _error(400, "invalid", "Sync token cannot be used with timeMin/timeMax")
            if sync in self.gone:
                return _error(410, "fullSyncRequired", "Sync token is no longer valid")
            items, next_token = self.feeds.get(sync, ([], sync))
        else:
            items = self.events.get(calendar_id, [])
            next_token = f"sync-{calendar_id}-{len(self.feeds)}"
        offset = int(args.get("pageToken", "0") or 0)
        page = items[offset : offset + self.page_size]
        body: dict[str, Any] = {"kind": "calendar#events", "items": page}
        if offset + self.page_size < len(items):
            body["nextPageToken"] = str(offset + self.page_size)
        else:
            body["nextSyncToken"] = next_token
        return _json(body)


def _json(body: Any) -> Response:
    return Response(json.dumps(body), 200, content_type="application/json; charset=UTF-8")


def _error(status: int, reason: str, message: str) -> Response:
    body = {
        "error": {
            "errors": [{"reason": reason, "message": message}],
            "code": status,
            "message": message,
        }
    }
    return Response(json.dumps(body), status, content_type="application/json; charset=UTF-8")


def rate_limited(
    status: int = 429, retry_after: str | None = None, reason: str = "rateLimitExceeded"
) -> Response:
    response = _error(status, reason, "Rate Limit Exceeded")
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


def malformed() -> Response:
    return Response(
        '{"kind": "calendar#events", "items": [{"id": ', 200, content_type="application/json"
    )


def _dropped(full: Response) -> Response:
    """The same page, but the connection is cut halfway through the body."""
    data = full.get_data()

    def body() -> Iterator[bytes]:
        yield data[: len(data) // 2]
        raise ConnectionAbortedError("the fake cuts the connection")

    response = Response(body(), 200, content_type="application/json")
    response.headers["Content-Length"] = str(len(data))
    return response


def start_fake() -> FakeGoogle:
    """A started server on 127.0.0.1 with a fresh fake behind every path."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # its access log holds URLs
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    fake = FakeGoogle(server)
    server.expect_request(re.compile(".*")).respond_with_handler(fake.handle)
    return fake


def browser(monkeypatch: pytest.MonkeyPatch, answer: str = "code=the-code") -> list[str]:
    """Stand in for the user's browser: follow the redirect of the consent page."""
    opened: list[str] = []

    def open_browser(url: str) -> bool:
        opened.append(url)
        q = parse_qs(urlsplit(url).query)
        back = f"{q['redirect_uri'][0]}?{answer}&state={q['state'][0]}&scope={SCOPE}"

        def visit() -> None:
            for address in (q["redirect_uri"][0] + "favicon.ico", back):
                # the favicon is not found (404): the flow must keep waiting
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(address, timeout=10).read()

        threading.Thread(target=visit, daemon=True).start()
        return True

    from pmload.google import auth

    monkeypatch.setattr(auth, "open_browser", open_browser)
    return opened
