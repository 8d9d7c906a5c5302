"""Drag and drop: files in from anywhere, tracks out to a DAW or a file manager.

Dropping WAV/FLAC/OGG/MP3/MIDI files (or a .partita project) on the window
imports them. Dragging a track (its header or its lane) out of the window
carries a real file, written before the drag starts: MIDI tracks as .mid
(with Alt held: the rendered audio as .wav), audio tracks as 24-bit .wav,
named after the track, in the drag cache (``$XDG_CACHE_HOME/partita/drag``).
Inside the window the same drag reorders tracks (``TRACK_MIME``).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from app.audio_io import AUDIO_EXTENSIONS, write_audio
from app.importing import MIDI_EXTENSIONS, PROJECT_EXTENSION
from app.midi_io import write_midi
from app.project import AudioTrack, Project, Track
from app.settings import cache_dir
from ui import theme
from ui.document_model import DocumentModel

TRACK_MIME = "application/x-partita-track-id"
DROPPABLE = (*AUDIO_EXTENSIONS, *MIDI_EXTENSIONS, PROJECT_EXTENSION)


def safe_file_name(name: str) -> str:
    """A track or project name usable as a file name on Linux, macOS and Windows."""
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", name).strip(" .")
    return cleaned[:100] or "track"


def dropped_paths(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    """Local files in a drag that Partita can open or import."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in DROPPABLE]


def drag_file_for(project: Project, track: Track, directory: Path | None = None, *,
                  audio: np.ndarray | None = None) -> Path:
    """Write ``track`` as a file a DAW can take and return its path.

    Audio tracks, or any track given ``audio`` (float32 (channels, frames) at the
    project's rate, e.g. its rendered stem), become 24-bit .wav; MIDI tracks .mid.
    """
    directory = directory or cache_dir() / "drag"
    directory.mkdir(parents=True, exist_ok=True)
    stem = safe_file_name(track.name)
    if audio is None and isinstance(track, AudioTrack):
        audio = track.samples
    if audio is not None:
        path = directory / f"{stem}.wav"
        write_audio(path, audio, project.sample_rate, "24")
    else:
        path = directory / f"{stem}.mid"
        solo = Project(name=track.name, sample_rate=project.sample_rate, tempo_map=project.tempo_map,
                       time_signature=project.time_signature, key=project.key,
                       length_bars=project.length_bars, tracks=[track], curves=project.curves)
        write_midi(solo, path)
    return path


def track_mime_data(project: Project, track: Track, *, audio: np.ndarray | None = None) -> QMimeData:
    """Mime data with the track's file (for other apps) and its id (for reordering here)."""
    path = drag_file_for(project, track, audio=audio)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    mime.setData(TRACK_MIME, track.id.encode())
    return mime


def drag_pixmap(track: Track) -> QPixmap:
    pixmap = QPixmap(160, 26)
    pixmap.fill(theme.track_color(track))
    return pixmap


class TrackDragStarter:
    """Turns press-and-move on a widget into a track drag once past the drag distance."""

    def __init__(self, widget: QWidget, model: DocumentModel, track_id: str) -> None:
        self.widget = widget
        self.model = model
        self.track_id = track_id
        self._origin: QPoint | None = None
        self._as_audio = False

    def press(self, event: QMouseEvent) -> None:
        self._origin = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        self._as_audio = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)

    def move(self, event: QMouseEvent) -> None:
        if self._origin is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - self._origin).manhattanLength() < QApplication.startDragDistance():
            return
        self._origin = None
        self.start(as_audio=self._as_audio)

    def start(self, *, as_audio: bool = False) -> Qt.DropAction:
        """Write the track's file, then run the drag (blocks until the drop).

        ``as_audio``: a MIDI track goes out as its rendered audio (if rendered yet).
        """
        track = self.model.project.track(self.track_id)
        audio = self.model.rendered_stem(self.track_id) if as_audio else None
        if as_audio and audio is None and not isinstance(track, AudioTrack):
            self.model.error.emit(f"{track.name} is not rendered yet; drag it again in a moment")
            return Qt.DropAction.IgnoreAction
        try:
            mime = track_mime_data(self.model.project, track, audio=audio)
        except Exception as exc:  # a full disk must not crash a drag
            self.model.error.emit(f"Could not write {track.name} for dragging: {exc}")
            return Qt.DropAction.IgnoreAction
        drag = QDrag(self.widget)
        drag.setMimeData(mime)
        drag.setPixmap(drag_pixmap(track))
        return drag.exec(Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, Qt.DropAction.CopyAction)
