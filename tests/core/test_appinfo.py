"""pmload's version comes from pyproject.toml alone; the licenses list names what ships."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from pmload import appinfo

REPO = Path(__file__).resolve().parents[2]


def pyproject_version() -> str:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def test_every_surface_shows_the_pyproject_version() -> None:
    import pmload

    assert appinfo.version() == pyproject_version()
    assert pmload.__version__ == pyproject_version()
    out = subprocess.run(
        [sys.executable, "-m", "pmload", "--version"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and out.stdout.strip() == f"pmload {pyproject_version()}"


def test_a_source_tree_that_was_never_installed_reads_pyproject() -> None:
    assert appinfo._source_version() == pyproject_version()


def test_the_cli_does_not_read_package_metadata_unless_asked() -> None:
    """--version reads it; an ordinary command must not pay for importlib.metadata."""
    code = (
        "import sys; from pmload.cli import build_parser; build_parser(['sources']);"
        "print('importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_licenses_name_the_runtime_libraries_and_not_the_dev_tools() -> None:
    found = {c.name.lower(): c for c in appinfo.components()}
    assert "LGPL-3.0" in found["pyside6_essentials"].license
    assert found["cryptography"].license == "Apache-2.0 OR BSD-3-Clause"
    assert found["matplotlib"].license == "Python Software Foundation License"
    assert found["python"].license == "PSF-2.0"
    for dev_tool in ("pytest", "mypy", "ruff", "pyinstaller", "hypothesis"):
        assert dev_tool not in found, f"{dev_tool} is a dev dependency, not shipped"
    assert found["numpy"].version == metadata.version("numpy")


def test_a_bundle_reads_the_list_written_when_it_was_built(tmp_path: Path) -> None:
    target = tmp_path / "licenses.json"
    written = appinfo.write_components(target, modules={"PySide6", "shiboken6", "tzdata"})
    names = sorted(c.name for c in written)
    assert names == ["PySide6_Essentials", "Python", "shiboken6", "tzdata"]
    assert json.loads(target.read_text(encoding="utf-8"))[0].keys() == {
        "name",
        "version",
        "license",
    }
    assert appinfo.components(target) == written


def test_a_license_field_holding_the_whole_text_is_not_shown_as_the_license() -> None:
    from email.message import Message

    meta = Message()
    meta["License"] = "Copyright (c) 2001 Somebody\nPermission is hereby granted ..."
    meta["Classifier"] = "License :: OSI Approved :: MIT License"
    assert appinfo.license_of(meta) == "MIT License"
    bare = Message()
    bare["License"] = "3-Clause BSD License"
    assert appinfo.license_of(bare) == "3-Clause BSD License"
