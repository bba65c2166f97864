"""``pmload-gui``: the Qt application entry point.

    pmload-gui [--home DIR] [--tz ZONE] [FILE ...]
    pmload-gui --screenshot FILE.png [--view week|review|people|trends|settings|journal]
               [--week YYYY-Www]

FILEs (.ics files, folders, zip exports) are imported. One app runs per home:
a second launch on the same home raises the first one's window, hands it its
FILEs and exits (pmload_ui.single_instance).

``--screenshot`` renders the main window offscreen at its default size with
the current data and exits 0 (for the README images and for checks).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from pmload.logs import log_unexpected

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from pmload.paths import Paths
    from pmload_ui.main_window import MainWindow
    from pmload_ui.single_instance import SingleInstance

START = time.perf_counter()

log = logging.getLogger(__name__)

VIEWS = ("week", "review", "people", "trends", "settings", "journal")
_QT_LOG = logging.getLogger("qt")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="pmload-gui", description="pmload: where a product manager's meeting time goes."
    )
    p.add_argument("--home", metavar="DIR", help="keep everything under DIR (like PMLOAD_HOME)")
    p.add_argument("--tz", metavar="ZONE", help="IANA time zone, e.g. Europe/Paris")
    p.add_argument(
        "--screenshot", metavar="FILE.png", help="render the main window to FILE.png and exit"
    )
    p.add_argument("--view", choices=VIEWS, default=None, help="the view to show first")
    p.add_argument("--week", metavar="YYYY-Www", help="the week to show, e.g. 2026-W02")
    p.add_argument(
        "files", nargs="*", metavar="FILE", help=".ics files, folders or zip exports to import"
    )
    return p.parse_args(list(argv) if argv is not None else None)


def qt_message_handler(mode: object, context: object, message: str) -> None:
    """Route Qt's own messages into logging (logger ``qt``)."""
    from PySide6.QtCore import QtMsgType

    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(mode, logging.WARNING)  # type: ignore[call-overload]
    _QT_LOG.log(level, "%s", message)


