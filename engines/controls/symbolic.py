"""Controls computed from notes, so a MIDI sketch and a recording compare directly.

melody: the top voice (highest sounding pitch) of the melody parts, or of all
pitched parts when none is marked. dynamics: the summed power of sounding
notes from their velocities (the GM curve, 40 log10(v/127) dB, as the renderer
plays them), track gains and expression (CC11 or a drawn dynamics curve), in
dB relative to the loudest frame and smoothed like audio dynamics. rhythm: note-onset
density. beats/downbeats: given by the caller from the tempo map, or from
``metric_grid`` for a constant tempo.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from engines.common import CONTROL_FRAME_RATE, Note
from engines.controls.config import ControlsConfig
from engines.controls.curves import Controls, n_frames_for
from engines.controls.shaping import dynamics_curve, merge_onsets, onset_density


@dataclass(frozen=True, eq=False)
class NotePart:
    """One track's notes for symbolic controls.

    notes: in seconds. is_drum: unpitched (no melody; hits sound at least
    ``drum_min_duration_s``). gain_db: the track's gain. melody: this part
    carries the melody. expression_db: float32 gain in dB per control frame
    from 0:00 (CC11 as 40 log10(value/127), or a drawn dynamics curve); NaN
    or past its end = 0 dB; None = no expression.
    """

    notes: tuple[Note, ...]
    is_drum: bool = False
    gain_db: float = 0.0
    melody: bool = False
    expression_db: np.ndarray | None = None


def _frame_span(start: float, end: float, n: int) -> tuple[int, int]:
    """Frames whose centre lies in [start, end), at least one; clipped to [0, n)."""
    a = int(np.ceil(start * CONTROL_FRAME_RATE - 1e-9))
    b = max(int(np.ceil(end * CONTROL_FRAME_RATE - 1e-9)), a + 1)
    return max(0, a), min(n, b)


def top_voice(parts: Sequence[NotePart], n: int) -> np.ndarray:
    """Highest sounding MIDI pitch per frame (float32, NaN where nothing sounds)."""
    chosen = [p for p in parts if p.melody and not p.is_drum] or [p for p in parts if not p.is_drum]
    top = np.full(n, -1.0, dtype=np.float32)
    for part in chosen:
        for note in part.notes:
            a, b = _frame_span(note.start, note.end, n)
            np.maximum(top[a:b], note.pitch, out=top[a:b])
    return np.where(top >= 0, top, np.nan).astype(np.float32)


def _expression_gain(expression_db: np.ndarray, n: int) -> np.ndarray:
    """Power factor per frame (float64) from an expression curve in dB (NaN = 0 dB)."""
    db = np.zeros(n, dtype=np.float64)
    values = np.asarray(expression_db, dtype=np.float64).reshape(-1)[:n]
    db[: len(values)] = np.nan_to_num(values, nan=0.0)
    return 10.0 ** (db / 10.0)


def note_power(parts: Sequence[NotePart], n: int, config: ControlsConfig) -> np.ndarray:
    """Summed power of the sounding notes per frame (float64; 1.0 = one full-velocity note)."""
    total = np.zeros(n, dtype=np.float64)
    for part in parts:
        power = np.zeros(n, dtype=np.float64)
        track = 10.0 ** (part.gain_db / 10.0)
        for note in part.notes:
            length = max(note.duration, config.drum_min_duration_s) if part.is_drum else note.duration
            a, b = _frame_span(note.start, note.start + length, n)
            power[a:b] += track * (note.velocity / 127.0) ** (2.0 * config.velocity_exponent)
        if part.expression_db is not None:
            power *= _expression_gain(part.expression_db, n)
        total += power
    return total


def controls_from_notes(parts: Sequence[NotePart], *, duration: float | None = None,
                        beats: np.ndarray | None = None, downbeats: np.ndarray | None = None,
                        config: ControlsConfig | None = None) -> Controls:
    """Melody (MIDI pitch), dynamics, rhythm, beats and downbeats of notes.

    parts: the tracks (muted ones left out by the caller). duration: seconds
    covered (default: where the last note ends). beats, downbeats: seconds
    (float64), e.g. from the tempo map; None leaves them unspecified.
    """
    config = config or ControlsConfig()
    if duration is None:
        duration = max((nt.end for p in parts for nt in p.notes), default=0.0)
    n = n_frames_for(duration)
    power = note_power(parts, n, config)
    with np.errstate(divide="ignore"):
        level = 10.0 * np.log10(power)
    onsets = merge_onsets(np.array([nt.start for p in parts for nt in p.notes]),
                          config.onset_min_gap_s)
    keep = lambda t: None if t is None else np.asarray(t)[np.asarray(t) < duration]  # noqa: E731
    return Controls.build(duration, melody=top_voice(parts, n),
                          dynamics=dynamics_curve(level, config),
                          rhythm=onset_density(onsets, n, config),
                          beats=keep(beats), downbeats=keep(downbeats))


def is_compound(numerator: int, denominator: int) -> bool:
    """Whether a meter counts its beat in dotted notes (6/8, 9/8, 12/8, 6/16 ...)."""
    return denominator >= 8 and numerator % 3 == 0 and numerator > 3


def metric_grid(bpm: float, numerator: int, denominator: int, duration: float, *,
                start: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(beats, downbeats) in seconds for a constant tempo, from ``start`` to ``duration``.

    ``bpm`` counts quarter notes. The beat is the denominator's note, or the
    dotted note in compound meters (two beats per 6/8 bar).
    """
    note = 4.0 / denominator * 60.0 / bpm
    per_beat = 3 if is_compound(numerator, denominator) else 1
    beat = note * per_beat
    beats_per_bar = numerator // per_beat
    beats = np.arange(start, duration - 1e-9, beat) if beat > 0 else np.zeros(0)
    return beats, beats[::beats_per_bar].copy()
