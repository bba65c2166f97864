"""What the bundle's executables do before pmload's own code runs (see entry_*.py).

1. Act as the import helper when asked: a frozen build has no ``python -m``, so
   pmload.ingest.parallel starts the running executable again with
   ``PMLOAD_IMPORT_HELPER=1`` (parallel.HELPER_ENV) and the pickle protocol on
   stdin/stdout.
2. Give matplotlib a lasting config folder. PyInstaller's run-time hook points
   MPLCONFIGDIR at a new temporary folder on every start, so the font cache would
   be rebuilt by every export; pmload's cache folder keeps it (one per bundle
   location, since the cache records the fonts' paths).
"""

from __future__ import annotations

import hashlib
import os
import sys

HELPER_ENV = "PMLOAD_IMPORT_HELPER"


def boot(argv: list[str]) -> None:
    """Run the import helper and exit when asked; else prepare matplotlib's cache."""
    if os.environ.get(HELPER_ENV) == "1":
        from pmload.ingest.parallel import helper_main

        sys.exit(helper_main())
    os.environ["MPLCONFIGDIR"] = matplotlib_dir(argv)


def _home_option(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--home" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--home="):
            return arg.split("=", 1)[1]
    return None


def matplotlib_dir(argv: list[str]) -> str:
    """``<pmload's cache>/matplotlib-<bundle>``: --home, else PMLOAD_HOME, else the user's."""
    from pmload.paths import resolve_paths

    home = _home_option(argv)
    cache = resolve_paths(os.path.expanduser(home) if home else None).cache_dir
    where = getattr(sys, "_MEIPASS", os.path.dirname(os.path.abspath(__file__)))
    tag = hashlib.sha1(where.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return str(cache / f"matplotlib-{tag}")
