"""What pmload says about itself: its id, version, license, and the libraries it ships.

The version has one source, ``version`` in pyproject.toml: installed (a wheel,
``pip install -e .``, a bundle that copied pmload's metadata) it is read from
the distribution's metadata; run from a source tree that was never installed,
from the pyproject.toml beside the package.

The licenses of bundled libraries come from each installed distribution's
metadata. A bundle cannot read them at run time (it ships no site-packages),
so ``make bundle`` writes them to ``licenses.json`` among the resources
(:func:`write_components`) and :func:`components` reads that file when it is
there. Format: a JSON list of ``{"name": str, "version": str, "license": str}``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# The reverse-DNS application id: the .desktop file's and AppStream's name, the
# icon's name and QGuiApplication.desktopFileName (packaging/ uses it verbatim).
APP_ID = "io.github.pmload.Pmload"
DIST_NAME = "pmload"
LICENSE = "MIT"
LICENSES_RESOURCE = "licenses.json"
_UNKNOWN_VERSION = "0+unknown"
_SPDX = re.compile(
    r"^\(?[A-Za-z0-9.+-]+\)?(\s+(AND|OR|WITH)\s+\(?[A-Za-z0-9.+-]+\)?)*$", re.IGNORECASE
)
_cached_version: str | None = None


@dataclass(frozen=True, slots=True)
class Component:
    """One library shipped with pmload."""

    name: str
    version: str
    license: str


def version() -> str:
    """pmload's version: installed metadata, else the source tree's pyproject.toml."""
    global _cached_version
    if _cached_version is None:
        _cached_version = _installed_version() or _source_version() or _UNKNOWN_VERSION
    return _cached_version


def _installed_version() -> str | None:
    from importlib import metadata

    try:
        return metadata.version(DIST_NAME)
    except metadata.PackageNotFoundError:
        return None


def _source_version() -> str | None:
    import tomllib

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    if project.get("name") != DIST_NAME or not isinstance(project.get("version"), str):
        return None
    return str(project["version"])


def is_frozen() -> bool:
    """True in a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def components(shipped: Traversable | None = None) -> list[Component]:
    """The libraries pmload runs on, with their licenses, sorted by name.

    A bundle's list (``shipped``, by default the ``licenses.json`` resource) was
    written when it was built; without one it is read from the installed
    distributions that pmload requires (extras left out).
    """
    if shipped is None:
        from pmload.resources_path import resource

        shipped = resource(LICENSES_RESOURCE)
    if shipped.is_file():
        rows = json.loads(shipped.read_text(encoding="utf-8"))
        return [Component(str(r["name"]), str(r["version"]), str(r["license"])) for r in rows]
    return _from_metadata(None)


def write_components(target: Path, modules: Iterable[str] | None = None) -> list[Component]:
    """Write the licenses list to ``target`` (bundle time); only the distributions
    that provide one of ``modules`` (top-level import names) when it is given."""
    found = _from_metadata(None if modules is None else set(modules))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([asdict(c) for c in found], indent=1) + "\n", encoding="utf-8")
    return found


def _from_metadata(modules: set[str] | None) -> list[Component]:
    from importlib import metadata

    names = _requirement_closure()
    if modules is not None:
        providing = metadata.packages_distributions()
        shipped = {_norm(d) for m in modules for d in providing.get(m, ())}
        names = [n for n in names if n in shipped]
    out = [Component("Python", sys.version.split()[0], "PSF-2.0")]
    for name in names:
        dist = metadata.distribution(name)
        out.append(Component(dist.metadata["Name"], dist.version, license_of(dist.metadata)))
    return sorted(out, key=lambda c: c.name.lower())


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_closure() -> list[str]:
    """Installed distributions pmload needs at run time (not its extras), normalised."""
    from importlib import metadata as md

    seen: dict[str, None] = {}
    todo = [DIST_NAME]
    while todo:
        try:
            dist = md.distribution(todo.pop())
        except md.PackageNotFoundError:
            continue
        for req in dist.requires or ():
            if "extra" in req.partition(";")[2]:
                continue
            m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
            if m is None:
                continue
            name = _norm(m.group(1))
            if name not in seen and name != DIST_NAME:
                seen[name] = None
                todo.append(name)
    installed = []
    for name in seen:
        try:
            md.distribution(name)
        except md.PackageNotFoundError:
            continue
        installed.append(name)
    return installed


def license_of(meta: object) -> str:
    """A distribution's license: an SPDX expression, else its trove classifiers,
    else a short License field as written."""
    get = getattr(meta, "get", None)
    get_all = getattr(meta, "get_all", None)
    if get is None or get_all is None:
        return "see its metadata"
    fields = [str(get(key) or "").strip() for key in ("License-Expression", "License")]
    for value in fields:
        if value and "\n" not in value and _SPDX.match(value):
            return value
    trove = [
        c.split("::")[-1].strip()
        for c in get_all("Classifier") or []
        if c.startswith("License ::") and c.count("::") >= 2
    ]
    if trove:
        return " / ".join(trove)
    short = [v for v in fields if v and "\n" not in v and len(v) <= 60]
    return short[0] if short else "see its metadata"
