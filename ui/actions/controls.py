"""Engines ▸ "Extract controls from…": fill the melody, dynamics and rhythm lanes
from one track of the project or from an audio, MIDI or project file.

The work runs as a job (progress, cancel) in a worker process (``app.workers``: a
crash in the beat tracker's native code fails the job, not the window) on a
snapshot of the project; its
result is one command (``app.controls_project.extract_controls_command``), so
one Ctrl+Z takes the whole extraction back.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.jobs import Job
from app.workers import InWorker

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FROM_FILE = "A file…"
FILE_FILTER = ("Audio, MIDI or projects (*.wav *.wave *.flac *.ogg *.oga *.mp3 *.aif *.aiff "
               "*.mid *.midi *.partita);;All files (*)")
Source = tuple[str | None, str | None]
"""(track_id, None) or (None, path)."""


def install(window: "MainWindow") -> None:
    window.add_engine_action("Extract controls from…", lambda: start(window), toolbar=True,
                             tip="Fill the melody, dynamics and rhythm lanes from a track "
                                 "or a file (one undo step)")


def track_label(track) -> str:  # type: ignore[no-untyped-def]
    return f"Track: {track.name}"


def choose_source(window: "MainWindow") -> Source | None:
    """Ask for a track of the project (the selected one first) or a file; None on cancel."""
    tracks = [t for t in window.project.tracks if t.kind == "audio" or t.notes]
    labels = [track_label(t) for t in tracks] + [FROM_FILE]
    selected = window.model.selected_track()
    current = tracks.index(selected) if selected in tracks else len(tracks)
    label, ok = QInputDialog.getItem(window, "Extract controls",
                                     "Read the melody, dynamics and rhythm of:", labels, current,
                                     False)
    if not ok:
        return None
    if label == FROM_FILE:
        path, _ = QFileDialog.getOpenFileName(window, "Extract controls from a file", "",
                                              FILE_FILTER)
        return (None, path) if path else None
    return tracks[labels.index(label)].id, None


def start(window: "MainWindow", source: Source | None = None) -> Job | None:
    """Run the extraction for ``source`` (asked for when None) as a background job."""
    source = source or choose_source(window)
    if source is None:
        return None
    track_id, path = source
    project = window.project.snapshot()
    name = project.track(track_id).name if track_id is not None else Path(str(path)).name

    work = InWorker("app.controls_project:extract_controls_command", project=project, track_id=track_id,
                    path=path)
    return window.run_job(Job(f"Extract controls from {name}", work))
