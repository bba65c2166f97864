"""The Calendar API through google-api-python-client: retries and one-sentence errors.

The service is built from the discovery document bundled with the library
(``static_discovery=True``, never fetched). With ``PMLOAD_GOOGLE_API_ROOT``
set, ``api_endpoint`` is ``{root}calendar/v3/`` (it replaces the whole base
URL). No batch requests: they ignore ``api_endpoint``.

Retries: 403 rateLimitExceeded/userRateLimitExceeded, 429 and 5xx are tried
again with exponential backoff and jitter, waiting at least what Retry-After
asks (``execute(num_retries=...)`` would ignore it); a cut connection or a
garbled reply is tried again twice. Everything else fails at once with one
sentence (pmload.google.errors). The libraries' loggers are quietened: their
debug lines carry request URLs and response bodies.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from pmload.google.auth import api_root
from pmload.google.errors import (
    BadReply,
    GoogleBusy,
    GoogleError,
    Offline,
    ReconnectNeeded,
    SyncCancelled,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 2500  # events.list's maximum
RATE_ATTEMPTS = 6  # first try + 5 retries on rate limits and 5xx
GLITCH_ATTEMPTS = 3  # first try + 2 retries on a cut connection or a garbled reply
MAX_DELAY = 32.0
MAX_RETRY_AFTER = 120.0  # a longer wait is reported, not slept through
TIMEOUT = 30.0  # seconds without a byte before a try counts as cut
EVENT_FIELDS = (
    "items(id,iCalUID,status,summary,start,end,recurringEventId,originalStartTime,"
    "transparency,eventType,organizer(email,displayName,self),"
    "attendees(email,displayName,self,responseStatus,resource,optional)),"
    "nextPageToken,nextSyncToken"
)
_QUIET = (
    "googleapiclient",
    "google_auth_httplib2",
    "google.auth",
    "google.oauth2",
    "google_auth_oauthlib",
    "requests_oauthlib",
    "oauthlib",
    "urllib3",
    "httplib2",
)

Cancelled = Callable[[], bool]
# Tests replace these to observe or skip the waits.
sleep: Callable[[float], None] = time.sleep
rand: Callable[[], float] = random.random


class FullSyncRequired(Exception):
    """410 Gone: the sync token is no longer valid (handled by pmload.google.sync)."""


class CalendarGone(GoogleError):
    def __init__(self) -> None:
        super().__init__(
            "a chosen calendar is not available to the connected Google account; "
            "see `pmload google calendars` and choose again with `pmload google use`."
        )


@dataclass(frozen=True, slots=True)
class CalendarInfo:
    id: str
    name: str
    primary: bool
    access: str


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    sync_token: str | None  # on the last page only


def _quiet_libraries() -> None:
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.ERROR)


def _reason(content: bytes | str | None) -> str:
    """The ``reason`` (or ``status``) of a Google error body, '' when there is none."""
    try:
        data = json.loads(content or b"")
        err = data["error"]
        errors = err.get("errors") or []
        if errors and isinstance(errors[0], dict) and errors[0].get("reason"):
            return str(errors[0]["reason"])
        return str(err.get("status") or "")
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""


def retry_after(value: str | None) -> float | None:
    """Seconds asked by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff(attempt: int, asked: float | None) -> float:
    """The wait before retry ``attempt`` (1, 2, …): 2^(n-1) s plus jitter, at least ``asked``."""
    delay = min(MAX_DELAY, 2.0 ** (attempt - 1)) * (0.5 + rand())
    return max(delay, asked or 0.0)


def _wait(seconds: float, cancelled: Cancelled | None) -> None:
    """Sleep ``seconds`` in short steps, so a cancel is noticed within a quarter second."""
    left = seconds
    while left > 0:
        if cancelled is not None and cancelled():
            raise SyncCancelled
        step = min(left, 0.25)
        sleep(step)
        left -= step


