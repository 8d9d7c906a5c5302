"""Pieces the generate benchmark takes its controls from, none of them trained on.

``band``: held-out band songs (``app.band_data``, the test split: folk tunes
over mma drums, bass and comping in many styles), when that module and
``mma`` are installed. ``arrangements``: the band arrangements of
``tests.pieces`` (melody, harmony, bass and drums written by rule, in 3/4,
4/4 and 6/8 from 84 to 144 BPM). Each is rendered for 20 s with the
built-in synthesiser under a phrase-level dynamics curve (a swell and a
fall of several dB, as recorded music has; without it a rule arrangement's
level is flat within about 1 dB and its dynamics are noise).

Each ``Source`` keeps its notes per role (for the musicality figures) and
its key.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engines.common import CONTROL_FRAME_RATE, Note
from engines.controls.curves import frame_times

SECONDS = 20.0
RATE = 44100
ARRANGEMENTS = [(1, 120, (4, 4)), (2, 96, (3, 4)), (4, 132, (6, 8)), (5, 84, (4, 4)), (8, 140, (4, 4)),
                (11, 126, (3, 4)), (12, 90, (6, 8)), (14, 108, (4, 4)), (15, 144, (4, 4)), (16, 100, (3, 4))]
"""(seed, BPM, meter) of the arrangements."""


@dataclass
class Source:
    """A piece: ``audio`` float32 (2, n) at 44.1 kHz, its notes per role (seconds) and key (0-23)."""

    name: str
    audio: np.ndarray
    notes: dict[str, list[Note]] = field(default_factory=dict)
    key: int = -1
    meter: tuple[int, int] = (4, 4)
    bar_s: float = 0.0
    """Seconds per bar (constant tempo), 0 when unknown."""


def swell(seed: int, seconds: float = SECONDS) -> np.ndarray:
    """A phrase-level dynamics curve (dB <= 0 per control frame): two slow waves and a fall."""
    rng = np.random.default_rng(seed)
    t = frame_times(int(np.ceil(seconds * CONTROL_FRAME_RATE)))
    curve = sum(rng.uniform(2.0, 5.0) * np.sin(2 * np.pi * t / rng.uniform(6.0, 16.0) + rng.uniform(0, 6.3))
                for _ in range(2))
    curve = curve - rng.uniform(0.0, 6.0) * np.clip((t - rng.uniform(8.0, 16.0)) / 4.0, 0.0, 1.0)
    return (curve - curve.max()).astype(np.float32)


def _render(parts: list[tuple[tuple[Note, ...], int, bool, float]], dynamics: np.ndarray) -> np.ndarray:
    from engines.render import Part, render_part

    n = int(SECONDS * RATE)
    mix = np.zeros((2, n), dtype=np.float64)
    for (notes, program, drum, gain), pan in zip(parts, np.linspace(-0.3, 0.3, len(parts))):
        audio = render_part(Part(notes, program=program, is_drum=drum, gain_db=gain, pan=float(pan),
                                 dynamics=dynamics), sample_rate=RATE).audio[:, :n]
        mix[:, : audio.shape[1]] += audio
    return (mix * 0.9 / max(float(np.abs(mix).max()), 1e-9)).astype(np.float32)


def arrangement_sources(count: int) -> list[Source]:
    from engines.compose.keys import find_key
    from tests import pieces

    out = []
    for seed, bpm, meter in ARRANGEMENTS[:count]:
        piece = pieces.arrangement(seed, bpm, meter, bars=24)
        parts = [(tuple(n for n in t.notes if n.start < SECONDS), t.program, t.timbre is None,
                  float(20 * np.log10(t.gain / 0.3))) for t in piece.tracks]
        roles = {t.name: [n for n in t.notes if n.start < SECONDS] for t in piece.tracks}
        hist = np.zeros(12)
        for name in ("melody", "harmony", "bass"):
            for n in roles[name]:
                hist[n.pitch % 12] += n.duration
        bar_s = 60.0 / bpm * 4 * meter[0] / meter[1]
        name = "arrangement" + piece.name.removeprefix("band")
        out.append(Source(name, _render(parts, swell(seed)), roles, find_key(hist), meter, bar_s))
    return out


def band_sources(count: int) -> list[Source]:
    """Held-out band songs, or none when ``app.band_data`` or mma is missing."""
    try:
        from app import band_data
    except ImportError:
        return []
    if not band_data.mma_available():
        return []
    return _band(band_data, count)


def _band(band_data: object, count: int) -> list[Source]:
    """``count`` test-split songs of as many styles as there are (20 s or longer), rendered."""
    from app.mixdown import render_project
    from app.project import parse_key
    from engines.compose.data import split_of
    from engines.compose.keys import key_index

    pool = [t for t in band_data.tunes() if split_of(t.name) == "test"]  # type: ignore[attr-defined]
    order = np.random.default_rng(0).permutation(len(pool))
    out: list[Source] = []
    styles: dict[str, int] = {}
    for name, arr, project in band_data.songs([pool[i] for i in order], seed=0):  # type: ignore[attr-defined]
        if project.duration < SECONDS or styles.get(arr.style, 0) >= max(1, count // 10):
            continue
        styles[arr.style] = styles.get(arr.style, 0) + 1
        project.curves["dynamics"] = swell(len(out))
        mix = render_project(project, sample_rate=RATE, sound_font=None).mix[:, : int(SECONDS * RATE)]
        audio = (mix * 0.9 / max(float(np.abs(mix).max()), 1e-9)).astype(np.float32)
        notes: dict[str, list[Note]] = {}
        for track in project.midi_tracks():
            role = str(track.role)
            notes.setdefault(role, []).extend(n for n in project.notes_in_seconds(track.notes) if n.start < SECONDS)
        sig = project.time_signature
        bar_s = float(project.tick_to_seconds(project.ticks_per_bar))
        parsed = parse_key(project.key)
        key = key_index(*parsed) if parsed else -1
        out.append(Source(f"{arr.style}-{name.split(':')[-1][:18]}", audio, notes, key,
                          (sig.numerator, sig.denominator), bar_s))
        if len(out) >= count:
            break
    return out


def sources(kind: str, count: int) -> list[Source]:
    """``count`` pieces of ``kind`` ("band", "arrangements" or "auto": band songs when there are)."""
    if kind in ("band", "auto"):
        found = band_sources(count)
        if found or kind == "band":
            return found
    return arrangement_sources(count)


def masked(controls: object, seed: int, *, share: float = 0.5, spans: tuple[float, float] = (2.0, 5.0)) -> object:
    """The controls specified only in random spans of a few seconds (about ``share`` of the time).

    Melody, dynamics and rhythm are NaN outside the spans; only beats and
    downbeats inside them are kept.
    """
    from engines.controls import Controls

    assert isinstance(controls, Controls)
    rng = np.random.default_rng(seed)
    keep = np.zeros(controls.n_frames, dtype=bool)
    t, on = 0.0, bool(rng.random() < 0.5)
    while t < controls.duration:
        length = rng.uniform(*spans)
        if on:
            keep[int(t * CONTROL_FRAME_RATE): int((t + length) * CONTROL_FRAME_RATE)] = True
        t, on = t + length * (share / (1 - share) if on else 1.0), not on
    cut = lambda a: np.where(keep, a, np.nan)  # noqa: E731
    inside = lambda times: None if times is None else times[keep[np.minimum(  # noqa: E731
        (times * CONTROL_FRAME_RATE).astype(int), controls.n_frames - 1)]]
    return Controls.build(controls.duration, melody=cut(controls.melody), melody_chroma=cut(controls.melody_chroma),
                          dynamics=cut(controls.dynamics), rhythm=cut(controls.rhythm),
                          beats=inside(controls.beats), downbeats=inside(controls.downbeats))
