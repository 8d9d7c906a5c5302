"""Controlled generation: controls + attributes + the composer -> new parts, as notes in seconds.

``Generator(compose_engine).generate(task)`` runs, per variation:

1. melody control -> a pitch per frame (octaves chosen for pitch-class-only
   curves) and a pitch lock per 16th step of the melody track;
2. the composer writes the pitched tracks over the span, the melody held to
   its locks, in the key (scale lock), each part in its register;
3. the melody sounds the drawn pitch frame by frame where it is specified,
   struck again where the composer struck it; elsewhere the composer's notes;
4. velocities follow the dynamics curve and the metre;
5. drums (rule-based, ``drums``) follow the beats, the rhythm curve's
   density per bar, the dynamics and the bass.

The composer is used through ``engines.compose.api``; everything else here
is rules on arrays.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

from engines.common import CancelToken, Note, Progress, no_progress
from engines.compose.grid import GridNote, GridTrack
from engines.controls.curves import frame_times
from engines.generate import melody as mel
from engines.generate.attributes import DENSITIES, Resolved
from engines.generate.config import GenerateConfig
from engines.generate.drums import drum_notes
from engines.generate.dynamics import curve_at, humanised, metric_accent, velocities
from engines.generate.timing import BeatGrid
from engines.generate.tonality import tonic_anchor


@dataclass(frozen=True, eq=False)
class Curves:
    """Control curves, float32 (n,) per control frame from 0:00, NaN = unspecified.

    melody: MIDI pitch. melody_chroma: pitch class 0-11 (used where melody is
    NaN). dynamics: dB relative to the loudest frame (<= 0). rhythm: onsets
    per second. Any may be None (nothing specified).
    """

    melody: np.ndarray | None = None
    melody_chroma: np.ndarray | None = None
    dynamics: np.ndarray | None = None
    rhythm: np.ndarray | None = None


@dataclass(frozen=True)
class GenerateTask:
    """What to write. Times in 16th steps of ``grid``.

    tracks: every track of the piece (new, empty ones included). write: the
    indices to write; drum tracks get the drum engine, the rest the
    composer. start, stop: the span [start, stop) in steps (whole bars).
    key: 0-23 (``engines.compose.keys``). attributes: everything decided.
    gains_db: each track's gain (dB; missing = 0), for levelling.
    """

    grid: BeatGrid
    tracks: tuple[GridTrack, ...]
    write: tuple[int, ...]
    start: int
    stop: int
    key: int
    attributes: Resolved
    curves: Curves = field(default_factory=Curves)
    gains_db: tuple[float, ...] = ()


@dataclass(frozen=True)
class Generated:
    """One variation: ``notes[i]`` are the new notes (seconds) of ``task.write[i]`` in the span."""

    notes: tuple[tuple[Note, ...], ...]


def _role_index(task: GenerateTask, role: str, *, written: bool = True) -> int | None:
    for i, track in enumerate(task.tracks):
        if track.role == role and not track.is_drum and (i in task.write or not written):
            return i
    return None


class Generator:
    """The composer plus the rules of this package; see the module docstring."""

    def __init__(self, engine: object, config: GenerateConfig | None = None) -> None:
        self.engine = engine
        self.config = config or GenerateConfig()

    def generate(self, task: GenerateTask, *, seed: int = 0, variations: int = 1,
                 temperature: float | None = None, progress: Progress = no_progress,
                 cancel: CancelToken | None = None) -> list[Generated]:
        """``variations`` results; variation k is the single result of seed ``seed + k``."""
        if not 0 <= task.start < task.stop <= task.grid.n_steps:
            raise ValueError(f"span {task.start}-{task.stop} is not inside the grid's {task.grid.n_steps} steps")
        pitch = self.melody_pitch(task)
        pitched = tuple(i for i in task.write if not task.tracks[i].is_drum or self.composer_drums(task))
        composed: list[dict[int, list[GridNote]]] = [{} for _ in range(variations)]
        locks = self._all_locks(task, pitch)
        if pitched:
            infill = self._compose_task(task, pitched, locks)
            results = self.engine.infill(infill, seed=seed, variations=variations,  # type: ignore[attr-defined]
                                         temperature=temperature, progress=_share(progress, 0.0, 0.9),
                                         cancel=cancel)
            composed = [dict(zip(pitched, (list(n) for n in r.notes))) for r in results]
        out = []
        for k, parts in enumerate(composed):
            if cancel is not None:
                cancel.check()
            out.append(self._realize(task, parts, pitch, locks, seed + k))
        progress(1.0, "done")
        return out

    def composer_drums(self, task: GenerateTask) -> bool:
        """Whether the composer writes the drums of this task's groove (``config.composer_drums``;
        a composer that cannot write drums never does), else the rules of ``drums`` do."""
        return task.attributes.drum_style in self.config.composer_drums and _composer_takes("onset_lock")

    # -- melody ------------------------------------------------------------------------------------------
    def melody_pitch(self, task: GenerateTask) -> np.ndarray | None:
        """The melody track's pitch per frame (float32, NaN free), or None without a melody control."""
        curves = task.curves
        if _role_index(task, "melody") is None:
            return None
        pitch = placed_melody(curves.melody, curves.melody_chroma, task.attributes.register, self.config)
        if not np.isfinite(pitch).any():
            return None
        return mel.merge_short_runs(pitch, self.config.melody_min_frames)

    def _locks(self, task: GenerateTask, pitch: np.ndarray) -> np.ndarray:
        steps = task.grid.seconds_to_steps(frame_times(len(pitch)))
        locks = mel.step_locks(pitch, steps, task.grid.n_steps, min_share=self.config.lock_share)
        locks[: task.start] = -1
        locks[task.stop:] = -1
        return locks

    # -- the composer --------------------------------------------------------------------------------------
    def _all_locks(self, task: GenerateTask, pitch: np.ndarray | None) -> dict[int, np.ndarray]:
        """Pitch locks per written track (int16 (T,), -1 free): the melody control, and the
        bass's tonic at the start and end of a piece written whole."""
        locks: dict[int, np.ndarray] = {}
        melody, bass = _role_index(task, "melody"), _role_index(task, "bass")
        if pitch is not None and melody is not None:
            locks[melody] = self._locks(task, pitch)
        whole = task.start == 0 and task.stop == task.grid.n_steps
        if bass is not None and not task.tracks[bass].notes and whole:
            locks[bass] = self._tonic_locks(task)
        return locks

    def _compose_task(self, task: GenerateTask, pitched: tuple[int, ...], locks: dict[int, np.ndarray]) -> object:
        from engines.compose.api import InfillTask

        cfg, grid = self.config, task.grid
        ranges = {i: self._range(task.tracks[i].role) for i in pitched}
        voices = {i: cfg.harmony_voices for i in pitched
                  if task.tracks[i].role == "harmony" and not task.tracks[i].notes}
        extra: dict[str, object] = {"pitch_lock": locks} if _has_pitch_lock() else {
            "keep": {i: tuple(self._locked_notes(task, lock)) for i, lock in locks.items()}}
        if _composer_takes("density"):
            extra["density"] = self._density_targets(task, pitched)
        return InfillTask(tracks=task.tracks, write=pitched, start=task.start, stop=task.stop,
                          n_steps=grid.n_steps, steps_per_bar=grid.steps_per_bar, key=task.key,
                          scale_lock=True, voices=voices, ranges=ranges, **extra)  # type: ignore[arg-type]

    def _density_targets(self, task: GenerateTask, pitched: tuple[int, ...]) -> dict[int, float]:
        """Onsets per bar each written pitched track aims at: its role's rate per beat at the
        span's mean density level (the rhythm curve's bars, else the attribute)."""
        levels = self._levels(task)
        first, stop = task.start // task.grid.steps_per_bar, -(-task.stop // task.grid.steps_per_bar)
        level = DENSITIES[int(round(float(np.mean(levels[first:stop])))) if stop > first else 1]
        rates = self.config.onsets_per_beat[level]
        return {i: rates.get(task.tracks[i].role, rates["harmony"]) * task.grid.beats_per_bar for i in pitched}

    def _tonic_locks(self, task: GenerateTask) -> np.ndarray:
        """The bass's first and last downbeats held to the tonic for a beat (int16 (T,), -1 free)."""
        grid = task.grid
        last_bar = (grid.n_bars - 1) * grid.steps_per_bar
        lo, hi = self.config.bass_range
        locks = np.full(grid.n_steps, -1, dtype=np.int16)
        for pitch, start, length in tonic_anchor(task.key, [0, last_bar], grid.steps_per_beat, low=lo, high=hi):
            locks[start:start + length] = pitch
        return locks

    def _locked_notes(self, task: GenerateTask, locks: np.ndarray) -> list[GridNote]:
        """The locks as notes, for a composer without pitch locks (they become kept notes)."""
        level = DENSITIES.index(task.attributes.density)
        return locked_notes(locks, task.grid.steps_per_beat, level)

    def _range(self, role: str) -> tuple[int, int]:
        cfg = self.config
        return {"melody": cfg.melody_range, "harmony": cfg.harmony_range, "bass": cfg.bass_range,
                "drums": (27, 87)}.get(role, cfg.harmony_range)

    # -- after the composer --------------------------------------------------------------------------------
    def _realize(self, task: GenerateTask, parts: dict[int, list[GridNote]], pitch: np.ndarray | None,
                 locks: dict[int, np.ndarray], seed: int) -> Generated:
        rng = np.random.default_rng(seed)
        grid, cfg = task.grid, self.config
        out: list[tuple[Note, ...]] = []
        for i in task.write:
            track = task.tracks[i]
            if track.is_drum and not self.composer_drums(task):
                out.append(tuple(self._drums(task, parts, seed)))
                continue
            written = parts.get(i, [])
            is_lead = track.role == "melody" and pitch is not None and i == _role_index(task, "melody")
            if i in locks and not _has_pitch_lock():
                written = written + self._locked_notes(task, locks[i])
            notes = [Note(n.pitch, s, e - s, n.velocity) for n, s, e in _seconds(written, grid)]
            if is_lead:
                notes = mel.realize(self._span_pitch(task, pitch), notes, min_note=cfg.min_note_s)  # type: ignore[arg-type]
            out.append(tuple(self._velocities(task, notes, track.role, rng)))
        return Generated(self._levelled(task, out))

    def _levelled(self, task: GenerateTask, written: list[tuple[Note, ...]]) -> tuple[tuple[Note, ...], ...]:
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
        context = [NotePart(tuple(Note(n.pitch, s, e - s, n.velocity) for n, s, e in _seconds(list(t.notes), task.grid)),
                            is_drum=t.is_drum, gain_db=gain(i), expression_db=dynamics)
                   for i, t in enumerate(task.tracks) if i not in task.write and t.notes]
        fixed = [False] * len(parts) + [True] * len(context)
        done = level(parts + context, target, scale=1.0 + self.config.velocity_share, fixed=fixed,
                     rounds=self.config.level_rounds)
        return tuple(p.notes for p in done[: len(parts)])

    def _span_pitch(self, task: GenerateTask, pitch: np.ndarray) -> np.ndarray:
        """The pitch curve with frames outside the span made free."""
        t0, t1 = (float(x) for x in task.grid.step_seconds(np.array([task.start, task.stop])))
        times = frame_times(len(pitch))
        return np.where((times >= t0) & (times < t1), pitch, np.nan).astype(np.float32)

    def _velocities(self, task: GenerateTask, notes: list[Note], role: str, rng: np.random.Generator) -> list[Note]:
        if not notes:
            return []
        cfg, grid = self.config, task.grid
        starts = np.array([n.start for n in notes])
        beats = grid.seconds_to_steps(starts) / grid.steps_per_beat
        base = cfg.base_velocity.get(role, 84) + metric_accent(beats, grid.beats_per_bar)
        base = humanised(base, cfg.velocity_spread, rng)
        vel = velocities(base, curve_at(task.curves.dynamics, starts), share=cfg.velocity_share)
        return [replace(n, velocity=int(v)) for n, v in zip(notes, vel)]

    def _levels(self, task: GenerateTask) -> np.ndarray:
        """Density level (0-2) of each bar: from the rhythm curve where given, else the attribute."""
        grid, cfg = task.grid, self.config
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

    def _drums(self, task: GenerateTask, parts: dict[int, list[GridNote]], seed: int) -> list[Note]:
        grid = task.grid
        beat_mid = grid.beat_seconds(np.arange(grid.n_beats) + 0.5)
        db = curve_at(task.curves.dynamics, beat_mid)
        bass = _role_index(task, "bass", written=False)
        bass_beats = None
        if bass is not None:
            notes = parts.get(bass) if bass in parts else list(task.tracks[bass].notes)
            bass_beats = np.array([n.start for n in notes or []], dtype=np.float64) / grid.steps_per_beat
        bars = (task.start // grid.steps_per_bar, -(-task.stop // grid.steps_per_bar))
        return drum_notes(grid, task.attributes.drum_style, self._levels(task), db, bass_beats=bass_beats,
                          bars=bars, config=self.config.drums, seed=seed)


def placed_melody(melody: np.ndarray | None, chroma: np.ndarray | None, register: str,
                  config: GenerateConfig) -> np.ndarray:
    """MIDI pitch per frame (float32, NaN unspecified): ``melody`` where given (float (n,)
    MIDI pitches), else ``chroma`` (pitch classes) placed in the melody range around the
    register's centre (``melody.place_octaves``)."""
    n = max([0] + [len(c) for c in (melody, chroma) if c is not None])
    lo, hi = config.melody_range
    return mel.melody_frames(_sized(melody, n), _sized(chroma, n), low=lo, high=hi,
                             center=config.melody_centre[register])


def _composer_takes(name: str) -> bool:
    """Whether the composer's ``InfillTask`` has the field ``name`` (pitch_lock, density...)."""
    from engines.compose.api import InfillTask

    return name in {f.name for f in fields(InfillTask)}


def _has_pitch_lock() -> bool:
    """Whether the composer takes pitch locks (else locked pitches go in as kept notes)."""
    return _composer_takes("pitch_lock")


def locked_notes(locks: np.ndarray, steps_per_beat: int, level: int) -> list[GridNote]:
    """Notes sounding the locked pitches (int16 (T,), -1 free): a new note where the pitch
    changes, and every bar (level 0), beat (1) or half beat (2) within a held pitch."""
    every = {0: 4 * steps_per_beat, 1: steps_per_beat, 2: max(1, steps_per_beat // 2)}[int(level)]
    notes: list[GridNote] = []
    t, n = 0, len(locks)
    while t < n:
        if locks[t] < 0:
            t += 1
            continue
        end = t + 1
        while end < n and locks[end] == locks[t] and end % every:
            end += 1
        notes.append(GridNote(int(locks[t]), t, end - t))
        t = end
    return notes


def _sized(curve: np.ndarray | None, n: int) -> np.ndarray:
    out = np.full(n, np.nan, dtype=np.float32)
    if curve is not None:
        out[: min(n, len(curve))] = curve[:n]
    return out


def _seconds(notes: list[GridNote], grid: BeatGrid) -> list[tuple[GridNote, float, float]]:
    if not notes:
        return []
    starts = grid.step_seconds(np.array([n.start for n in notes], dtype=np.float64))
    ends = grid.step_seconds(np.array([n.end for n in notes], dtype=np.float64))
    return list(zip(notes, starts.tolist(), ends.tolist()))


def _share(progress: Progress, offset: float, share: float) -> Progress:
    return lambda fraction, message="": progress(offset + share * fraction, message)


