"""Errors of the journal. Their messages never contain journal content."""

from __future__ import annotations

from pmload.errors import PmloadError


class JournalError(PmloadError):
    """Something about the journal a user can act on (one sentence, no journal content)."""


class WrongPassphrase(JournalError):
    """The passphrase does not open this journal."""


class PassphraseNotText(JournalError):
    """The passphrase holds lone surrogates (undecodable bytes), so it cannot be UTF-8 encoded."""


class JournalDamaged(JournalError):
    """The file is truncated, altered or not a pmload journal; nothing was overwritten."""


class JournalMissing(JournalError):
    """There is no journal yet."""


class JournalExists(JournalError):
    """A journal already exists where a new one would be created."""


class JournalChanged(JournalError):
    """The file changed on disk since it was unlocked (another window or command wrote it)."""


class JournalBusy(JournalError):
    """Another writer held the journal's lock for too long; nothing was written."""


class KdfTooExpensive(JournalDamaged):
    """The header asks for more key-derivation time or memory than pmload ever uses."""
