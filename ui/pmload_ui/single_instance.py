"""One app per pmload home: a second launch hands its files to the first one and exits.

The first ``pmload-gui`` on a home holds a lock file in its data folder
(``pmload-gui.lock``, a QLockFile, so the lock of an app that crashed is taken
over) and listens on a local socket named after the home. A later launch on the
same home cannot take the lock: it connects, sends the absolute paths of the
files on its command line, waits for the answer and exits 0; the first one
raises its window and imports the files.

Protocol (one connection per launch): the client sends one line of UTF-8 JSON,
``{"files": ["/abs/path.ics", ...]}``, and the server answers ``ok`` and a
newline. Nothing else is accepted: a line over MAX_MESSAGE bytes or that is not
that JSON is dropped with the connection.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, QThread, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QMainWindow

from pmload.paths import Paths

log = logging.getLogger(__name__)

MAX_MESSAGE = 1_000_000
LOCK_NAME = "pmload-gui.lock"


def server_name(paths: Paths) -> str:
    """The socket's name: the same for every launch on this home by this user."""
    where = str(paths.data_dir.expanduser().resolve())
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    digest = hashlib.sha256(f"{user}\0{where}".encode("utf-8", "surrogateescape")).hexdigest()
    return f"pmload-{digest[:24]}"


class SingleInstance(QObject):
    """The lock and the local server of the first app on a home.

    Signals:
        activated(list): a later launch asked to be shown; its files (str paths).
    """

    activated = Signal(list)

    def __init__(self, paths: Paths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(paths)
        with contextlib.suppress(OSError):
            paths.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock = QLockFile(str(paths.data_dir / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def acquire(self) -> bool:
        """Become the home's app (True), or find that another one already is (False).

        A lock that cannot be written at all (a read-only folder) guards nothing:
        the app then runs without it rather than claim another one is open.
        """
        if not self._lock.tryLock(0):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                return False
            log.warning("single instance: no lock file (%s)", self._lock.error().name)
            return True
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        if not server.listen(self.name):
            log.warning("single instance: cannot listen (%s)", server.serverError().name)
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def hand_over(self, files: Sequence[str], timeout_ms: int = 5000) -> bool:
        """Send ``files`` to the running app; False when it does not answer in time."""
        message = json.dumps({"files": [str(Path(f).absolute()) for f in files]}) + "\n"
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(1000):
                break
            # the first app takes the lock just before it listens: it may be starting
            socket.abort()
            if time.monotonic() >= deadline:
                return False
            QThread.msleep(200)
        socket.write(QByteArray(message.encode("utf-8")))
        socket.flush()
        answer = b""
        while b"\n" not in answer and socket.waitForReadyRead(timeout_ms):
            answer += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        return answer.strip() == b"ok"

    # --- the server side -------------------------------------------------------

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE:
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        files = _parse(line)
        if files is None:
            log.warning("single instance: a message that is not a launch was dropped")
            socket.abort()
            return
        socket.write(QByteArray(b"ok\n"))
        socket.flush()
        self.activated.emit(files)


def _parse(line: bytes) -> list[str] | None:
    if len(line) > MAX_MESSAGE:
        return None
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    files = message.get("files") if isinstance(message, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return [str(f) for f in files]


def bring_to_front(window: QMainWindow) -> None:
    """Show the window (from the tray or minimised), raise it and give it the focus."""
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()


def open_files(window: QMainWindow, files: Sequence[str]) -> None:
    """Raise ``window`` and import ``files`` (.ics files, folders, zip exports).

    The importer says which files it could not read; a launch during an import
    waits for that import to end rather than being dropped.
    """
    bring_to_front(window)
    if not files:
        return
    imports = getattr(window, "imports", None)
    if imports is None:
        return
    if imports.progress is not None:
        QTimer.singleShot(500, lambda: open_files(window, files))
        return
    imports.start([Path(f) for f in files])
