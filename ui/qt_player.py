"""The thin Qt adapter over ``app.player.Player``: a timer moves the playhead.

Sound goes to the sound card through ``DeviceOutput`` when PortAudio and an
output device exist; otherwise ``ClockOutput`` runs the same player silently
in real time (the playhead still moves) and ``status`` says why there is no
sound. Stems come from a pluggable ``StemSource`` (``app.playback``): audio
tracks always, MIDI tracks once a renderer is installed. Mute, solo, gain
and pan changes apply live; note and track changes re-prepare the stems at
the next play.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.audio_output import ClockOutput, DeviceOutput, PlaybackUnavailable, unavailable_reason
from app.jobs import Job
from app.playback import StemSource, audio_only_source, default_source
from app.player import Player, levels_for
from ui.document_model import DocumentModel
from ui.jobs_panel import QtJobRunner
from ui.time_axis import TimeAxis


class QtPlayer(QObject):
    """Lifecycle: one per window -> ``play``/``stop``/``seek`` -> ``close()`` at exit."""

    playing_changed = Signal(bool)
    status_changed = Signal(str)
    """Why playback is limited ("" when everything plays)."""

    def __init__(self, model: DocumentModel, axis: TimeAxis, jobs: QtJobRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model, self.axis, self.jobs = model, axis, jobs
        self.player = Player(model.project.sample_rate)
        self.follow = True
        self.device_reason: str | None = None
        self.output: DeviceOutput | ClockOutput | None = None
        self.source, self.source_note = default_source()
        self._stems_ready = False
        self._version = 0
        self._preparing: Job | None = None
        self.timer = QTimer(self, interval=16, timeout=self._tick)
        for signal in (model.notes_changed, model.tracks_changed, model.document_replaced):
            signal.connect(self._invalidate_stems)
        model.track_changed.connect(lambda _id: self._apply_project())
        model.meta_changed.connect(self._apply_project)
        self._apply_project()

    # -- status -------------------------------------------------------------------------------
    def probe_device(self) -> str:
        """Look for PortAudio and an output device (once); return the status text."""
        if self.output is None:
            self.device_reason = unavailable_reason()
            self.output = DeviceOutput(self.player) if self.device_reason is None else ClockOutput(self.player)
        self.status_changed.emit(self.status)
        return self.status

    @property
    def status(self) -> str:
        notes = [n for n in (self.device_reason, self.source_note) if n]
        return " · ".join(notes)

    def set_source(self, source: StemSource, note: str | None = None) -> None:
        """Plug in another stem source (e.g. a renderer); stems are re-prepared at the next play."""
        self.source, self.source_note = source, note
        self._invalidate_stems()
        self.status_changed.emit(self.status)

    # -- transport ----------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.player.playing

    def toggle(self) -> None:
        self.stop() if self.playing or self._preparing else self.play()

    def play(self) -> None:
        if self.output is None:
            self.probe_device()
        if not self._stems_ready:
            self._prepare_then_play()
            return
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
        if self._preparing is not None:
            self.jobs.cancel(self._preparing)
            self._preparing = None
        self.player.stop()
        if isinstance(self.output, ClockOutput):
            self.output.close()
        self.timer.stop()
        self.axis.set_playhead(self.player.position())
        self.playing_changed.emit(False)

    def seek(self, seconds: float) -> None:
        self.player.seek(seconds)
        self.axis.set_playhead(max(0.0, seconds))

    def to_start(self) -> None:
        self.seek(0.0)

    def close(self) -> None:
        self.stop()
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

    def _apply_project(self) -> None:
        project = self.model.project
        if project.sample_rate != self.player.sample_rate:
            self.player.sample_rate = project.sample_rate
        self.player.set_levels(levels_for(project))
        self.player.set_length(max(project.duration, project.content_end_seconds()))
        start, end = (float(project.tick_to_seconds(t)) for t in (project.loop_start, project.loop_end))
        self.player.set_loop(start, end, enabled=project.loop_enabled)

    def _invalidate_stems(self, *_args) -> None:
        self._stems_ready = False
        self._version += 1
        if self.playing and self.source is audio_only_source:
            self._load_stems(self.source(self.model.project, lambda f, m="": None, None))

    def _load_stems(self, stems) -> None:
        self.player.set_stems(stems)
        self._stems_ready = True

    def _prepare_then_play(self) -> None:
        if self.source is audio_only_source:
            self._load_stems(audio_only_source(self.model.project, lambda f, m="": None, None))
            self.play()
            return
        from app.jobs import snapshot

        project = snapshot(self.model.project)
        source, version = self.source, self._version
        job = Job("Preparing playback", lambda progress, cancel: source(project, progress, cancel))
        self._preparing = job
        self.jobs.submit(job, lambda done: self._prepared(done, version))

    def _prepared(self, job: Job, version: int) -> None:
        if job is not self._preparing:
            return
        self._preparing = None
        if job.result is None:
            self.status_changed.emit(f"playback could not start: {job.error or job.message}")
            return
        self._load_stems(job.result)
        self._stems_ready = version == self._version
        self.play()
