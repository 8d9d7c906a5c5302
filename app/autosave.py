"""Recovery copies of unsaved work, so a crash loses at most one autosave interval.

Each running session writes ``<session>.partita`` plus ``<session>.json``
(original path, project name, time, process id) into ``recovery_dir()``
(``$XDG_DATA_HOME/partita/recovery``). A normal save or close removes them.
Copies left by a process that is no longer running are offered back by
``pending()`` on the next start.

Lifecycle: ``Autosaver()`` at start -> ``pending()`` (offer, then ``restore``
or ``discard`` each) -> ``save(project, original)`` whenever the timer fires
and the document is modified -> ``clear()`` after a normal save or close.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from app.project import Project
from app.projectfile import load_project, save_project
from app.settings import data_dir


def recovery_dir() -> Path:
    return data_dir() / "recovery"


@dataclass(frozen=True)
class Recovery:
    """A recovery copy found on disk."""

    project_path: Path
    meta_path: Path
    original_path: Path | None
    name: str
    saved_at: float

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        where = str(self.original_path) if self.original_path else "never saved"
        return f"{self.name} ({where}), autosaved {when}"


class Autosaver:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or recovery_dir()
        self.session = uuid.uuid4().hex[:12]

    @property
    def project_path(self) -> Path:
        return self.directory / f"{self.session}.partita"

    @property
    def meta_path(self) -> Path:
        return self.directory / f"{self.session}.json"

    def save(self, project: Project, original: Path | None) -> Path:
        """Write a recovery copy (atomically) and its description."""
        save_project(project, self.project_path)
        meta = {"original": str(original) if original else None, "name": project.name,
                "saved_at": time.time(), "pid": os.getpid()}
        tmp = self.meta_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, self.meta_path)
        return self.project_path

    def clear(self) -> None:
        """Remove this session's recovery copy (after a normal save or close)."""
        self.project_path.unlink(missing_ok=True)
        self.meta_path.unlink(missing_ok=True)

    def pending(self) -> list[Recovery]:
        """Copies left by sessions that are not running any more, newest first."""
        found = []
        for meta_path in sorted(self.directory.glob("*.json")):
            if meta_path.stem == self.session:
                continue
            recovery = _read_meta(meta_path)
            if recovery is not None:
                found.append(recovery)
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    @staticmethod
    def restore(recovery: Recovery) -> Project:
        """Load a recovery copy; ``ProjectFileError`` if it is damaged."""
        return load_project(recovery.project_path)

    @staticmethod
    def discard(recovery: Recovery) -> None:
        recovery.project_path.unlink(missing_ok=True)
        recovery.meta_path.unlink(missing_ok=True)


def _read_meta(meta_path: Path) -> Recovery | None:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        pid = int(meta.get("pid", 0))
        saved_at = float(meta["saved_at"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    project_path = meta_path.with_suffix(".partita")
    if not project_path.is_file() or _alive(pid):
        return None
    original = meta.get("original")
    return Recovery(project_path, meta_path, Path(original) if original else None,
                    str(meta.get("name", "Untitled")), saved_at)


def _alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

