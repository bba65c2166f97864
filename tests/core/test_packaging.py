"""What the wheel carries: every resource file, and both commands."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_resource_file_is_package_data() -> None:
    """A file in resources/ that no pattern names is missing from wheels and bundles alike."""
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["pmload.resources"]
    root = REPO / "resources"
    shipped = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != "licenses.json"
    ]
    assert any(name.startswith("icons/") for name in shipped)
    # setuptools expands the patterns as globs under the package's folder ("*" stays in one folder)
    matched = {m for pat in patterns for m in glob.glob(pat, root_dir=root, recursive=True)}
    missing = [name for name in shipped if name != "__init__.py" and name not in matched]
    assert missing == []


def test_both_commands_are_entry_points() -> None:
    project = PYPROJECT["project"]
    assert project["scripts"] == {"pmload": "pmload.cli:main"}
    assert project["gui-scripts"] == {"pmload-gui": "pmload_ui.app:main"}


def test_the_shipped_how_it_counts_is_the_docs_page() -> None:
    """Help › How pmload Counts reads the package's copy: it must say what the docs say."""
    from pmload.resources_path import read_text

    docs = (REPO / "docs" / "how-it-counts.md").read_text(encoding="utf-8")
    assert read_text("how-it-counts.md") == docs, (
        "copy docs/how-it-counts.md to resources/how-it-counts.md"
    )
