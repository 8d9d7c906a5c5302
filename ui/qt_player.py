"""The thin Qt adapter over ``app.player.Player``: a timer moves the playhead.

Audio comes from the renderer (``QtRenderer``): every change re-renders what
it touched in the background, and the new stems swap into the player even
while it plays. Stems carry each track's gain and pan; mute and solo are
applied by the player at once. Sound goes to the sound card through
``DeviceOutput`` when PortAudio and an output device exist; otherwise
``ClockOutput`` runs the same player silently in real time (the playhead
still moves) and ``status`` says why there is no sound.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.audio_output import ClockOutput, DeviceOutput, PlaybackUnavailable, unavailable_reason
from app.mixdown import Mixdown
from app.player import Player, mute_solo_levels
from app.rendered_tracks import RenderedTracks
from ui.document_model import DocumentModel
from ui.qt_render import QtRenderer
from ui.time_axis import TimeAxis


class QtPlayer(QObject):
    """Lifecycle: one per window -> ``play``/``stop``/``seek`` -> ``close()`` at exit."""

    playing_changed = Signal(bool)
    status_changed = Signal(str)
    """Why playback is limited, or what it waits for ("" when all is well)."""

    def __init__(self, model: DocumentModel, axis: TimeAxis, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model, self.axis = model, axis
        self.player = Player(model.project.sample_rate)
        self.follow = True
        self.device_reason: str | None = None
        self.render_note: str | None = None
        self.output: DeviceOutput | ClockOutput | None = None
        self._play_when_ready = False
        self._have_stems = False
        self._audition: tuple[float, float] | None = None
        self.renderer = QtRenderer(model.project.sample_rate, self)
        self.renderer.ready.connect(self._rendered)
        self.renderer.failed.connect(self._render_failed)
        self.renderer.busy_changed.connect(lambda _busy: self.status_changed.emit(self.status))
        self.timer = QTimer(self, interval=16, timeout=self._tick)
        model.rendered_stem = lambda track_id: self.player.stems.get(track_id) if self._have_stems else None
        for signal in (model.notes_changed, model.track_changed, model.curve_changed):
            signal.connect(lambda *_: self._project_changed())
        model.tracks_changed.connect(self._project_changed)
        model.meta_changed.connect(self._project_changed)
        model.document_replaced.connect(self._document_replaced)
        self._apply_project()

    # -- status -------------------------------------------------------------------------------
    def start_rendering(self) -> None:
        """Render the project now (the window calls this once it is shown)."""
        self.renderer.request(self.model.project, now=True)

    def probe_device(self) -> str:
        """Look for PortAudio and an output device (once); return the status text."""
        if self.output is None:
            self.device_reason = unavailable_reason()
            self.output = DeviceOutput(self.player) if self.device_reason is None else ClockOutput(self.player)
        self.status_changed.emit(self.status)
        return self.status

    @property
    def status(self) -> str:
        notes = [self.device_reason, self.render_note]
        if self.renderer.busy and not self._have_stems:
            notes.append("rendering audio…")
        return " · ".join(n for n in notes if n)

    # -- transport ----------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.player.playing or self._play_when_ready

    def toggle(self) -> None:
        self.stop() if self.playing else self.play()

    def play(self) -> None:
        if self.output is None:
            self.probe_device()
        if not self._have_stems:
            self._play_when_ready = True
            if not self.renderer.busy:
                self.start_rendering()
            self.playing_changed.emit(True)
            return
        self._play_when_ready = False
        self._apply_project()
        self.player.play(self.axis.playhead)
        try:
            self.output.start()
        except PlaybackUnavailable as exc:
            self.device_reason = str(exc)
            self.output = ClockOutput(self.player)
            self.output.start()
            self.status_changed.emit(self.status)
        self.timer.start()
        self.playing_changed.emit(True)

    def stop(self) -> None:
        self._play_when_ready = False
        self.player.stop()
        if isinstance(self.output, ClockOutput):
            self.output.close()
        self.timer.stop()
        self.axis.set_playhead(self.player.position())
        self.playing_changed.emit(False)

    def seek(self, seconds: float) -> None:
        self.player.seek(max(0.0, seconds))
        self.axis.set_playhead(max(0.0, seconds))

    def to_start(self) -> None:
        self.seek(0.0)

    # -- auditioning (the variation picker) ---------------------------------------------------------
    def audition(self, start: float, end: float) -> None:
        """Loop ``start``..``end`` seconds from ``start``, whatever the project's loop says (which
        stays as it is); ``end_audition`` stops and goes back to it."""
        self._audition = (start, end)
        self._apply_project()
        self.seek(start)
        if not self.playing:
            self.play()

    def end_audition(self) -> None:
        if self._audition is not None:
            self._audition = None
            self.stop()
            self._apply_project()

    @property
    def auditioning(self) -> tuple[float, float] | None:
        """The span looped by ``audition`` (seconds), or None."""
        return self._audition

    def use_renders(self, renders: RenderedTracks) -> None:
        """Give the renderer tracks rendered ahead (a variation) and render now: what it finds
        in its cache it does not render again, so the new audio arrives at once."""
        self.renderer.renderer.cache.adopt(renders)
        self.renderer.request(self.model.project, now=True)

    def close(self) -> None:
        self.stop()
        self.renderer.close()
        if self.output is not None:
            self.output.close()

    # -- internals -------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if isinstance(self.output, ClockOutput):
            self.output.pump()
        position = self.player.position()
        self.axis.set_playhead(position)
        if self.follow:
            self.axis.follow(position)
        if not self.player.playing:
            self.stop()

    def _project_changed(self) -> None:
        self._apply_project()
        self.renderer.request(self.model.project)

    def _document_replaced(self) -> None:
        self.stop()
        rate = self.model.project.sample_rate
        if rate != self.player.sample_rate:
            self.renderer.close()
            self.player.sample_rate = rate
            self.renderer = QtRenderer(rate, self)
            self.renderer.ready.connect(self._rendered)
            self.renderer.failed.connect(self._render_failed)
            self.renderer.busy_changed.connect(lambda _busy: self.status_changed.emit(self.status))
        self.player.set_stems({})
        self._have_stems = False
        self._project_changed()

    def _apply_project(self) -> None:
        project = self.model.project
        self.player.set_levels(mute_solo_levels(project))
        latest = self.renderer.latest if self._have_stems else None
        seconds = max(project.duration, project.content_end_seconds(), latest.seconds if latest else 0.0)
        self.player.set_length(seconds)
        if self._audition is not None:
            self.player.set_loop(*self._audition, enabled=True)
            return
        start, end = (float(project.tick_to_seconds(t)) for t in (project.loop_start, project.loop_end))
        self.player.set_loop(start, end, enabled=project.loop_enabled)

    def _rendered(self, mixdown: Mixdown) -> None:
        self.player.set_stems(mixdown.stems)
        self._have_stems = True
        self.render_note = " ".join(mixdown.notes) or None
        self._apply_project()
        self.status_changed.emit(self.status)
        if self._play_when_ready:
            self.play()

    def _render_failed(self, message: str) -> None:
        self.render_note = f"rendering failed: {message}"
        self.status_changed.emit(self.status)
        if self._play_when_ready:
            self._play_when_ready = False
            self.playing_changed.emit(False)
