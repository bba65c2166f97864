"""The weekly translation shares beside the journal, worked out in the background.

They come from an audit of all history (about half a second for three busy
years), so the Journal view never computes them on the GUI thread: it asks
with :meth:`SharesCache.request` and redraws on ``ready``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from pmload_ui.background import BackgroundOp

# Week label -> translation share over all history. Called on a pool thread: it
# may only read state nobody changes (the app's Analysis is replaced, never changed).
WeeklyShares = Callable[[], dict[str, float]]


class SharesCache(QObject):
    """The last shares worked out, until the figures change or the journal locks.

    Signals:
        ready(): :attr:`shares` is known again (``{}`` when the audit failed: the
            op logged its type and code lines).
    """

    ready = Signal()

    def __init__(self, work: WeeklyShares | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._shares: dict[str, float] | None = None if work is not None else {}
        self._op: BackgroundOp[dict[str, float]] | None = None
        self._generation = 0  # a result started before the last change is dropped
        self._wanted = False

    @property
    def shares(self) -> dict[str, float] | None:
        """The shares, or None while they are not worked out yet."""
        return self._shares

    @property
    def working(self) -> bool:
        return self._op is not None

    def invalidate(self) -> None:
        """The figures changed: the next :meth:`request` works them out again."""
        if self._work is not None:
            self._shares = None
            self._generation += 1

    def forget(self) -> None:
        """The journal locked: drop the shares and any result on its way."""
        self.invalidate()
        self._wanted = False

    def request(self) -> None:
        """Work the shares out in the background unless they are known or coming."""
        work = self._work
        if work is None or self._shares is not None:
            return
        self._wanted = True
        if self._op is not None:
            return
        generation = self._generation

        def arrived(shares: dict[str, float]) -> None:
            self._op = None
            if generation != self._generation:
                if self._wanted:
                    self.request()  # the figures changed meanwhile
                return
            self._shares, self._wanted = shares, False
            self.ready.emit()

        def failed(_exc: BaseException) -> None:
            arrived({})

        op = BackgroundOp(lambda _job: dict(work()), self).success(arrived).failure(failed)
        self._op = op.run_in_background()
