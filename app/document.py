"""A project being edited: the project, its undo stack, its file and whether it is saved.

Lifecycle: ``Document.new()`` / ``Document.open(path)`` -> ``push``/``undo``/
``redo`` any number of times -> ``save()`` (needs a path) or ``save_as(path)``.
``modified`` is False right after open/save and whenever undo returns to it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from app.commands import Command, Listener, UndoStack
from app.importing import file_kind, project_from_file
from app.project import Project
from app.projectfile import save_project


class Document:
    def __init__(self, project: Project, path: str | os.PathLike[str] | None = None) -> None:
        self.project = project
        self.path: Path | None = Path(path) if path is not None else None
        self.undo_stack = UndoStack(project)
        self.needs_timing = False
        """The project was made from an audio file whose tempo and meter are not detected yet."""

    @classmethod
    def new(cls, **project_fields: Any) -> "Document":
        return cls(Project(**project_fields))

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, detect: bool = True) -> "Document":
        """Open a project, or start an unsaved one from a MIDI or audio file.

        ``detect=False``: a project made from audio keeps 120 BPM, 4/4 and
        ``needs_timing`` is True, for a window that detects its grid in a job.
        """
        project = project_from_file(path, detect=detect)
        is_project = Path(path).suffix.lower() == ".partita"
        doc = cls(project, path if is_project else None)
        doc.needs_timing = not detect and file_kind(path) == "audio"
        if not is_project:
            doc.undo_stack.mark_clean()
        return doc

    def subscribe(self, listener: Listener) -> None:
        self.undo_stack.subscribe(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self.undo_stack.unsubscribe(listener)

    def push(self, command: Command) -> None:
        self.undo_stack.push(command)

    def undo(self) -> bool:
        return self.undo_stack.undo()

    def redo(self) -> bool:
        return self.undo_stack.redo()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.clean

    @property
    def title(self) -> str:
        return self.project.name

    def save(self) -> Path:
        if self.path is None:
            raise ValueError("the document has no file yet; use save_as")
        save_project(self.project, self.path)
        self.undo_stack.mark_clean()
        return self.path

    def save_as(self, path: str | os.PathLike[str]) -> Path:
        self.path = Path(path)
        return self.save()
