"""Keeping rendered audio up to date for playback, off the GUI thread (no Qt here).

The GUI calls ``request(project)`` after every change; a worker thread renders
a snapshot with a ``RenderedTracks``, so only the tracks whose content changed are
rendered again (mute, solo and track order only re-mix). A newer request
cancels the running render; tracks it had finished stay cached. A thin Qt
adapter in ui/ turns the ``on_ready`` / ``on_error`` hooks into signals.
"""
from __future__ import annotations

import threading
from typing import Callable

from app.mixdown import AUTO, Mixdown, render_project
from app.project import Project
from app.rendered_tracks import RenderedTracks
from engines.common import CancelToken, Cancelled, Progress, no_progress
from engines.render import SoundFont


class BackgroundRenderer:
    """Renders the latest requested project in one worker thread.

    Lifecycle: idle when made. ``request(project)`` snapshots the project and
    starts a render (cancelling one in flight). When it finishes, ``latest``
    holds its Mixdown and ``on_ready(mixdown)`` runs on the worker thread; a
    failure calls ``on_error(exc)`` instead and leaves ``latest`` as it was.
    ``close()`` cancels and waits; after it, ``request`` does nothing.
    """

    def __init__(self, *, sample_rate: int = 44100,
                 on_ready: Callable[[Mixdown], None] = lambda m: None,
                 on_error: Callable[[BaseException], None] = lambda e: None,
                 progress: Progress = no_progress,
                 sound_font: SoundFont | None | str = AUTO) -> None:
        self.sample_rate = sample_rate
        self.cache = RenderedTracks()
        self.latest: Mixdown | None = None
        self._on_ready, self._on_error, self._progress = on_ready, on_error, progress
        self._sound_font = sound_font
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._pending: Project | None = None
        self._token: CancelToken | None = None
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="partita-render", daemon=True)
        self._thread.start()

    def request(self, project: Project) -> None:
        """Render ``project`` as it is now (a snapshot is taken on the caller's thread)."""
        copy = project.snapshot()
        with self._lock:
            if self._closed:
                return
            self._pending = copy
            if self._token is not None:
                self._token.cancel()
            self._wake.notify()

    @property
    def busy(self) -> bool:
        """Whether a render is queued or running."""
        with self._lock:
            return self._busy or self._pending is not None

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or running; False on timeout (for tests, CLI)."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._busy and self._pending is None, timeout)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._pending = None
            if self._token is not None:
                self._token.cancel()
            self._wake.notify_all()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._pending is not None or self._closed)
                if self._closed:
                    return
                project, self._pending = self._pending, None
                assert project is not None
                self._token, self._busy = CancelToken(), True
                token = self._token
            self._render(project, token)
            with self._wake:
                self._busy, self._token = False, None
                self._wake.notify_all()

    def _render(self, project: Project, token: CancelToken) -> None:
        try:
            mixdown = render_project(project, sample_rate=self.sample_rate, cache=self.cache,
                                     progress=self._progress, cancel=token,
                                     sound_font=self._sound_font)
        except Cancelled:
            return
        except Exception as exc:  # a failed render must not kill the worker or the GUI
            self._on_error(exc)
            return
        self.latest = mixdown
        self._on_ready(mixdown)
