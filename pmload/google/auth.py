"""Connecting: the OAuth 2.0 installed-app flow, the stored credentials, revocation.

The user brings their own OAuth client (a Desktop app client file from a
Google Cloud project, README "Google Calendar"). :func:`connect` runs
google-auth-oauthlib's ``InstalledAppFlow`` with a loopback redirect on a
free port of 127.0.0.1 and the system browser, asking for the read-only
calendar scope and nothing else. The loopback server here (not
``run_local_server``) can be cancelled, ignores stray requests such as
``/favicon.ico`` and logs nothing: the redirect carries the code.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from pmload.google import tokens
from pmload.google.errors import ConnectCancelled, GoogleError, NotConnected, Offline
from pmload.paths import Paths

log = logging.getLogger(__name__)

SCOPE = "https://www.googleapis.com/auth/calendar.readonly"
API_ROOT_ENV = "PMLOAD_GOOGLE_API_ROOT"
REVOKE_URI = "https://oauth2.googleapis.com/revoke"
CONNECT_TIMEOUT = 300.0  # seconds to wait for the browser's redirect

Cancelled = Callable[[], bool]
# Called with the address the user must visit, and whether a browser was opened on it.
ShowUrl = Callable[[str, bool], None]

_DONE_PAGE = (
    b"<!doctype html><meta charset='utf-8'><title>pmload</title>"
    b"<p style='font:16px sans-serif;margin:3em'>pmload has its answer from Google; "
    b"you can close this tab and go back to pmload.</p>"
)


def api_root() -> str | None:
    """``PMLOAD_GOOGLE_API_ROOT`` with a trailing slash, or None for Google itself."""
    root = os.environ.get(API_ROOT_ENV, "").strip()
    if not root:
        return None
    return root if root.endswith("/") else root + "/"


def open_browser(url: str) -> bool:
    """Open ``url`` in the system browser (tests replace this)."""
    import webbrowser

    try:
        return webbrowser.open(url, new=1, autoraise=True)
    except Exception as exc:
        log.info("cannot open a browser (%s)", type(exc).__name__)
        return False


def read_client_secrets(path: Path) -> dict[str, Any]:
    """The client configuration of a Desktop-app OAuth client file, or one clear sentence."""
    try:
        data = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoogleError(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoogleError(
            f"{path} cannot be read ({getattr(exc, 'strerror', None) or exc})."
        ) from None
    except json.JSONDecodeError:
        raise GoogleError(f"{path} is not an OAuth client file (it is not JSON).") from None
    if isinstance(data, dict) and "web" in data:
        raise GoogleError(
            f"{path} is a Web application client; create a Desktop app client instead "
            "(README, Google Calendar)."
        )
    installed = data.get("installed") if isinstance(data, dict) else None
    needed = ("client_id", "client_secret", "auth_uri", "token_uri")
    if not isinstance(installed, dict) or not all(
        isinstance(installed.get(k), str) for k in needed
    ):
        raise GoogleError(
            f"{path} is not a Desktop app OAuth client file "
            "(Google Cloud console › Credentials › Download JSON)."
        )
    config: dict[str, Any] = data
    return config


@contextmanager
def _loopback_http_allowed(urls: Iterable[str]) -> Iterator[None]:
    """oauthlib refuses plain http; allow it only while every URL is on this machine."""
    local = all(urlsplit(u).hostname in ("127.0.0.1", "localhost", "::1") for u in urls)
    key = "OAUTHLIB_INSECURE_TRANSPORT"
    before = os.environ.get(key)
    if local:
        os.environ[key] = "1"
    try:
        yield
    finally:
        if local:
            if before is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = before


class _Redirect:
    """The WSGI app of the loopback server: keeps the first redirect that answers."""

    def __init__(self) -> None:
        self.query: dict[str, list[str]] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if environ.get("PATH_INFO", "/") == "/" and ("code" in query or "error" in query):
            if self.query is None:
                self.query = query
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [_DONE_PAGE]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b""]


def connect(
    paths: Paths,
    client_secrets: Path,
    cancelled: Cancelled | None = None,
    show_url: ShowUrl | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> tuple[Any, tokens.Where]:
    """Run the browser flow; store the token. Returns (credentials, where it is kept)."""
    import time
    import wsgiref.simple_server

    from google_auth_oauthlib.flow import InstalledAppFlow

    config = read_client_secrets(client_secrets)
    root = api_root()
    if root is not None:
        config["installed"]["token_uri"] = f"{root}token"
    flow = InstalledAppFlow.from_client_config(config, scopes=[SCOPE])

    class QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # the request line carries the authorization code

    app = _Redirect()
    server = wsgiref.simple_server.make_server("127.0.0.1", 0, app, handler_class=QuietHandler)
    try:
        flow.redirect_uri = f"http://127.0.0.1:{server.server_port}/"
        url, _state = flow.authorization_url(prompt="consent")
        opened = open_browser(url)
        if show_url is not None:
            show_url(url, opened)
        server.timeout = 0.2
        deadline = time.monotonic() + timeout
        while app.query is None:
            if cancelled is not None and cancelled():
                raise ConnectCancelled
            if time.monotonic() > deadline:
                raise GoogleError(
                    "no answer came from the browser in time; nothing was stored, try again."
                )
            server.handle_request()
    finally:
        server.server_close()
    query = app.query
    if "error" in query:
        reason = query["error"][0]
        if reason == "access_denied":
            raise GoogleError("you did not allow pmload to read your calendar; nothing was stored.")
        raise GoogleError(f"Google refused the connection ({reason}); nothing was stored.")
    response = f"https://127.0.0.1:{server.server_port}/?{urlencode(query, doseq=True)}"
    with _loopback_http_allowed([config["installed"]["token_uri"]]):
        _fetch_token(flow, response)
    credentials = flow.credentials
    if SCOPE not in (credentials.scopes or [SCOPE]):
        raise GoogleError(
            "Google did not grant reading your calendar (the checkbox on its consent page); "
            "connect again and allow it."
        )
    where = tokens.save(paths, credentials.to_json())
    return credentials, where


def _fetch_token(flow: Any, authorization_response: str) -> None:
    """Exchange the code for tokens; failures as one sentence."""
    import requests
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error

    try:
        flow.fetch_token(authorization_response=authorization_response)
    except requests.exceptions.ConnectionError:
        raise Offline from None
    except requests.exceptions.RequestException as exc:
        raise GoogleError(
            f"the token could not be fetched from Google ({type(exc).__name__}); try again."
        ) from None
    except OAuth2Error as exc:
        raise GoogleError(
            f"Google refused the sign-in ({exc.error}); check the client file and try again."
        ) from None
    except Warning:  # requests-oauthlib: "Scope has changed"
        raise GoogleError(
            "Google did not grant reading your calendar (the checkbox on its consent page); "
            "connect again and allow it."
        ) from None


def load_credentials(paths: Paths) -> tuple[Any, tokens.StoredToken]:
    """The stored credentials, refreshing at ``{root}token`` when the API root is moved."""
    from google.oauth2.credentials import Credentials

    stored = tokens.load(paths)
    if stored is None:
        raise NotConnected
    try:
        info = json.loads(stored.text)
        credentials = Credentials.from_authorized_user_info(info)  # type: ignore[no-untyped-call]
    except (ValueError, TypeError, KeyError):
        raise GoogleError(
            "the stored Google token is damaged; connect again with "
            "`pmload google connect --client-secrets FILE`."
        ) from None
    root = api_root()
    if root is not None:
        credentials = credentials.with_token_uri(f"{root}token")
    return credentials, stored


def save_refreshed(paths: Paths, stored: tokens.StoredToken, credentials: Any) -> None:
    """Keep a refreshed access token, so the next run need not refresh again."""
    try:
        text = credentials.to_json()
    except Exception as exc:
        log.info("cannot serialise the refreshed token (%s)", type(exc).__name__)
        return
    tokens.update(paths, stored, text)


def revoke(credentials: Any) -> bool:
    """Revoke the grant at Google; False when Google could not be reached."""
    import httplib2

    token = credentials.refresh_token or credentials.token
    if not token:
        return True
    root = api_root()
    uri = f"{root}revoke" if root is not None else REVOKE_URI
    http = httplib2.Http(timeout=15)
    try:
        resp, _content = http.request(
            uri,
            "POST",
            body=urlencode({"token": token}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    except (OSError, httplib2.HttpLib2Error) as exc:
        log.info("revocation not reached (%s)", type(exc).__name__)
        return False
    # 400 invalid_token: already revoked or expired, which is what the user wants
    return resp.status in (200, 400)
