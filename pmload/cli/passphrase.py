"""The CLI's one passphrase reader: the core never prompts (it is given the passphrase).

``PMLOAD_PASSPHRASE`` when set, else a getpass prompt on a terminal, else a
UsageError saying how to give it. The passphrase is never printed or logged.
"""

from __future__ import annotations

import getpass
import os
import sys

from pmload.errors import UsageError

PASSPHRASE_ENV = "PMLOAD_PASSPHRASE"


def read_passphrase(prompt: str, purpose: str) -> str:
    """The passphrase for ``purpose`` (e.g. "--include-journal"), from the variable or a prompt."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError(
            f"{purpose} needs the journal passphrase: set {PASSPHRASE_ENV} "
            "or run the command in a terminal."
        )
    return getpass.getpass(prompt)
