"""The grid of audio that arrives in the window: tempo, meter, first downbeat and key.

A project opened from an audio file (File ▸ Open, ``partita open song.wav``)
opens at once with 120 BPM, 4/4; a job then detects the song's grid
(``app.tempo_detect``, in a worker process) and applies it as one undo step:
tempo, meter, key, and the audio moved so its first downbeat falls on a bar line.
Audio dropped into a project that has its own grid is only offered: a bar
above the lanes says what was heard, and Apply does the same in one undo step.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from app.commands import Command
from app.jobs import Job
from app.project import AudioTrack
from app.tempo_detect import AudioTiming, lead_in, timing_command
from app.workers import InWorker

if TYPE_CHECKING:
    from ui.main_window import MainWindow

SAME_TEMPO = 0.01
"""A detected tempo within this share of the project's is not worth offering."""


class GridDetector:
    """Lifecycle: one per window; ``after_open`` after a document is shown, ``after_import``
    when audio tracks were added to a project."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window

    def after_open(self, path: Path | None) -> Job | None:
        """Detect and apply the grid of a project just made from an audio file."""
        document = self.window.model.document
        tracks = self.window.project.audio_tracks()
        if not document.needs_timing or path is None or not tracks:
            return None
        document.needs_timing = False
        track_id = tracks[0].id

        def apply(timing: AudioTiming | None) -> Command | None:
            if timing is None:
                self.window.show_message(f"No steady beat found in {path.name}: the grid stays as it is")
                return None
            self.window.show_message(f"{path.name}: {timing.describe()}")
            return self._command(timing, track_id, grow_only=False)

        return self._detect(path, apply)

    def after_import(self, added: Sequence[tuple[AudioTrack, Path]]) -> list[Job]:
        """Detect the grid of each dropped or imported audio file and offer it."""
        return [self._detect(path, lambda timing, t=track: self._offer(timing, t.id)) for track, path in added]

    def _detect(self, path: Path, on_done) -> Job:  # type: ignore[no-untyped-def]
        work = InWorker("app.tempo_detect:file_timing", path=str(path))
        return self.window.run_job(Job(f"Detect tempo of {path.name}", work), on_done)

    def _offer(self, timing: AudioTiming | None, track_id: str) -> None:
        project = self.window.project
        try:
            track = project.track(track_id)
        except KeyError:
            return  # deleted (or undone) meanwhile
        if timing is None or self._fits(timing):
            return
        self.window.offers.offer(
            f"{track.name}: {timing.describe()}. Set the project to it"
            + (f" and move {track.name} so its first downbeat starts a bar?" if lead_in(timing) else "?"),
            lambda: self._apply_offer(timing, track_id))

    def _fits(self, timing: AudioTiming) -> bool:
        project = self.window.project
        return (abs(timing.tempo / project.tempo - 1) <= SAME_TEMPO and len(project.tempo_map) == 1
                and timing.time_signature == project.time_signature and not lead_in(timing))

    def _apply_offer(self, timing: AudioTiming, track_id: str) -> None:
        command = self._command(timing, track_id, grow_only=True)
        if command is not None and self.window.model.push(command):
            self.window.show_message(f"{command.label}: {timing.describe()} (Ctrl+Z undoes)")

    def _command(self, timing: AudioTiming, track_id: str, *, grow_only: bool) -> Command | None:
        try:
            return timing_command(self.window.project, timing, track_id, grow_only=grow_only)
        except (KeyError, ValueError):
            self.window.show_message("The audio track is gone; its tempo was not applied")
            return None
