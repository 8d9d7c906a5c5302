"""Rule-based drums that follow the beats: a groove per style, busier or sparser by the
rhythm curve, louder or softer by the dynamics curve, kicks that lock to the bass,
fills at phrase ends and a crash after them, humanised timing and velocity.

Positions are in beats from a bar line (a beat is the meter's beat: a dotted
quarter in 6/8), so a groove sits on whatever beats the grid holds, drifting
tempo included. Density level 0 thins the groove (hi-hats on the beats
only), 1 plays it as written, 2 adds 16ths (triplets in a shuffle or 6/8)
and ghost notes. No hit falls before ``grid.first_beat`` (a lead-in nobody
asked for).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.common import Note
from engines.generate.dynamics import humanised, velocities
from engines.generate.timing import BeatGrid

KICK, SNARE, RIM, CLAP, HAT, PEDAL, OPEN_HAT, CRASH, RIDE = 36, 38, 37, 39, 42, 44, 46, 49, 51
TOMS = (50, 48, 47, 45, 43, 41)
Hit = tuple[int, float, int]
"""(GM drum note, position in beats from the bar line, velocity at full level)."""


@dataclass(frozen=True)
class DrumConfig:
    """How drums are played.

    phrase_bars: a fill closes every phrase of this many bars. fill_beats:
    beats a fill takes. timing_ms: spread (standard deviation, ms) of the
    timing; velocity_spread: of the velocities. dynamics_share: share of the
    dynamics curve's dB the velocities follow. bass_kicks: most extra kicks a
    bar takes from the bass's onsets. hit_s: length of a drum note (s).
    """

    phrase_bars: int = 4
    fill_beats: int = 1
    timing_ms: float = 5.0
    velocity_spread: float = 5.0
    dynamics_share: float = 0.5
    bass_kicks: int = 2
    hit_s: float = 0.1


def _every(note: int, step: float, beats: int, velocity: int, accent: int = 0) -> list[Hit]:
    n = int(round(beats / step))
    return [(note, i * step, velocity + (accent if (i * step) % 1 == 0 else 0)) for i in range(n)]


def groove(style: str, beats_per_bar: int, level: int) -> list[Hit]:
    """One bar of ``style`` at density ``level`` (0 sparse, 1 as written, 2 busy)."""
    b = beats_per_bar
    hat = HAT if style != "shuffle" else RIDE
    sub = {0: 1.0, 1: 0.5, 2: 0.25}[level]
    if style in ("shuffle", "six_eight"):
        sub = {0: 1.0, 1: 1 / 3 if style == "six_eight" else 2 / 3, 2: 1 / 3}[level]
    hits = _every(hat, sub, b, 70, accent=14) if style != "shuffle" or level == 0 else _swung(hat, b, level)
    hits += _kit(style, b, level)
    return hits


def _swung(hat: int, beats: int, level: int) -> list[Hit]:
    hits = [(hat, float(i), 84) for i in range(beats)] + [(hat, i + 2 / 3, 62) for i in range(beats)]
    if level == 2:
        hits += [(hat, i + 1 / 3, 44) for i in range(beats)]
    return hits


def _kit(style: str, b: int, level: int) -> list[Hit]:
    """Kick, snare and extras of a groove."""
    backbeats = [float(i) for i in range(1, b, 2)] if b % 2 == 0 else [float(i) for i in range(1, b)]
    if style == "four_on_floor":
        hits = [(KICK, float(i), 118 if i == 0 else 98) for i in range(b)] + [(CLAP, s, 98) for s in backbeats]
        hits += [(RIDE, 0.0, 84)]  # a bell on the one: every beat has a kick, the bar needs a mark
        return hits + ([(OPEN_HAT, i + 0.5, 74) for i in range(b)] if level else [])
    if style == "halftime":
        hits = [(KICK, 0.0, 112), (SNARE, b / 2.0 if b % 2 == 0 else b - 1.0, 108)]
        return hits + ([(KICK, 1.75, 84), (KICK, b - 0.5, 88)] if level else [])
    if style == "bossa":
        kicks = [(KICK, s + o, 100 if o == 0 else 76) for s in range(0, b, 2) for o in (0.0, 1.5) if s + o < b]
        rims = [(RIM, p, 74) for p in (0.0, 0.75, 1.5, 2.5, 3.25) if p < b]
        return kicks + rims + [(PEDAL, s, 88) for s in backbeats]  # the foot on 2 and 4 keeps the pulse
    if style in ("waltz",) or (b == 3 and style not in ("shuffle",)):
        return [(KICK, 0.0, 112)] + [(SNARE, float(i), 84) for i in range(1, b)]
    if style == "six_eight":
        return [(KICK, 0.0, 112), (SNARE, float(b - 1), 102)] + ([(KICK, 2 / 3, 78)] if level == 2 else [])
    hits = [(KICK, float(i), 112) for i in range(0, b, 2)] + [(SNARE, s, 106) for s in backbeats]
    if level >= 1 and b >= 4:
        hits.append((KICK, b - 1.5, 90))
    if style == "sixteenths" and level >= 1:
        hits += [(SNARE, s - 0.25, 40) for s in backbeats] + [(KICK, 0.75, 80)]
    return hits


def fill(beats_per_bar: int, fill_beats: int, rng: np.random.Generator) -> list[Hit]:
    """The last ``fill_beats`` of a bar: 16ths down the toms (or snare), getting louder."""
    start = beats_per_bar - fill_beats
    n = 4 * fill_beats
    pattern = rng.integers(0, 3)
    hits: list[Hit] = []
    for i in range(n):
        note = SNARE if pattern == 0 and i < n // 2 else TOMS[min(len(TOMS) - 1, i * len(TOMS) // n)]
        hits.append((note, start + i / 4, 80 + 30 * i // max(1, n - 1)))
    return hits + [(KICK, float(start), 100)]


def drum_notes(grid: BeatGrid, style: str, levels: np.ndarray, db: np.ndarray, *,
               bass_beats: np.ndarray | None = None, bars: tuple[int, int] | None = None,
               config: DrumConfig = DrumConfig(), seed: int = 0) -> list[Note]:
    """The drum track over ``bars`` (first, stop) of the grid (default: all), as notes in seconds.

    levels: int (n_bars,) density level of each bar. db: float (n_beats,) the
    dynamics curve (dB <= 0) at each beat. bass_beats: onset positions of the
    bass in beats from 0 (its accents the kick may follow).
    """
    rng = np.random.default_rng(seed)
    bpb = grid.beats_per_bar
    first, stop = bars or (0, grid.n_bars)
    hits: list[tuple[int, float, float]] = []
    for bar in range(first, stop):
        pattern = groove(style, bpb, int(levels[min(bar, len(levels) - 1)]))
        pattern += _bass_kicks(pattern, bass_beats, bar, bpb, config.bass_kicks)
        if (bar + 1) % config.phrase_bars == 0 and bar + 1 < stop:
            cut = bpb - config.fill_beats
            pattern = [h for h in pattern if h[1] < cut]
            pattern += fill(bpb, config.fill_beats, rng)
        if bar % config.phrase_bars == 0 and bar > first:
            pattern.append((CRASH, 0.0, 100))
        hits += [(note, bar * bpb + pos, vel) for note, pos, vel in pattern]
    return _perform(grid, hits, db, config, rng)


def _bass_kicks(pattern: list[Hit], bass_beats: np.ndarray | None, bar: int, bpb: int,
                most: int) -> list[Hit]:
    """Kicks under the bass's onsets on the 8th grid that the groove leaves empty."""
    if bass_beats is None or most <= 0:
        return []
    local = bass_beats[(bass_beats >= bar * bpb) & (bass_beats < (bar + 1) * bpb)] - bar * bpb
    taken = {round(p * 4) for note, p, _ in pattern if note == KICK}
    out: list[Hit] = []
    for p in local:
        q = round(p * 2) / 2
        if abs(p - q) < 0.05 and round(q * 4) not in taken and len(out) < most:
            out.append((KICK, float(q), 78))
            taken.add(round(q * 4))
    return out


def _perform(grid: BeatGrid, hits: list[tuple[int, float, float]], db: np.ndarray, config: DrumConfig,
             rng: np.random.Generator) -> list[Note]:
    """Hits at beat positions -> notes in seconds, with dynamics and a human touch."""
    hits = [h for h in hits if h[1] >= grid.first_beat - 1e-9]
    if not hits:
        return []
    notes = np.array([h[0] for h in hits])
    pos = np.array([h[1] for h in hits], dtype=np.float64)
    base = humanised(np.array([h[2] for h in hits], dtype=np.float64), config.velocity_spread, rng)
    level = db[np.clip(np.floor(pos).astype(np.int64), 0, len(db) - 1)] if len(db) else np.zeros(len(pos))
    vel = velocities(base, level, share=config.dynamics_share)
    times = humanised(grid.beat_seconds(pos), config.timing_ms / 1000.0, rng)
    times[pos <= 1e-9] = 0.0
    return sorted((Note(int(n), float(max(0.0, t)), config.hit_s, int(v))
                   for n, t, v in zip(notes, times, vel)), key=lambda n: (n.start, n.pitch))
