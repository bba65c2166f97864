"""Google Calendar: connect once (read-only), then sync incrementally into the store.

``auth`` runs the OAuth installed-app flow and revokes access, ``tokens`` keeps
the token (the system keyring, else a file only the user can read),
``client`` talks to the Calendar API (retries, one-sentence errors),
``mapping`` turns Google events into the same occurrence rows as .ics
files, ``sync`` writes one calendar per transaction, and ``account`` is what
the CLI and the app call; ``errors`` holds the sentences. The Google
libraries are imported only when a function here needs them.

``PMLOAD_GOOGLE_API_ROOT`` (a root URL such as ``http://127.0.0.1:8765/``)
sends every request (API, token refresh, revocation) to another server, and
``PMLOAD_GOOGLE_TOKEN_FILE`` names an authorized-user JSON file to use instead
of the stored token: tests and special set-ups rely on them.
"""

from __future__ import annotations
