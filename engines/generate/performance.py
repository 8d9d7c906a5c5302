"""Playing the written parts: velocities from the dynamics curve and the metre, levelling so the
whole follows the curve, density levels per bar from the rhythm curve, and the rule drums."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from engines.common import Note
from engines.compose.grid import GridNote
from engines.controls.curves import frame_times
from engines.generate.attributes import DENSITIES
from engines.generate.config import GenerateConfig
from engines.generate.drums import drum_notes
from engines.generate.dynamics import curve_at, humanised, metric_accent, velocities
from engines.generate.task import GenerateTask, role_index
from engines.generate.timing import BeatGrid


def levelled(task: GenerateTask, written: list[tuple[Note, ...]], config: GenerateConfig) -> tuple[tuple[Note, ...], ...]:
    """Velocities of the written parts moved so the whole follows the dynamics curve (``leveling``)."""
    from engines.controls.symbolic import NotePart
    from engines.generate.leveling import level

    dynamics = task.curves.dynamics
    if dynamics is None or np.isfinite(dynamics).sum() < 2 or not written:
        return tuple(written)
    t0, t1 = (float(x) for x in task.grid.step_seconds(np.array([task.start, task.stop])))
    target = np.where((frame_times(len(dynamics)) >= t0) & (frame_times(len(dynamics)) < t1), dynamics, np.nan)
    gain = lambda i: task.gains_db[i] if i < len(task.gains_db) else 0.0  # noqa: E731
    parts = [NotePart(notes, is_drum=task.tracks[i].is_drum, gain_db=gain(i), expression_db=dynamics)
             for i, notes in zip(task.write, written)]
    context = [NotePart(tuple(Note(n.pitch, s, e - s, n.velocity) for n, s, e in in_seconds(list(t.notes), task.grid)),
                        is_drum=t.is_drum, gain_db=gain(i), expression_db=dynamics)
               for i, t in enumerate(task.tracks) if i not in task.write and t.notes]
    fixed = [False] * len(parts) + [True] * len(context)
    done = level(parts + context, target, scale=1.0 + config.velocity_share, fixed=fixed,
                 rounds=config.level_rounds)
    return tuple(p.notes for p in done[: len(parts)])


def note_velocities(task: GenerateTask, notes: list[Note], role: str, rng: np.random.Generator,
                    config: GenerateConfig) -> list[Note]:
    """The notes with velocities from the role's base, the metre, a human touch and the dynamics curve."""
    if not notes:
        return []
    cfg, grid = config, task.grid
    starts = np.array([n.start for n in notes])
    beats = grid.seconds_to_steps(starts) / grid.steps_per_beat
    base = cfg.base_velocity.get(role, 84) + metric_accent(beats, grid.beats_per_bar)
    base = humanised(base, cfg.velocity_spread, rng)
    vel = velocities(base, curve_at(task.curves.dynamics, starts), share=cfg.velocity_share)
    return [replace(n, velocity=int(v)) for n, v in zip(notes, vel)]


def bar_levels(task: GenerateTask, config: GenerateConfig) -> np.ndarray:
    """Density level (0-2) of each bar: from the rhythm curve where given, else the attribute."""
    grid, cfg = task.grid, config
    default = DENSITIES.index(task.attributes.density)
    levels = np.full(grid.n_bars, default, dtype=np.int64)
    rhythm = task.curves.rhythm
    if rhythm is None or not np.isfinite(rhythm).any():
        return levels
    bars = grid.seconds_to_steps(frame_times(len(rhythm))) // grid.steps_per_bar
    for bar in range(grid.n_bars):
        values = rhythm[(bars == bar) & np.isfinite(rhythm)]
        if len(values) == 0:
            continue
        beat_s = (grid.times[min(len(grid.times) - 1, (bar + 1) * grid.beats_per_bar)]
                  - grid.times[bar * grid.beats_per_bar]) / grid.beats_per_bar
        per_beat = float(np.mean(values)) * beat_s
        levels[bar] = int(np.searchsorted(cfg.per_beat_levels, per_beat))
    return levels


def drum_part(task: GenerateTask, parts: dict[int, list[GridNote]], seed: int, config: GenerateConfig) -> list[Note]:
    """The rule drums over the span (``drums``), following the bass as written (``parts``) or as it was."""
    grid = task.grid
    beat_mid = grid.beat_seconds(np.arange(grid.n_beats) + 0.5)
    db = curve_at(task.curves.dynamics, beat_mid)
    bass = role_index(task, "bass", written=False)
    bass_beats = None
    if bass is not None:
        notes = parts.get(bass) if bass in parts else list(task.tracks[bass].notes)
        bass_beats = np.array([n.start for n in notes or []], dtype=np.float64) / grid.steps_per_beat
    bars = (task.start // grid.steps_per_bar, -(-task.stop // grid.steps_per_bar))
    return drum_notes(grid, task.attributes.drum_style, bar_levels(task, config), db, bass_beats=bass_beats,
                      bars=bars, config=config.drums, seed=seed)


def in_seconds(notes: list[GridNote], grid: BeatGrid) -> list[tuple[GridNote, float, float]]:
    """(note, start s, end s) of grid notes through the beat grid."""
    if not notes:
        return []
    starts = grid.step_seconds(np.array([n.start for n in notes], dtype=np.float64))
    ends = grid.step_seconds(np.array([n.end for n in notes], dtype=np.float64))
    return list(zip(notes, starts.tolist(), ends.tolist()))
