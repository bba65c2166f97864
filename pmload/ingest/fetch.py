"""Downloading a subscribed calendar over HTTPS (urllib3), conditionally and within limits.

:func:`fetch` sends ``If-None-Match`` / ``If-Modified-Since`` when it has the
validators of the last download, so an unchanged calendar costs one ``304``.
It follows at most ``MAX_REDIRECTS`` redirects itself (each hop is checked:
https only, plain http to loopback addresses only, never from https down to
http), asks for gzip and reads the decompressed body with a size limit and an
overall deadline, so neither a huge nor a slow answer can hold pmload.

Every failure is a :class:`FetchError` with one sentence for the user (not
found, unauthorised, offline, too slow, too large…). The URL is a secret
(pmload.ingest.subscriptions): it is never put in a message or the log.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from pmload.errors import PmloadError

if TYPE_CHECKING:  # urllib3 is imported when a download starts: the CLI starts fast
    import urllib3

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_BYTES = 64 * 1024 * 1024  # as pmload.ingest.ics_text.MAX_BYTES: the largest calendar read
_CHUNK = 256 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(PmloadError):
    """The calendar could not be downloaded: one sentence, without the URL."""


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Limits of one download: seconds to connect, between bytes, in all; bytes in all.

    ``ca_certs`` names a CA bundle to trust instead of the system's (tests).
    """

    connect_timeout: float = 15.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    max_bytes: int = MAX_BYTES
    ca_certs: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    """A download: ``changed`` False for a 304 (``body`` empty), else the body and validators."""

    changed: bool
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> None:
    """Refuse what pmload never fetches: other schemes, http beyond loopback, no host."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise FetchError(
            "a calendar address starts with https:// (or webcal://) and names a server."
        )
    if scheme == "http" and not is_loopback(parts.hostname):
        raise FetchError(
            "only https:// calendar addresses are fetched (a plain http:// address would send "
            "your private link unprotected); use the https:// form of the address."
        )


def _check_redirect(previous: str, target: str) -> None:
    if urlsplit(previous).scheme.lower() == "https" and urlsplit(target).scheme.lower() != "https":
        raise FetchError(
            "the calendar server redirected from https to an unprotected address; "
            "pmload does not follow it."
        )
    try:
        check_url(target)
    except FetchError:
        raise FetchError(
            "the calendar server redirected to an address pmload does not fetch."
        ) from None


def _status_error(status: int) -> FetchError:
    if status in (401, 403):
        return FetchError(
            f"the calendar server refused the address (unauthorised, HTTP {status}); the link "
            "may have been reset or made private: copy it again from your calendar's settings."
        )
    if status in (404, 410):
        return FetchError(
            f"there is no calendar at that address (not found, HTTP {status}); it may have been "
            "removed or reset: copy it again from your calendar's settings."
        )
    if status == 429 or status >= 500:
        return FetchError(
            f"the calendar server is busy or failing (HTTP {status}); try again later."
        )
    return FetchError(f"the calendar server did not give the calendar (HTTP {status}).")


def _pool(options: FetchOptions) -> urllib3.PoolManager:
    import urllib3

    timeout = urllib3.Timeout(connect=options.connect_timeout, read=options.read_timeout)
    kwargs: dict[str, object] = {"timeout": timeout, "retries": False, "cert_reqs": "CERT_REQUIRED"}
    if options.ca_certs:
        kwargs["ca_certs"] = options.ca_certs
    return urllib3.PoolManager(**kwargs)  # type: ignore[arg-type]


def fetch(
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    options: FetchOptions | None = None,
    user_agent: str = "pmload",
) -> Fetched:
    """Download the calendar at ``url`` (see the module docstring); FetchError on any failure."""
    options = options or FetchOptions()
    check_url(url)
    headers = {
        "User-Agent": user_agent,
        "Accept": "text/calendar, text/plain;q=0.5, */*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + options.total_timeout
    pool = _pool(options)
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            response = _request(pool, url, headers)
            try:
                status = response.status
                if status in _REDIRECTS:
                    target = response.headers.get("Location")
                    if not target:
                        raise FetchError("the calendar server redirected to nowhere.")
                    new_url = urljoin(url, target)
                    _check_redirect(url, new_url)
                    url = new_url
                    continue
                if status == 304 and (etag or last_modified):
                    return Fetched(False, b"", etag, last_modified)
                if status != 200:
                    raise _status_error(status)
                body = _read_body(response, options, deadline)
                return Fetched(
                    True,
                    body,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
            finally:
                response.close()  # also after a broken body: no socket is left open
                response.release_conn()
        raise FetchError(
            f"the calendar server redirected more than {MAX_REDIRECTS} times; pmload gave up."
        )
    finally:
        pool.clear()


def _request(
    pool: urllib3.PoolManager, url: str, headers: dict[str, str]
) -> urllib3.BaseHTTPResponse:
    try:
        return pool.request("GET", url, headers=headers, redirect=False, preload_content=False)
    except FetchError:
        raise
    except Exception as exc:
        raise _network_error(exc) from None


def _network_error(exc: BaseException) -> FetchError:
    from urllib3.exceptions import (
        ConnectTimeoutError,
        DecodeError,
        HTTPError,
        NameResolutionError,
        NewConnectionError,
        ProtocolError,
        ReadTimeoutError,
        SSLError,
    )

    log.info("calendar download failed (%s)", type(exc).__name__)
    reason = getattr(exc, "reason", None)
    cause = reason if isinstance(reason, BaseException) else exc
    # NewConnectionError is a ConnectTimeoutError in urllib3 2: ask for it first
    if isinstance(cause, (NameResolutionError, NewConnectionError)):
        return FetchError(
            "the calendar server cannot be reached (are you offline?); your stored calendar "
            "is unchanged. Try again when you are connected."
        )
    if isinstance(cause, (ConnectTimeoutError, ReadTimeoutError, TimeoutError)):
        return FetchError("the calendar server did not answer in time; try again later.")
    if isinstance(cause, SSLError):
        return FetchError(
            "the calendar server's certificate cannot be trusted; pmload did not download from it."
        )
    if isinstance(cause, DecodeError):
        return FetchError("the calendar server sent a damaged (compressed) answer.")
    if isinstance(cause, (ProtocolError, HTTPError, OSError)):
        return FetchError("the connection to the calendar server broke off; try again later.")
    return FetchError("the calendar could not be downloaded.")


def _read_body(response: urllib3.BaseHTTPResponse, options: FetchOptions, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    encoded = response.headers.get("Content-Encoding", "").strip().lower()
    too_large = FetchError(
        f"the calendar at that address is larger than {options.max_bytes // (1024 * 1024)} MB, "
        "more than pmload imports."
    )
    if not encoded and declared and declared.isdigit() and int(declared) > options.max_bytes:
        raise too_large
    parts: list[bytes] = []
    size = 0
    try:
        # decoded as it arrives: a small gzip that unpacks to gigabytes stops at the limit
        for chunk in response.stream(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > options.max_bytes:
                raise too_large
            if time.monotonic() > deadline:
                raise FetchError(
                    "the calendar server sends too slowly (over "
                    f"{options.total_timeout:.0f} seconds); try again later."
                )
            parts.append(chunk)
    except FetchError:
        raise
    except Exception as exc:
        raise _network_error(exc) from None
    return b"".join(parts)
