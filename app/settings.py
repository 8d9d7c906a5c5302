"""Partita's user settings: one typed dataclass, stored as JSON.

The file lives at ``$XDG_CONFIG_HOME/partita/settings.json`` (default
``~/.config``). A missing or damaged file gives the defaults; unknown keys are
ignored and a wrong-typed value falls back to its default, so an old or newer
settings file never stops the app from starting.

Lifecycle: ``Settings.load()`` once at start -> change fields -> ``save()``.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.devices import DEVICES

MAX_RECENT = 10
MAX_INSTRUCTIONS = 50
"""Past instructions the command bar remembers."""
GRIDS = ("1 bar", "1/2", "1/4", "1/8", "1/16", "1/32", "1/4T", "1/8T", "1/16T", "off")
"""Snap grids the piano roll offers, coarse to fine ("T" = triplet)."""


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/partita`` (``~/.config/partita`` when unset)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "partita"


def data_dir() -> Path:
    """``$XDG_DATA_HOME/partita`` (``~/.local/share/partita`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "partita"


def cache_dir() -> Path:
    """Partita's cache, safe to delete: ``$PARTITA_CACHE``, else ``$XDG_CACHE_HOME/partita``
    (``~/.cache/partita`` when unset). Every cached file (parsed corpora, verified hashes,
    drag files) lives under this one folder."""
    if os.environ.get("PARTITA_CACHE"):
        return Path(os.environ["PARTITA_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "partita"


@dataclass
class Settings:
    """Everything the app remembers between runs.

    ``grid`` is one of ``GRIDS``. ``device`` is where engines run, one of
    ``app.devices.DEVICES`` ("auto": the GPU when torch sees one). ``autosave_seconds`` <= 0 turns autosave off.
    ``window_geometry``/``window_state`` are Qt's saved blobs as base64 text.
    ``instruction_history``: the command bar's past instructions, newest first.
    """

    recent_files: list[str] = field(default_factory=list)
    grid: str = "1/16"
    autosave_seconds: int = 60
    follow_playhead: bool = True
    last_dir: str = ""
    export_sample_rate: int = 44100
    export_bit_depth: str = "24"
    window_geometry: str = ""
    window_state: str = ""
    splitter_state: str = ""
    device: str = "auto"
    instruction_history: list[str] = field(default_factory=list)

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> "Settings":
        """The saved settings, or defaults for anything missing or damaged."""
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls.from_dict(raw if isinstance(raw, dict) else {})

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "Settings":
        defaults = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = raw.get(f.name, getattr(defaults, f.name))
            default = getattr(defaults, f.name)
            values[f.name] = value if _same_type(value, default) else default
        values["recent_files"] = [p for p in values["recent_files"] if isinstance(p, str)]
        values["instruction_history"] = [t for t in values["instruction_history"] if isinstance(t, str)]
        if values["grid"] not in GRIDS:
            values["grid"] = defaults.grid
        if values["device"] not in DEVICES:
            values["device"] = defaults.device
        return cls(**values)

    def save(self) -> None:
        """Write atomically; an unwritable config dir is ignored (settings are a comfort)."""
        path = self.path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass

    def add_recent(self, path: str | os.PathLike[str]) -> None:
        """Put ``path`` first in the recent files (no duplicates, at most ``MAX_RECENT``)."""
        text = str(Path(path).resolve())
        self.recent_files = [text] + [p for p in self.recent_files if p != text]
        del self.recent_files[MAX_RECENT:]

    def add_instruction(self, text: str) -> None:
        """Put ``text`` first in the command bar's history (no duplicates, at most ``MAX_INSTRUCTIONS``)."""
        text = text.strip()
        if text:
            self.instruction_history = [text] + [t for t in self.instruction_history if t != text]
            del self.instruction_history[MAX_INSTRUCTIONS:]

    def existing_recent(self) -> list[str]:
        return [p for p in self.recent_files if Path(p).exists()]


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    return isinstance(value, type(default))
