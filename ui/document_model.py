"""The Qt face of an ``app.document.Document``: its changes as signals, edits that never crash.

Every view reads the project from ``model.project`` and redraws on the
signal that names what changed, so a note edit repaints the piano roll and
that track's clip, not the whole window. ``push`` turns a command that cannot
apply into an ``error`` signal (shown as a message), never an exception.

Lifecycle: one ``DocumentModel`` per window; ``set_document`` swaps in a new
or opened document and emits ``document_replaced`` (views then rebuild).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.commands import Change, Command
from app.document import Document
from app.errors import PartitaError
from app.project import MidiTrack, Project, Track
from ui.note_index import NoteIndex


class DocumentModel(QObject):
    notes_changed = Signal(str)
    """Track id whose notes changed."""
    tracks_changed = Signal()
    """Tracks were added, removed or reordered."""
    track_changed = Signal(str)
    """Track id whose settings (name, role, mute, gain, ...) changed."""
    curve_changed = Signal(str)
    """Curve name that changed."""
    meta_changed = Signal()
    """Tempo, meter, key, length, loop or name changed."""
    document_replaced = Signal()
    modified_changed = Signal(bool)
    undo_changed = Signal()
    selected_track_changed = Signal(str)
    """The selected track's id, or "" for none."""
    error = Signal(str)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._selected = ""
        self._recovered = False
        self._was_modified = False
        self._indexes: dict[str, NoteIndex] = {}
        self.rendered_stem: Callable[[str], np.ndarray | None] = lambda track_id: None
        """The latest rendered audio of a track (float32 (2, n) at the project rate), if any;
        the player sets this when its renderer delivers."""
        self.revision = 0
        """Counts every change (and document swap), e.g. to know whether to autosave again."""
        document.subscribe(self._on_changes)
        self._select_default()

    @property
    def project(self) -> Project:
        return self.document.project

    # -- document lifecycle -------------------------------------------------------
    def set_document(self, document: Document, *, recovered: bool = False) -> None:
        self.document.unsubscribe(self._on_changes)  # the old document's edits are no concern now
        self.document = document
        self._recovered = recovered
        self._indexes.clear()
        self.revision += 1
        document.subscribe(self._on_changes)
        self._selected = ""
        self._select_default()
        self.document_replaced.emit()
        self.undo_changed.emit()
        self._emit_modified(force=True)

    @property
    def modified(self) -> bool:
        """Unsaved changes (a recovered document counts as modified until saved)."""
        return self.document.modified or self._recovered

    def rename_project(self, name: str) -> None:
        """Name the project (Save As names it after its file); not an edit, so not an undo step."""
        if name != self.project.name:
            self.project.name = name
            self.meta_changed.emit()

    def mark_saved(self) -> None:
        self._recovered = False
        self._emit_modified(force=True)

    # -- edits ------------------------------------------------------------------------
    def push(self, command: Command) -> bool:
        """Apply ``command`` as one undo step; on failure emit ``error`` and return False."""
        try:
            self.document.push(command)
        except (PartitaError, ValueError, KeyError) as exc:
            self.error.emit(f"{command.label} failed: {exc}")
            return False
        return True

    def undo(self) -> bool:
        return self.document.undo()

    def redo(self) -> bool:
        return self.document.redo()

    def _on_changes(self, changes: tuple[Change, ...]) -> None:
        self.revision += 1
        seen: set[Change] = set()
        for change in changes:
            if change in seen:
                continue
            seen.add(change)
            self._emit_change(change)
        self.undo_changed.emit()
        self._emit_modified()

    def note_index(self, track_id: str) -> NoteIndex:
        """The (cached) sorted arrays of a MIDI track's notes; empty for other tracks."""
        index = self._indexes.get(track_id)
        if index is None:
            track = self.project.track(track_id)
            notes = track.notes if isinstance(track, MidiTrack) else []
            index = self._indexes[track_id] = NoteIndex(notes, self.project)
        return index

    def _emit_change(self, change: Change) -> None:
        if change.what in ("notes", "meta", "tracks"):
            if change.what == "notes" and change.track_id:
                self._indexes.pop(change.track_id, None)
            else:
                self._indexes.clear()
        if change.what == "notes" and change.track_id:
            self.notes_changed.emit(change.track_id)
        elif change.what == "track" and change.track_id:
            self.track_changed.emit(change.track_id)
        elif change.what == "tracks":
            if not any(t.id == self._selected for t in self.project.tracks):
                self._selected = ""
                self._select_default(emit=True)
            self.tracks_changed.emit()
        elif change.what == "curve" and change.curve:
            self.curve_changed.emit(change.curve)
        else:
            self.meta_changed.emit()

    def _emit_modified(self, *, force: bool = False) -> None:
        now = self.modified
        if force or now != self._was_modified:
            self._was_modified = now
            self.modified_changed.emit(now)

    # -- selection ----------------------------------------------------------------------
    @property
    def selected_track_id(self) -> str:
        return self._selected

    def selected_track(self) -> Track | None:
        try:
            return self.project.track(self._selected) if self._selected else None
        except KeyError:
            return None

    def selected_midi_track(self) -> MidiTrack | None:
        track = self.selected_track()
        return track if isinstance(track, MidiTrack) else None

    def select_track(self, track_id: str) -> None:
        if track_id != self._selected:
            self._selected = track_id
            self.selected_track_changed.emit(track_id)

    def _select_default(self, *, emit: bool = False) -> None:
        tracks = self.project.tracks
        midi = [t for t in tracks if isinstance(t, MidiTrack) and t.notes]
        melody = [t for t in midi if t.role == "melody"]
        first = (melody or midi or tracks or [None])[0]
        self._selected = first.id if first is not None else ""
        if emit:
            self.selected_track_changed.emit(self._selected)
