"""Errors a user can fix. Their message is one clear sentence, shown as is."""

from __future__ import annotations


class PmloadError(Exception):
    """Base class: ``str(error)`` is a sentence fit for the user."""


class UsageError(PmloadError):
    """The command line or a value given to a command is wrong (CLI exit 2)."""


class ConfigError(PmloadError):
    """The rules file or a setting is invalid."""


class ImportRejected(PmloadError):
    """A calendar file cannot be imported; nothing of it was stored."""


class ImportCancelled(PmloadError):
    """The user cancelled an import; nothing of the current file was stored."""

    def __init__(self) -> None:
        super().__init__("the import was cancelled; nothing of the current file was stored.")
