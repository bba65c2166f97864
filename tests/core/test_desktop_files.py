"""The launcher entry, AppStream metadata and icons: valid, one application id, installable."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pmload.appinfo import APP_ID, version

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = REPO / "resources" / "icons" / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (make installs it: desktop-file-utils, appstream)")
    return found


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_one_application_id_names_everything() -> None:
    entry = desktop_entry(DESKTOP)
    assert entry["Icon"] == APP_ID
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable[@type='desktop-id']").text == f"{APP_ID}.desktop"  # type: ignore[union-attr]
    assert root.findtext("icon") == APP_ID
    app_py = (REPO / "ui" / "pmload_ui" / "app.py").read_text(encoding="utf-8")
    assert "app.setDesktopFileName(APP_ID)" in app_py
    assert (ICONS / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


def test_the_icon_comes_in_every_size_a_desktop_asks_for() -> None:
    for size in SIZES:
        assert png_size(ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)


def test_the_desktop_file_validates() -> None:
    out = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_the_metainfo_validates_and_announces_this_version() -> None:
    out = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    root = ET.parse(METAINFO).getroot()
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == version()
    assert newest.find("description") is not None, "release notes for this version"
    assert root.find("content_rating") is not None
    assert len(root.findall("screenshots/screenshot")) >= 1


def install(share: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(share)}
    return subprocess.run(
        ["sh", str(PACKAGING / "install-desktop.sh"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_install_desktop_puts_a_valid_entry_in_the_users_share_and_uninstall_removes_it(
    tmp_path: Path,
) -> None:
    gui = tmp_path / "My Apps" / "pmload" / "pmload-gui"  # a folder name with a space
    gui.parent.mkdir(parents=True)
    gui.write_text("#!/bin/sh\n", encoding="utf-8")
    gui.chmod(0o755)
    share = tmp_path / "share"
    (share / "applications").mkdir(parents=True)
    other = share / "applications" / "someone-else.desktop"
    other.write_text("[Desktop Entry]\n", encoding="utf-8")

    out = install(share, "--exec", str(gui))
    assert out.returncode == 0, out.stderr
    installed = share / "applications" / f"{APP_ID}.desktop"
    entry = desktop_entry(installed)
    assert entry["Exec"] == f'"{gui}" %F' and entry["TryExec"] == str(gui)
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(installed)], capture_output=True, text=True, timeout=60
        )
        assert check.returncode == 0, check.stdout

    out = install(share, "--uninstall")
    assert out.returncode == 0, out.stderr
    left = sorted(p.name for p in share.rglob("*") if p.is_file())
    assert APP_ID + ".desktop" not in left and not [n for n in left if n.startswith(APP_ID)]
    assert other.is_file(), "uninstall removed a file it had not installed"


def test_install_desktop_says_so_when_there_is_no_pmload_gui(tmp_path: Path) -> None:
    out = install(tmp_path / "share", "--exec", str(tmp_path / "nowhere" / "pmload-gui"))
    assert out.returncode == 1
    assert (
        out.stderr.strip() == "install-desktop: cannot find pmload-gui; name it with --exec PATH."
    )
    assert not (tmp_path / "share" / "applications" / f"{APP_ID}.desktop").exists()
