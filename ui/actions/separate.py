"""Separate into stems: an audio track (or a file) -> drums, bass, other and vocals tracks.

Three ways in: Engines ▸ "Separate into stems…" (asks for an audio track of
the project, the selected one first, or a file), "Separate into stems" in an
audio track's context menu, and dropping audio files with Shift held (each
file is added as a track and separated). The work runs as a job in a worker
process (progress per segment, cancel between segments) on a snapshot; its result is one
command: the stems land right under the source, grouped under it, and the
source is muted, not deleted. One Ctrl+Z takes it all back. Each stem is an
ordinary audio track: it drags out to a DAW like any other.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.audio_io import AUDIO_EXTENSIONS
from app.jobs import Job
from app.workers import InWorker
from app.project import AudioTrack, Track

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FROM_FILE = "An audio file…"
FILE_FILTER = f"Audio ({' '.join('*' + e for e in AUDIO_EXTENSIONS)});;All files (*)"
TITLE = "Separate into stems"


def install(window: "MainWindow") -> None:
    window.add_engine_action("Separate into stems…", lambda: start(window), toolbar=True,
                             tip="Split an audio track or file into drums, bass, other and vocals "
                                 "tracks (one undo step; Shift+drop a file does the same)")
    window.track_list.add_menu_entry("Separate into stems", lambda t: isinstance(t, AudioTrack),
                                     lambda track_id: start(window, track_id=track_id))
    window.add_drop_action(Qt.KeyboardModifier.ShiftModifier, lambda paths: start_files(window, paths))


def track_label(track: Track) -> str:
    return f"Track: {track.name}"


def start(window: "MainWindow", *, track_id: str | None = None) -> Job | None:
    """Separate ``track_id``, or ask which audio track (or file) to separate."""
    if track_id is None:
        tracks = window.project.audio_tracks()
        labels = [track_label(t) for t in tracks] + [FROM_FILE]
        selected = window.model.selected_track()
        current = tracks.index(selected) if selected in tracks else (0 if tracks else len(tracks))
        label, ok = QInputDialog.getItem(window, TITLE, "Separate into drums, bass, other and vocals:",
                                         labels, current, False)
        if not ok:
            return None
        if label == FROM_FILE:
            path, _ = QFileDialog.getOpenFileName(window, "Separate an audio file", "", FILE_FILTER)
            return start_files(window, [Path(path)]) if path else None
        track_id = tracks[labels.index(label)].id
    project = window.project.snapshot()
    work = InWorker("app.separate:separate_track_command", project=project, track_id=track_id,
                    device=window.settings.device)
    return window.run_job(Job(f"Separate {project.track(track_id).name}", work))


def start_files(window: "MainWindow", paths: list[Path]) -> Job | None:
    """Add each audio file as a track and separate it, as one job and one undo step."""
    audio = [p for p in paths if p.suffix.lower() in AUDIO_EXTENSIONS]
    if not audio:
        window.show_error(f"{TITLE}: drop audio files ({', '.join(AUDIO_EXTENSIONS)})")
        return None
    work = InWorker("app.separate:separate_files_command", project=window.project.snapshot(), paths=audio,
                    device=window.settings.device)
    return window.run_job(Job(f"Separate {audio[0].name}" + (f" and {len(audio) - 1} more" if len(audio) > 1
                                                              else ""), work))
