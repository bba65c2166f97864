"""The Google stack is imported on the GUI thread, never by a worker.

PySide6 hooks every import; importing on a pool thread while the GUI thread
runs can corrupt memory (pmload_ui.workers). A fresh interpreter connects,
lists calendars and syncs through the app's own code, and every module
loaded on a Qt pool thread (a thread Python did not start) is reported.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

SCRIPT = r"""
import os, sys, threading, time
late = []
def audit(event, args):
    if event == "import" and threading.current_thread().name.startswith("Dummy"):
        late.append(args[0])
sys.addaudithook(audit)

from pathlib import Path
from urllib.parse import parse_qs, urlsplit
import urllib.request
from tests.google_fake import CLIENT, ME, SCOPE, event, start_fake
fake = start_fake()
fake.events[ME] = [event("e1", "Model review", "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z")]
os.environ["PMLOAD_GOOGLE_API_ROOT"] = fake.root
home = Path(sys.argv[1])
secrets = home.parent / "client.json"
import json
secrets.write_text(json.dumps(CLIENT))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from pmload.context import Context
from pmload_ui.main_window import MainWindow
from pmload_ui.session import Session
from pmload.google import auth

def browser(url):
    q = parse_qs(urlsplit(url).query)
    back = f"{q['redirect_uri'][0]}?code=the-code&state={q['state'][0]}&scope={SCOPE}"
    threading.Thread(target=lambda: urllib.request.urlopen(back).read(), daemon=True).start()
    return True
auth.open_browser = browser

ctx = Context(str(home), "Europe/Paris")
ctx.paths.ensure()
window = MainWindow(Session(ctx), QSettings(str(ctx.paths.gui_settings_file), QSettings.Format.IniFormat))
window.open_google()
dialog = window.google_dialog
dialog.secrets.setText(str(secrets))
dialog.start_connect()
deadline = time.monotonic() + 60
while time.monotonic() < deadline and not (window.session.has_data() and not window.session.busy
                                           and dialog.calendars.count() == 2):
    app.processEvents()
    time.sleep(0.01)
assert window.session.has_data(), "no data"
print("LATE", sorted(set(late)))
fake.server.stop()
"""


def test_connect_and_sync_import_nothing_on_a_worker_thread(tmp_path: object) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "ui")]),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    home = f"{tmp_path}/home"
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, home], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    late = next(line for line in out.stdout.splitlines() if line.startswith("LATE"))
    assert late == "LATE []"
