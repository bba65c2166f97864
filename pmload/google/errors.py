"""What can go wrong with Google Calendar, each as one sentence for the user.

The CLI prints them; the app shows them. ``reconnect`` names what the user
does next, which differs between the command line and the app.
"""

from __future__ import annotations

from pmload.errors import PmloadError

CLI_RECONNECT = "run `pmload google connect --client-secrets FILE` again"


class GoogleError(PmloadError):
    """A Google Calendar operation failed; nothing stored was changed."""


class NotConnected(GoogleError):
    def __init__(self) -> None:
        super().__init__(
            "Google Calendar is not connected; connect it with "
            "`pmload google connect --client-secrets FILE` (or in the app)."
        )


class ReconnectNeeded(GoogleError):
    """The grant expired or was revoked (invalid_grant, or 401 after a refresh)."""

    def __init__(self, how: str = CLI_RECONNECT) -> None:
        self.how = how
        super().__init__(
            f"Google no longer accepts pmload's access (it expired or was revoked); {how} "
            "— everything already synced is kept."
        )


class Offline(GoogleError):
    def __init__(self) -> None:
        super().__init__(
            "Google cannot be reached (are you offline?); nothing was changed, try again later."
        )


class GoogleBusy(GoogleError):
    """Rate limits or server errors that outlasted the retries."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Google is {detail}; nothing was changed, try again in a few minutes.")


class BadReply(GoogleError):
    def __init__(self) -> None:
        super().__init__(
            "Google sent a reply pmload cannot read (the connection may have been cut); "
            "nothing was changed, try again."
        )


class SyncCancelled(GoogleError):
    def __init__(self) -> None:
        super().__init__("the sync was cancelled; the calendar being read was left as it was.")


class ConnectCancelled(GoogleError):
    def __init__(self) -> None:
        super().__init__("connecting was cancelled; nothing was stored.")
