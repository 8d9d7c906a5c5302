"""What a MIDI track sounds like depends on: its notes (through the tempo map),
program, drum flag, gain, pan, the dynamics curve, the sample rate, the render
settings and the SoundFont. ``track_key`` hashes exactly those, so
``RenderedTracks`` hands back a track's audio until one of them changes.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import astuple

import numpy as np

from app.project import MidiTrack, Project
from engines.render import Part, RenderConfig, RenderedPart, SoundFont


def part_for_track(project: Project, track: MidiTrack, dynamics: np.ndarray | None) -> Part:
    """The engine's view of ``track``: notes in seconds through the tempo map.

    dynamics: float32 dB per control frame (NaN = unspecified) or None.
    """
    return Part(notes=project.notes_in_seconds(track.sorted_notes()), program=track.program, is_drum=track.is_drum,
                gain_db=track.gain_db, pan=track.pan, dynamics=dynamics)


def track_key(part: Part, sample_rate: int, config: RenderConfig,
              sound_font: SoundFont | None) -> str:
    """A hash of everything the rendering of ``part`` depends on."""
    h = hashlib.sha1()
    table = np.array([(n.pitch, n.start, n.duration, n.velocity) for n in part.notes],
                     dtype=np.float64).reshape(-1, 4)
    h.update(table.tobytes())
    h.update(repr((part.program, part.is_drum, part.gain_db, part.pan, sample_rate,
                   astuple(config))).encode())
    if part.dynamics is not None:
        h.update(np.ascontiguousarray(part.dynamics, dtype=np.float32).tobytes())
    if sound_font is not None:
        h.update(sound_font.name.encode())
        h.update(len(sound_font.data).to_bytes(8, "little"))
        h.update(hashlib.sha1(sound_font.data[:1 << 16]).digest())
    return h.hexdigest()


class RenderedTracks:
    """track id -> (content key, RenderedPart) of the last render of that track.

    Lifecycle: one per open document; ``render_project`` reads and fills it and
    forgets tracks that left the project. Safe to use from a render thread
    while the GUI thread asks ``is_current``.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, RenderedPart]] = {}
        self._lock = threading.Lock()
        self.renders = 0
        """How many tracks were rendered (cache misses) since creation."""

    def get(self, track_id: str, key: str) -> RenderedPart | None:
        with self._lock:
            entry = self._entries.get(track_id)
        return entry[1] if entry is not None and entry[0] == key else None

    def put(self, track_id: str, key: str, rendered: RenderedPart) -> None:
        with self._lock:
            self._entries[track_id] = (key, rendered)
            self.renders += 1

    def copy(self) -> "RenderedTracks":
        """A new cache holding the same renders (to render variants of a project from)."""
        other = RenderedTracks()
        with self._lock:
            other._entries = dict(self._entries)
        return other

    def adopt(self, other: "RenderedTracks") -> None:
        """Take ``other``'s renders (e.g. a variation rendered ahead), so a render of the
        project they came from finds them; not counted as renders here."""
        with other._lock:
            entries = dict(other._entries)
        with self._lock:
            self._entries.update(entries)

    def keep_only(self, track_ids: set[str]) -> None:
        with self._lock:
            for gone in set(self._entries) - track_ids:
                del self._entries[gone]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
