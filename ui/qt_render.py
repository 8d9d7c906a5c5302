"""The thin Qt adapter over ``app.live_render.BackgroundRenderer``.

Edits arrive in bursts (a drag, a chain of undos), so requests are coalesced
for ``DEBOUNCE_MS`` before a snapshot goes to the render thread; its results
come back as queued signals on the GUI thread.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.live_render import BackgroundRenderer
from app.mixdown import Mixdown
from app.project import Project

DEBOUNCE_MS = 120


class QtRenderer(QObject):
    """Lifecycle: ``QtRenderer(sample_rate)`` -> ``request(project)`` after changes -> ``close()``."""

    ready = Signal(object)
    """A ``Mixdown`` of the latest requested project."""
    failed = Signal(str)
    busy_changed = Signal(bool)
    _relay_ready = Signal(object)
    _relay_failed = Signal(str)

    def __init__(self, sample_rate: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sample_rate = sample_rate
        self._project: Project | None = None
        self._busy = False
        self._relay_ready.connect(self._on_ready)
        self._relay_failed.connect(self._on_failed)
        self.renderer = BackgroundRenderer(
            sample_rate=sample_rate, on_ready=lambda m: _safe_emit(self._relay_ready, m),
            on_error=lambda exc: _safe_emit(self._relay_failed, _describe(exc)))
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS, timeout=self._send)

    @property
    def latest(self) -> Mixdown | None:
        return self.renderer.latest

    @property
    def busy(self) -> bool:
        return self._busy

    def request(self, project: Project, *, now: bool = False) -> None:
        """Render ``project`` soon (``now``: without waiting for more edits)."""
        self._project = project
        self._set_busy(True)
        if now:
            self._send()
        else:
            self._timer.start()

    def _send(self) -> None:
        self._timer.stop()
        if self._project is not None:
            self.renderer.request(self._project)

    def _on_ready(self, mixdown: Mixdown) -> None:
        if not self._timer.isActive() and not self.renderer.busy:
            self._set_busy(False)
        self.ready.emit(mixdown)

    def _on_failed(self, message: str) -> None:
        self._set_busy(False)
        self.failed.emit(message)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    def close(self) -> None:
        self._timer.stop()
        self.renderer.close()


def _describe(exc: BaseException) -> str:
    return str(exc) if str(exc) else type(exc).__name__


def _safe_emit(signal, value) -> None:
    """Emit from a worker thread; a window that is already gone just misses the news."""
    try:
        signal.emit(value)
    except RuntimeError:
        pass
