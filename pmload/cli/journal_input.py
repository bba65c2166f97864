"""How the journal commands read passphrases and notes: stdin, environment, terminal, editor.

Standard input is shared in this order: with ``--passphrase-stdin`` the
passphrase is its first line (for ``init`` and ``passwd`` the new one is the
next line), and for ``journal add`` without ``--note`` the note is the rest.
Everything read is decoded strictly as UTF-8: bytes that are not text are
refused in one sentence, never passed on. A note written in ``$VISUAL`` or
``$EDITOR`` lives only in a private folder (0700, memory-backed
``$XDG_RUNTIME_DIR`` where there is one) that is shredded afterwards.
"""

from __future__ import annotations

import getpass
import os
import shlex
import subprocess
import sys

from pmload.errors import PmloadError, UsageError
from pmload.journal.files import private_scratch

PASSPHRASE_ENV = "PMLOAD_PASSPHRASE"
NEW_PASSPHRASE_ENV = "PMLOAD_NEW_PASSPHRASE"
PASSPHRASE_PROMPT = "Journal passphrase: "
NEW_PASSPHRASE_PROMPT = "New passphrase (8 characters or more): "


def read_passphrase(
    prompt: str = PASSPHRASE_PROMPT,
    *,
    stdin_line: bool,
    env: str | None = PASSPHRASE_ENV,
    confirm: str | None = None,
    purpose: str | None = None,
) -> str:
    """A passphrase for one command, from the first of these that applies.

    1. ``stdin_line`` (``--passphrase-stdin``): the next line of standard input.
       Each call takes one line and leaves the rest, so ``init`` and ``passwd``
       read consecutive lines and ``journal add`` reads its note after it.
    2. The environment variable ``env`` (default ``PMLOAD_PASSPHRASE``), when set
       and not empty.
    3. ``getpass`` with ``prompt`` on a terminal, asked a second time with
       ``confirm`` when given. Never a prompt off a terminal.

    Raises UsageError (one sentence, exit 2) when there is no passphrase; with
    ``purpose`` (say ``--include-journal``) the sentence names what needs it.
    """
    if stdin_line:
        line = _stdin_line()
        if not line:
            raise UsageError("--passphrase-stdin was given but standard input has no passphrase")
        return line
    if env and os.environ.get(env):
        return _text(os.environ[env], f"the passphrase in {env}")
    first = _prompt(prompt, env or PASSPHRASE_ENV, purpose)
    if confirm is not None and _prompt(confirm, env or PASSPHRASE_ENV, purpose) != first:
        raise UsageError("the two passphrases differ; nothing was changed")
    return first


def _text(value: str, what: str) -> str:
    """``value`` if it is valid text (no lone surrogates from undecodable bytes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{what} is not valid UTF-8 text") from None
    return value


def _read_stdin(what: str, line: bool) -> str:
    """One line or the rest of standard input, decoded strictly as UTF-8 ('' at the end)."""
    if sys.stdin is None:
        return ""
    stream = getattr(sys.stdin, "buffer", sys.stdin)  # bytes, or a text stream in tests
    try:
        got: str | bytes = stream.readline() if line else stream.read()
        return _text(got.decode("utf-8") if isinstance(got, bytes) else got, what)
    except UnicodeDecodeError:
        raise UsageError(f"{what} is not valid UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"standard input cannot be read ({exc.strerror or exc})") from None


def _stdin_line() -> str:
    """The next line of standard input without its line ending ('' at the end)."""
    line = _read_stdin("the passphrase on standard input", line=True)
    return line.removesuffix("\n").removesuffix("\r")


def _prompt(prompt: str, env: str, purpose: str | None = None) -> str:
    if sys.stdin is None or not sys.stdin.isatty():
        if purpose is not None:
            raise UsageError(
                f"{purpose} needs the journal passphrase: set {env} or run the command in a terminal."
            )
        raise UsageError(f"no passphrase: use a terminal, --passphrase-stdin or the {env} variable")
    try:
        typed = getpass.getpass(prompt)
    except UnicodeDecodeError:
        raise UsageError("the passphrase typed is not valid text for this terminal") from None
    return _text(typed, "the passphrase typed")


def piped_note() -> str | None:
    """The rest of standard input as the note, or None when standard input is a terminal."""
    if sys.stdin is not None and sys.stdin.isatty():
        return None
    return _read_stdin("the note on standard input", line=False).rstrip()


NO_EDITOR = (
    "No note added: set VISUAL or EDITOR to write one in your editor, or pipe it on standard input."
)


def edited_note() -> str:
    """The note written in ``$VISUAL`` (else ``$EDITOR``); '' with a hint when neither is set."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
    try:
        argv = shlex.split(command, posix=os.name != "nt")
    except ValueError:
        raise UsageError(f"the editor command '{command}' cannot be read (a quote?)") from None
    if not argv:
        print(NO_EDITOR, file=sys.stderr)
        return ""
    with private_scratch("journal-note.txt") as path:
        try:
            code = subprocess.run([*argv, str(path)], check=False).returncode
        except OSError as exc:
            raise UsageError(
                f"the editor '{argv[0]}' could not be started "
                f"({exc.strerror or exc}); no entry was added"
            ) from None
        if code != 0:
            raise PmloadError(f"The editor exited with status {code}; no entry was added.")
        raw = path.read_bytes()
    try:
        return _text(raw.decode("utf-8"), "the note").rstrip()
    except UnicodeDecodeError:
        raise UsageError("the note is not valid UTF-8 text; no entry was added") from None
