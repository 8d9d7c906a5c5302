"""Finding and reading the SoundFont the renderer should use, if any.

The choice, first match wins:
1. ``PARTITA_SOUNDFONT``: a .sf2/.sf3 file to use, or ``none`` (also ``off``,
   ``builtin``) to always use the built-in synthesiser.
2. Partita's own folder ``$XDG_DATA_HOME/partita/soundfonts`` (default
   ``~/.local/share/partita/soundfonts``): drop a SoundFont there.
3. The usual system places: ``/usr/share/sounds/sf2`` (Debian's
   fluid-soundfont-gm, timgm6mb-soundfont), ``/usr/share/soundfonts``,
   ``/usr/local/share/soundfonts``, ``~/Library/Audio/Sounds/Banks`` (macOS).
Inside a folder, well-known General MIDI fonts come first, then the rest by name.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from app.errors import InputError
from app.settings import data_dir
from engines.render import SoundFont

ENV_VAR = "PARTITA_SOUNDFONT"
DISABLED = {"none", "off", "builtin", "0", ""}
SUFFIXES = (".sf2", ".sf3")
PREFERRED = ("FluidR3_GM.sf2", "default-GM.sf2", "GeneralUser GS.sf2", "TimGM6mb.sf2",
             "default.sf2")
SYSTEM_DIRS = ("/usr/share/sounds/sf2", "/usr/share/soundfonts", "/usr/local/share/soundfonts",
               "~/Library/Audio/Sounds/Banks")
_loaded: dict[tuple[str, int, int], SoundFont] = {}
_lock = threading.Lock()


def user_dir() -> Path:
    """Partita's SoundFont folder for this user, ``data_dir()/soundfonts`` (may not exist)."""
    return data_dir() / "soundfonts"


def find_soundfont() -> Path | None:
    """The SoundFont file to render with, or None for the built-in synthesiser.

    Raises InputError when ``PARTITA_SOUNDFONT`` names a file that is not there.
    """
    chosen = os.environ.get(ENV_VAR)
    if chosen is not None:
        if chosen.strip().lower() in DISABLED:
            return None
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise InputError(f"{ENV_VAR}={chosen}: no such SoundFont file; fix the path or "
                             f"set {ENV_VAR}=none to use the built-in synthesiser")
        return path
    for folder in (user_dir(), *(Path(d).expanduser() for d in SYSTEM_DIRS)):
        found = _best_in(folder)
        if found is not None:
            return found
    return None


def _best_in(folder: Path) -> Path | None:
    try:
        files = sorted(p for p in folder.iterdir()
                       if p.suffix.lower() in SUFFIXES and p.is_file())
    except OSError:
        return None
    for name in PREFERRED:
        for p in files:
            if p.name.lower() == name.lower():
                return p
    return files[0] if files else None


def load_soundfont(path: str | os.PathLike[str]) -> SoundFont:
    """The file's bytes as an engine ``SoundFont``; read once per (path, size, mtime)."""
    p = Path(path)
    try:
        stat = p.stat()
        key = (str(p.resolve()), stat.st_size, stat.st_mtime_ns)
        with _lock:
            if key not in _loaded:
                _loaded.clear()
                _loaded[key] = SoundFont(name=p.name, data=p.read_bytes())
            return _loaded[key]
    except OSError as exc:
        raise InputError(f"{p}: cannot read the SoundFont ({exc.strerror or exc})") from None


def chosen_soundfont() -> SoundFont | None:
    """``find_soundfont()`` read into memory, or None for the built-in synthesiser."""
    path = find_soundfont()
    return load_soundfont(path) if path is not None else None
