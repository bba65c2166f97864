"""pmload: audit a product manager's calendar load. Qt-free core.

``pmload.__version__`` is read on first use (see :mod:`pmload.appinfo`), so a
command that never shows it does not pay for reading package metadata.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    if name == "__version__":
        from pmload.appinfo import version

        return version()
    raise AttributeError(f"module 'pmload' has no attribute {name!r}")