class Client:
    """One connected Calendar service; every call goes through :meth:`execute`."""

    def __init__(self, credentials: Any, cancelled: Cancelled | None = None) -> None:
        import google_auth_httplib2
        import httplib2
        from googleapiclient.discovery import build

        _quiet_libraries()
        self.credentials = credentials
        self.cancelled = cancelled
        http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=TIMEOUT))
        root = api_root()
        options = {"api_endpoint": f"{root}calendar/v3/"} if root is not None else None
        self.service = build(
            "calendar",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options=options,
        )

    def execute(self, request: Any) -> dict[str, Any]:
        """``request.execute()`` with the retries of the module docstring."""
        from http.client import HTTPException

        from google.auth.exceptions import RefreshError, TransportError
        from googleapiclient.errors import HttpError
        from httplib2 import HttpLib2Error, ServerNotFoundError

        busy_tries = glitch_tries = 0  # counted apart: a mix of faults is still retried
        while True:
            if self.cancelled is not None and self.cancelled():
                raise SyncCancelled
            asked: float | None = None
            try:
                result = request.execute()
            except HttpError as exc:
                status = int(exc.resp.status)
                reason = _reason(exc.content)
                busy = (
                    status == 429
                    or status >= 500
                    or (status == 403 and reason in ("rateLimitExceeded", "userRateLimitExceeded"))
                )
                if not busy:
                    raise _refused(status, reason) from None
                busy_tries += 1
                asked = retry_after(exc.resp.get("retry-after"))
                log.info("Google answered %s (%s); try %s", status, reason, busy_tries)
                if asked is not None and asked > MAX_RETRY_AFTER:
                    raise GoogleBusy(
                        f"asking pmload to wait {asked / 60:.0f} minutes before its next request"
                    ) from None
                if busy_tries >= RATE_ATTEMPTS:
                    what = "limiting pmload's requests" if status in (403, 429) else "unavailable"
                    raise GoogleBusy(f"{what} (HTTP {status})") from None
                delay = backoff(busy_tries, asked)
            except RefreshError as exc:
                if not getattr(exc, "retryable", False) or "invalid_grant" in str(exc):
                    raise ReconnectNeeded from None
                busy_tries += 1
                log.info("Google's token service failed; try %s", busy_tries)
                if busy_tries >= RATE_ATTEMPTS:
                    raise GoogleBusy("unavailable (its token service)") from None
                delay = backoff(busy_tries, None)
            except (ServerNotFoundError, ConnectionRefusedError, TransportError):
                raise Offline from None
            except (OSError, HTTPException, HttpLib2Error, ValueError) as exc:
                # a cut connection (reset, incomplete read), a time-out or a garbled reply
                glitch_tries += 1
                log.info("Google's reply was cut (%s); try %s", type(exc).__name__, glitch_tries)
                if glitch_tries >= GLITCH_ATTEMPTS:
                    if isinstance(exc, OSError) and not isinstance(exc, ConnectionResetError):
                        raise Offline from None
                    raise BadReply from None
                delay = backoff(glitch_tries, None)
            else:
                if isinstance(result, dict):
                    return result
                # JsonModel hands back the raw text when it is not JSON
                glitch_tries += 1
                log.info("Google's reply is not JSON; try %s", glitch_tries)
                if glitch_tries >= GLITCH_ATTEMPTS:
                    raise BadReply
                delay = backoff(glitch_tries, None)
            _wait(delay, self.cancelled)

    # --- the calls pmload makes ------------------------------------------------

    def calendars(self) -> list[CalendarInfo]:
        """Every calendar in the user's list, primary first, then by name."""
        out: list[CalendarInfo] = []
        token: str | None = None
        while True:
            page = self.execute(self.service.calendarList().list(maxResults=250, pageToken=token))
            for item in page.get("items") or []:
                if not isinstance(item, dict) or not item.get("id"):
                    continue
                name = item.get("summaryOverride") or item.get("summary") or item["id"]
                out.append(
                    CalendarInfo(
                        str(item["id"]),
                        str(name),
                        bool(item.get("primary")),
                        str(item.get("accessRole") or ""),
                    )
                )
            token = page.get("nextPageToken")
            if not token:
                break
        out.sort(key=lambda c: (not c.primary, c.name.lower(), c.id))
        return out

    def primary(self) -> CalendarInfo:
        item = self.execute(self.service.calendarList().get(calendarId="primary"))
        name = item.get("summaryOverride") or item.get("summary") or item.get("id", "")
        return CalendarInfo(
            str(item.get("id", "")), str(name), True, str(item.get("accessRole", ""))
        )

    def event_pages(
        self,
        calendar_id: str,
        sync_token: str | None = None,
        time_min: str | None = None,
        time_max: str | None = None,
    ) -> Iterator[Page]:
        """events.list with singleEvents, every page; with a sync token no time bounds."""
        events = self.service.events()
        token: str | None = None
        while True:
            args: dict[str, Any] = {
                "calendarId": calendar_id,
                "singleEvents": True,
                "maxResults": PAGE_SIZE,
                "fields": EVENT_FIELDS,
            }
            if sync_token is not None:
                args["syncToken"] = sync_token
            else:
                args["timeMin"] = time_min
                args["timeMax"] = time_max
            if token is not None:
                args["pageToken"] = token
            page = self.execute(events.list(**args))
            items = page.get("items") or []
            if not isinstance(items, list):
                raise BadReply
            token = page.get("nextPageToken")
            if not token:
                yield Page(items, page.get("nextSyncToken"))
                return
            yield Page(items, None)


def _refused(status: int, reason: str) -> GoogleError | FullSyncRequired:
    if status == 410:
        return FullSyncRequired()
    if status == 401:
        return ReconnectNeeded()
    if status == 404:
        return CalendarGone()
    if reason == "accessNotConfigured":
        return GoogleError(
            "the Google Calendar API is not enabled in your Google Cloud project; enable it "
            "(README, Google Calendar) and try again."
        )
    if status == 403:
        return GoogleError(
            f"Google refused the request ({reason or 'forbidden'}); check that the calendar "
            "is shared with your account."
        )
    return GoogleError(
        f"Google rejected pmload's request (HTTP {status}{', ' + reason if reason else ''})."
    )
