"""The one helper that reads files shipped in resources/ (package pmload.resources)."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable


def resource(name: str) -> Traversable:
    """The shipped resource file ``name`` (e.g. ``"default_rules.toml"``)."""
    return resources.files("pmload.resources").joinpath(name)


def read_text(name: str) -> str:
    return resource(name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    return resource(name).read_bytes()
