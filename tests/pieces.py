"""Multitrack test pieces with known beats: generated arrangements and Bach chorales.

``arrangement`` writes a small band (melody, harmony, bass, optional drums)
in 3/4, 4/4 or 6/8 at any tempo; ``chorale`` takes a four-part chorale from
music21's corpus. Both know their true beats and downbeats; ``audio``
renders them with Partita's built-in synthesiser (engines.render) or with
the simpler additive ``tests.synth``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engines.common import Note
from engines.controls.symbolic import NotePart, metric_grid
from tests import synth

_SCALE = np.array([0, 2, 4, 5, 7, 9, 11])
_PROGRESSIONS = ([0, 5, 3, 4], [0, 3, 4, 0], [5, 3, 0, 4], [0, 4, 5, 3], [1, 4, 0, 0])
_BEAT_EIGHTHS = {(3, 4): (0, 2, 4), (4, 4): (0, 2, 4, 6), (6, 8): (0, 3)}


@dataclass
class Track:
    name: str
    notes: list[Note]
    timbre: synth.Timbre | None  # None: drum kit
    melody: bool = False
    gain: float = 0.3
    program: int = 0


@dataclass
class Piece:
    """Tracks with true beats/downbeats (seconds)."""

    name: str
    tracks: list[Track]
    beats: np.ndarray
    downbeats: np.ndarray
    duration: float
    meta: dict[str, object] = field(default_factory=dict)

    def parts(self) -> list[NotePart]:
        return [NotePart(tuple(t.notes), is_drum=t.timbre is None, melody=t.melody,
                         gain_db=20 * np.log10(t.gain / 0.3)) for t in self.tracks]


def _chord(key: int, degree: int, octave: int) -> list[int]:
    return [12 * (octave + 1) + key + _SCALE[(degree + i) % 7] + 12 * ((degree + i) // 7)
            for i in (0, 2, 4)]


_GROUPS = {2: ([2], [1, 1], [2], [1, 1]), 3: ([3], [2, 1], [1, 1, 1], [1, 2])}


def _melody_rhythm(rng: np.random.Generator, meter: tuple[int, int]) -> list[int]:
    """Durations (eighths) filling a bar, built from the meter's beat groups."""
    group = 3 if meter == (6, 8) else 2
    out: list[int] = []
    for _ in range(meter[0] * 8 // meter[1] // group):
        choices = _GROUPS[group]
        out += choices[int(rng.integers(len(choices)))]
    if group == 2 and len(out) > 2 and rng.random() < 0.3:  # a syncopation
        i = int(rng.integers(len(out) - 1))
        out[i: i + 2] = [out[i] + out[i + 1]]
    return out


def arrangement(seed: int, bpm: float, meter: tuple[int, int], *, bars: int = 12,
                drums: bool = True) -> Piece:
    """A band arrangement; ``bpm`` counts quarter notes (6/8 beats are dotted quarters)."""
    rng = np.random.default_rng(seed)
    eighth = 30.0 / bpm
    bar_eighths = meter[0] * 8 // meter[1]
    beat_pos = _BEAT_EIGHTHS[meter]
    key = int(rng.integers(0, 12))
    prog = _PROGRESSIONS[seed % len(_PROGRESSIONS)]
    mel, har, bass, kit = [], [], [], []
    pitch = 72 + key
    for bar in range(bars):
        t0 = bar * bar_eighths
        chord = _chord(key, prog[bar % len(prog)], 4)
        for i, b in enumerate(beat_pos):
            nxt = beat_pos[i + 1] if i + 1 < len(beat_pos) else bar_eighths
            root = chord[0] - 24 + (7 if i % 2 and rng.random() < 0.3 else 0)
            bass.append(Note(root, (t0 + b) * eighth, (nxt - b) * eighth * 0.9, 100 if i == 0 else 85))
            if seed % 2 or i == 0:
                length = (nxt - b) if seed % 2 else bar_eighths
                har += [Note(p, (t0 + b) * eighth, length * eighth * 0.95, 70) for p in chord]
        pos = t0
        for d in _melody_rhythm(rng, meter):
            if rng.random() < 0.85:
                pitch = int(np.clip(pitch + rng.integers(-3, 4), 67, 86))
                pc_ok = [p for p in range(pitch - 2, pitch + 3) if (p - key) % 12 in _SCALE]
                pitch = int(rng.choice(pc_ok))
                vel = 105 if (pos - t0) in beat_pos else 85
                mel.append(Note(pitch, pos * eighth, d * eighth * 0.9, vel))
            pos += d
        if drums:
            kit += _drum_bar(meter, t0, eighth, rng)
    # The grid runs on through the final second of ringing, as a DAW's would.
    beats, downbeats = metric_grid(bpm, *meter, bars * bar_eighths * eighth + 1.0)
    tracks = [Track("melody", mel, synth.PLUCK, melody=True, gain=0.35,
                    program=(73, 80, 65, 56)[seed % 4]),
              Track("harmony", har, synth.PIANO if seed % 2 else synth.PAD, gain=0.12,
                    program=(0, 4, 48, 24)[seed % 4]),
              Track("bass", bass, synth.BASS, gain=0.35, program=(33, 32, 38)[seed % 3])]
    if drums:
        tracks.append(Track("drums", kit, None, gain=0.5))
    name = f"band{seed}-{meter[0]}/{meter[1]}-{bpm:g}bpm{'' if drums else '-nodrums'}"
    return Piece(name, tracks, beats, downbeats, bars * bar_eighths * eighth + 1.0,
                 {"bpm": bpm, "meter": meter})


def _drum_bar(meter: tuple[int, int], t0: int, eighth: float, rng: np.random.Generator) -> list[Note]:
    """Kick on the downbeat, snare on the back beats, hats on the eighths."""
    bar_eighths = meter[0] * 8 // meter[1]
    snares = {(3, 4): (2, 4), (4, 4): (2, 6), (6, 8): (3,)}[meter]
    kicks = {(3, 4): (0,), (4, 4): (0, 4), (6, 8): (0,)}[meter]
    notes = [Note(synth.HIHAT, (t0 + e) * eighth, 0.05, 90 if e % 2 == 0 else 60)
             for e in range(bar_eighths)]
    notes += [Note(synth.KICK, (t0 + e) * eighth, 0.1, 110) for e in kicks]
    if rng.random() < 0.3:  # a syncopated extra kick
        notes.append(Note(synth.KICK, (t0 + bar_eighths - 1) * eighth, 0.1, 80))
    notes += [Note(synth.SNARE, (t0 + e) * eighth, 0.1, 100) for e in snares]
    return notes


def chorale(name: str, bpm: float) -> Piece:
    """A four-part chorale from music21's corpus at ``bpm`` quarter notes per minute."""
    from music21 import corpus

    score = corpus.parse(name).stripTies()
    quarter = 60.0 / bpm
    tracks = []
    for i, part in enumerate(score.parts):
        notes = [Note(int(p.midi), float(n.getOffsetInHierarchy(part)) * quarter,
                      float(n.quarterLength) * quarter * 0.95, 90)
                 for n in part.flatten().notes for p in n.pitches]
        tracks.append(Track(part.partName or f"voice{i}", notes, synth.PIANO,
                            melody=i == 0, gain=0.25, program=(0, 48, 19)[len(name) % 3]))
    measures = list(score.parts[0].getElementsByClass("Measure"))
    sig = measures[0].getTimeSignatures()[0]
    bar = float(sig.barDuration.quarterLength)
    end = max(n.end for t in tracks for n in t.notes)
    first_full = next(m for m in measures if abs(float(m.duration.quarterLength) - bar) < 1e-6)
    downbeats = np.array([float(m.offset) * quarter for m in measures
                          if float(m.offset) >= float(first_full.offset)])
    beats = np.arange(0.0, end - 1e-6, quarter * 4 / sig.denominator)
    downbeats = downbeats[downbeats < end - 1e-6]
    return Piece(f"{name}-{bpm:g}bpm", tracks, beats, downbeats, end + 1.0,
                 {"bpm": bpm, "meter": (sig.numerator, sig.denominator)})


def audio(piece: Piece, sr: int = 44100, *, stereo: bool = True,
          renderer: str = "builtin") -> np.ndarray:
    """Render ``piece``: float32 (2, n) or (1, n) peaking at 0.9.

    renderer: "builtin" (engines.render, GM programs) or "synth" (tests.synth).
    """
    if renderer == "builtin":
        return _render_builtin(piece, sr, stereo)
    rendered = [synth.render(t.notes, sr, piece.duration, timbre=t.timbre or synth.PIANO,
                             drums=t.timbre is None, gain=t.gain, seed=i)
                for i, t in enumerate(piece.tracks)]
    mono = synth.mix(rendered)
    if not stereo:
        return mono[None, :]
    pans = np.linspace(0.35, 0.65, len(rendered))
    left = synth.mix([r * (1 - p) for r, p in zip(rendered, pans)], peak=1.0)
    right = synth.mix([r * p for r, p in zip(rendered, pans)], peak=1.0)
    scale = 0.9 / max(np.abs(left).max(), np.abs(right).max(), 1e-9)
    return np.stack([left, right]) * scale


def _render_builtin(piece: Piece, sr: int, stereo: bool) -> np.ndarray:
    from engines.render import Part, render_part

    n = int(piece.duration * sr)
    pans = np.linspace(-0.3, 0.3, len(piece.tracks))
    mix = np.zeros((2, n), dtype=np.float64)
    for track, pan in zip(piece.tracks, pans):
        part = Part(notes=tuple(track.notes), program=track.program, is_drum=track.timbre is None,
                    gain_db=float(20 * np.log10(track.gain / 0.3)), pan=float(pan))
        audio = render_part(part, sample_rate=sr).audio[:, :n]
        mix[:, : audio.shape[1]] += audio
    mix *= 0.9 / max(float(np.abs(mix).max()), 1e-9)
    out = mix.astype(np.float32)
    return out if stereo else out.mean(axis=0, keepdims=True)