def make_excepthook(
    log_file: object, show: Callable[[str], None]
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    """An excepthook for errors nobody caught: log where, write a crash report beside
    the log, tell the user, keep running.

    Only the exception's type and the code lines of its traceback are logged and
    reported, never its message or any value: a message could quote journal text.
    """
    from pathlib import Path

    from pmload_ui.crash import write_report

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log_unexpected(log, exc, tb)
        report = write_report(Path(str(log_file)).parent, exc, tb)
        where = f"A report (without your calendar or journal) is in {report}" if report else ""
        show(
            "Something went wrong inside pmload; your data is safe. "
            f"The details are in {log_file}. {where}".strip()
        )

    return hook


def _critical(text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, "pmload", text)


def install_message_handler() -> None:
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(qt_message_handler)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pmload.context import Context
    from pmload.errors import PmloadError
    from pmload.logs import setup_logging

    try:
        ctx = Context(args.home, args.tz)
        setup_logging(ctx.paths)
    except PmloadError as exc:
        print(f"pmload-gui: {exc}", file=sys.stderr)
        return 1
    install_message_handler()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from pmload.appinfo import APP_ID

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "pmload-gui"])
    assert isinstance(app, QApplication)
    app.setApplicationName("pmload")
    app.setApplicationDisplayName("pmload")
    app.setOrganizationName("pmload")
    if not args.screenshot:  # reading the package metadata costs a screenshot ~50 ms
        from pmload import __version__

        app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)

    instance: SingleInstance | None = None
    if not args.screenshot:
        from pmload_ui.single_instance import SingleInstance

        instance = SingleInstance(ctx.paths)
        if not instance.acquire():
            if instance.hand_over(args.files):
                log.info("handed over to the pmload already open on this home")
                return 0
            print(ALREADY_OPEN, file=sys.stderr)
            _critical(ALREADY_OPEN)
            return 1

    from pmload_ui.icon import app_icon
    from pmload_ui.main_window import MainWindow
    from pmload_ui.session import Session

    app.setWindowIcon(app_icon())

    try:
        ctx.paths.ensure()
        if args.week:
            from pmload.period import parse_week

            week = parse_week(args.week)
        session = Session(ctx)
        ctx.settings  # noqa: B018 - validate rules.toml now, not in the middle of a view
        ctx.zone  # noqa: B018
    except PmloadError as exc:
        print(f"pmload-gui: {exc}", file=sys.stderr)
        if not args.screenshot:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "pmload", str(exc))
        return 1
    qsettings = QSettings(str(ctx.paths.gui_settings_file), QSettings.Format.IniFormat)
    window = MainWindow(session, qsettings)

    if args.screenshot:
        return _screenshot(app, window, session, args, week if args.week else None)

    bench = os.environ.get("PMLOAD_GUI_BENCH", "")
    if bench == "paint":
        # The benchmark: report the first paint, then quit.
        def painted() -> None:
            print(f"painted {time.perf_counter() - START:.4f}", flush=True)
            app.quit()

        window.firstPainted.connect(painted)
    else:
        # The first-run questions first (data imported with the CLI, none answered yet),
        # then the load, then the Google sync on start, when connected and it is on; and
        # the subscriptions' refresh (one conditional request each), when that setting is on
        window.firstPainted.connect(
            lambda: window.imports.ask_first_run_questions(
                then=lambda: session.load_async(window.google.start_once)
            )
        )
        window.firstPainted.connect(window.imports.start_once)
    if bench == "load":
        # The benchmark: report when all history is loaded and classified, with memory.
        def loaded() -> None:
            print(f"loaded {time.perf_counter() - START:.4f} rss_mb {_rss_mb():.1f}", flush=True)
            app.quit()

        session.loaded.connect(loaded)
    if args.view:
        window.show_view(args.view)
    if args.week:
        session.set_week(week)
    sys.excepthook = make_excepthook(ctx.paths.log_file, _critical)
    window.show()
    log.info("window shown %.3f s after start", time.perf_counter() - START)
    return _run(app, window, qsettings, ctx.paths, instance, args.files, bench)


ALREADY_OPEN = (
    "pmload is already open on this data folder but does not answer; "
    "close it (or end its process) and try again."
)


def _run(
    app: QApplication,
    window: MainWindow,
    qsettings: QSettings,
    paths: Paths,
    instance: SingleInstance | None,
    files: list[str],
    bench: str,
) -> int:
    """The event loop of a normal start: later launches' files, the crash offer, clean up."""
    from PySide6.QtCore import QTimer

    from pmload_ui import crash
    from pmload_ui.single_instance import open_files

    if instance is not None:
        instance.activated.connect(lambda later: open_files(window, later))
    crash.enable_fault_log(paths.log_dir)
    if files:
        QTimer.singleShot(0, lambda: open_files(window, files))
    if not bench:
        QTimer.singleShot(0, lambda: crash.offer_last_report(window, paths.log_dir, qsettings))
    try:
        return int(app.exec())
    finally:
        crash.disable_fault_log(paths.log_dir)
        if instance is not None:
            instance.release()


def _rss_mb() -> float:
    """Resident memory now (Linux /proc), in MB; 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _screenshot(
    app: object, window: object, session: object, args: argparse.Namespace, week: object
) -> int:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from pmload_ui.main_window import MainWindow
    from pmload_ui.session import Session

    assert isinstance(window, MainWindow) and isinstance(session, Session)
    window.remember_state = False
    if (args.view or "week") == "week":
        session.load_week_now(week)  # type: ignore[arg-type]
    else:
        session.load_now()
    if week is not None:
        session.set_week(week)  # type: ignore[arg-type]
    window.resize(window.default_size())
    window.show_view(args.view or "week", remember=False)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    window.settle()
    QApplication.processEvents()
    target = Path(args.screenshot)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target)):
        print(f"pmload-gui: cannot write {target}.", file=sys.stderr)
        return 1
    window.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
