"""Files from the window: new, open, save, save as, recent files, import, export, autosave.

Everything that can fail shows a message and leaves the current project as
it was. Importing and exporting run as jobs. Autosave writes a recovery copy
of a modified project in the background every ``settings.autosave_seconds``;
a normal save or close removes it, and ``offer_recovery`` brings back what a
crashed session left.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.autosave import Autosaver
from app.commands import AddTrack, Command, Compound
from app.document import Document
from app.errors import PartitaError
from app.exporting import ExportResult, export
from app.importing import PROJECT_EXTENSION, import_files
from app.jobs import Job
from app.project import AudioTrack, Project
from ui import theme
from ui.export_dialog import ExportDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow

OPEN_FILTER = "Projects, MIDI and audio (*.partita *.mid *.midi *.wav *.flac *.ogg *.mp3 *.aif *.aiff)"
IMPORT_FILTER = "MIDI and audio (*.mid *.midi *.wav *.flac *.ogg *.mp3 *.aif *.aiff)"


class FileController(QObject):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.model = window.model
        self.settings = window.settings
        self.autosaver = Autosaver()
        self._autosave_thread: threading.Thread | None = None
        self._autosaved_revision = -1
        self._autosave_error: str | None = None
        self.timer = QTimer(self, timeout=self.autosave)
        if self.settings.autosave_seconds > 0:
            self.timer.start(self.settings.autosave_seconds * 1000)

    # -- asking --------------------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the user saved or chose to discard them."""
        if not self.model.modified:
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes", f"Save the changes to “{self.model.project.name}”?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _start_dir(self) -> str:
        return self.settings.last_dir or str(Path.home())

    # -- new / open ----------------------------------------------------------------------------------
    def new(self) -> None:
        if self.confirm_discard():
            self._replace(Document.new(name="Untitled", length_bars=16))

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open", self._start_dir(), OPEN_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        if not self.confirm_discard():
            return False
        try:
            document = Document.open(path, detect=False)  # a song's grid is detected in a job
        except PartitaError as exc:
            self.window.show_error(str(exc))
            return False
        self._replace(document)
        self.window.grid.after_open(Path(path))
        self.settings.add_recent(path)
        self.settings.last_dir = str(Path(path).parent)
        self.window.show_message(f"Opened {Path(path).name}")
        return True

    def _replace(self, document: Document, *, recovered: bool = False) -> None:
        self.window.player.stop()
        self.autosaver.clear()
        self.model.set_document(document, recovered=recovered)

    # -- save ------------------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.model.document.path is None:
            return self.save_as()
        return self._save_to(self.model.document.path)

    def save_as(self) -> bool:
        suggested = str(Path(self._start_dir()) / f"{self.model.project.name}{PROJECT_EXTENSION}")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save project", suggested,
                                              f"Partita project (*{PROJECT_EXTENSION})")
        if not path:
            return False
        if not path.endswith(PROJECT_EXTENSION):
            path += PROJECT_EXTENSION
        return self._save_to(Path(path), rename=True)

    def _save_to(self, path: Path, *, rename: bool = False) -> bool:
        """Save to ``path``; with ``rename`` (Save As) the project takes the file's name, as in a DAW,
        so the title, the export names and job labels follow it."""
        old_name = self.model.project.name
        if rename:
            self.model.rename_project(path.stem)
        try:
            self.model.document.save_as(path)
        except (OSError, PartitaError, ValueError) as exc:
            self.model.rename_project(old_name)
            self.window.show_error(f"Could not save {path}: {exc}")
            return False
        self.model.mark_saved()
        self.autosaver.clear()
        self.settings.add_recent(path)
        self.settings.last_dir = str(path.parent)
        self.window.show_message(f"Saved {path}")
        return True

    # -- import ------------------------------------------------------------------------------------------
    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import files", self._start_dir(), IMPORT_FILTER)
        if paths:
            self.import_paths([Path(p) for p in paths])

    def drop(self, paths: Sequence[Path]) -> None:
        """Files dropped on the window: a project opens, anything else is imported."""
        projects = [p for p in paths if p.suffix.lower() == PROJECT_EXTENSION]
        if projects:
            if len(paths) > 1:
                self.window.show_error("Drop a project on its own to open it (it cannot be imported)")
                return
            self.open_path(projects[0])
            return
        self.import_paths(paths)

    def import_paths(self, paths: Sequence[Path]) -> Job:
        """Read the files in a job; add their tracks as one undoable step when it is done."""
        project = self.model.project.snapshot()
        paths = list(paths)
        self.settings.last_dir = str(paths[0].parent)

        def work(progress, cancel) -> Command:
            progress(0.05, f"reading {len(paths)} file(s)")
            command = import_files(project, paths)
            cancel.check()
            return command

        title = f"Import {paths[0].name}" + (f" + {len(paths) - 1}" if len(paths) > 1 else "")
        return self.window.run_job(Job(title, work), on_done=lambda command: self._imported(command, paths))

    def _imported(self, command: Command, paths: Sequence[Path]) -> Command:
        added = [c.track for c in getattr(command, "commands", []) if isinstance(c, AddTrack)]
        taken: set[str] = set()
        for track in added:
            if not track.color:
                track.color = theme.free_color(self.model.project, taken)
                taken.add(track.color)
        if added:
            QTimer.singleShot(0, lambda: self._select(added[0].id))
        by_name = {p.name: p for p in paths}
        audio = [(t, by_name[t.source]) for t in added if isinstance(t, AudioTrack) and t.source in by_name]
        if audio:  # once the tracks are in: what tempo do they play at?
            QTimer.singleShot(0, lambda: self.window.grid.after_import(audio))
        return command if isinstance(command, Compound) else Compound("Import", [command])

    def _select(self, track_id: str) -> None:
        if any(t.id == track_id for t in self.model.project.tracks):
            self.model.select_track(track_id)

    # -- export --------------------------------------------------------------------------------------------
    def export_dialog(self) -> ExportDialog:
        folder = Path(self.model.document.path).parent if self.model.document.path else Path(self._start_dir())
        dialog = ExportDialog(self.model.project, self.settings, folder=folder, parent=self.window)
        dialog.accepted.connect(lambda: self.export(dialog))
        dialog.open()
        return dialog

    def export(self, dialog: ExportDialog) -> Job:
        request = dialog.request()
        self.settings.export_sample_rate = request.sample_rate
        self.settings.export_bit_depth = request.bit_depth
        project = self.model.project.snapshot()
        job = Job(f"Export {project.name}",
                  lambda progress, cancel: export(project, request, progress=progress, cancel=cancel))
        return self.window.run_job(job, on_done=self._exported)

    def _exported(self, result: ExportResult) -> None:
        files = result.written
        names = ", ".join(p.name for p in files[:4]) + (" …" if len(files) > 4 else "")
        self.window.show_message(f"Exported {len(files)} file(s): {names}")

    # -- autosave / recovery ----------------------------------------------------------------------------------
    def autosave(self) -> None:
        """Write a recovery copy in the background if the project changed since the last one.

        A failed write (a full disk, say) never interrupts editing: the next tick
        reports it in the status bar and tries again.
        """
        if self._autosave_error is not None:
            self.window.show_message(f"Autosave failed ({self._autosave_error}); it will try again", 10000)
            self._autosave_error = None
            self._autosaved_revision = -1
        if not self.model.modified or (self._autosave_thread and self._autosave_thread.is_alive()):
            return
        if self.model.revision == self._autosaved_revision:
            return
        self._autosaved_revision = self.model.revision
        project, path = self.model.project.snapshot(), self.model.document.path
        self._autosave_thread = threading.Thread(target=self._write_recovery, args=(project, path), daemon=True)
        self._autosave_thread.start()

    def _write_recovery(self, project: Project, path: Path | None) -> None:
        try:
            self.autosaver.save(project, path)
        except (OSError, PartitaError) as exc:
            self._autosave_error = str(exc)  # reported on the GUI thread at the next tick

    def offer_recovery(self) -> bool:
        """Ask about work a crashed session left; True if it was recovered."""
        pending = self.autosaver.pending()
        if not pending:
            return False
        newest = pending[0]
        answer = QMessageBox.question(
            self.window, "Recover unsaved work?",
            f"Partita closed without saving:\n\n{newest.describe()}\n\nRecover it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Ignore, QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Ignore:
            return False
        if answer == QMessageBox.StandardButton.Discard:
            self.autosaver.discard(newest)
            return False
        try:
            project = self.autosaver.restore(newest)
        except PartitaError as exc:
            self.window.show_error(f"The recovery copy is damaged: {exc}")
            return False
        self._replace(Document(project, newest.original_path), recovered=True)
        self.autosaver.discard(newest)
        self.window.show_message("Recovered unsaved work; save it to keep it")
        return True

    def close(self) -> None:
        """Normal close: the recovery copy is no longer needed."""
        self.timer.stop()
        if self._autosave_thread is not None:
            self._autosave_thread.join(timeout=5)
        self.autosaver.clear()
