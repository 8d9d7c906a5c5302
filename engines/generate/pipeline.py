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

from dataclasses import fields

import numpy as np

from engines.common import CancelToken, Note, Progress, no_progress
from engines.compose.grid import GridNote
from engines.controls.curves import frame_times
from engines.generate import melody as mel
from engines.generate.attributes import DENSITIES
from engines.generate.conditioning import attribute_classes, only_trained, step_controls, trained_conditions
from engines.generate.config import GenerateConfig
from engines.generate.performance import bar_levels, drum_part, in_seconds, levelled, note_velocities
from engines.generate.task import Curves, Generated, GenerateTask, role_index
from engines.generate.tonality import tonic_anchor

__all__ = ["Curves", "Generated", "GenerateTask", "Generator", "placed_melody", "locked_notes"]


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
        if role_index(task, "melody") is None:
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
        """Pitch locks per written track (int16 (T,), -1 free): the melody control; in a piece
        written whole, the bass and the harmony's top voice on the tonic where it starts and
        ends, and the melody ending on it (where no melody control says otherwise)."""
        locks: dict[int, np.ndarray] = {}
        melody = role_index(task, "melody")
        if pitch is not None and melody is not None:
            locks[melody] = self._locks(task, pitch)
        whole = task.start == 0 and task.stop == task.grid.n_steps
        for role, lane_range in (("bass", self.config.bass_range), ("harmony", self.config.harmony_range)):
            i = role_index(task, role)
            if i is not None and not task.tracks[i].notes and whole:
                locks[i] = self._tonic_locks(task, lane_range, start_too=True)
        if melody is not None and not task.tracks[melody].notes and whole:
            end = self._tonic_locks(task, self.config.melody_range, start_too=False)
            mine = locks.get(melody)
            locks[melody] = end if mine is None else np.where((mine < 0) & (end >= 0), end, mine).astype(np.int16)
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
            extra["density"] = self._density_targets(task, pitched, locks)
        extra.update(self._conditioning(task, locks, extra.get("density", {})))  # type: ignore[arg-type]
        return InfillTask(tracks=task.tracks, write=pitched, start=task.start, stop=task.stop,
                          n_steps=grid.n_steps, steps_per_bar=grid.steps_per_bar, key=task.key,
                          scale_lock=True, voices=voices, ranges=ranges, **extra)  # type: ignore[arg-type]

    def _conditioning(self, task: GenerateTask, locks: dict[int, np.ndarray],
                      density: dict[int, float]) -> dict[str, object]:
        """Per-step controls and attribute classes, each only where the composer's weights say
        they were trained on it (``conditioning.trained_conditions``); older weights get neither."""
        trained = trained_conditions(self.engine)
        model_config = getattr(self.engine, "config", None)
        if not trained or model_config is None:
            return {}
        out: dict[str, object] = {}
        names = tuple(model_config.controls)
        if trained & set(names) and _composer_takes("controls"):
            melody = role_index(task, "melody")
            steps = step_controls(task, locks.get(melody) if melody is not None else None, names)
            out["controls"] = only_trained(steps, names, trained)
        classes = attribute_classes(task, melody_centre=self.config.melody_centre[task.attributes.register],
                                    onsets_per_bar=float(sum(density.values())))
        known = dict(model_config.attributes)
        attributes = {k: v for k, v in classes.items() if k in known and k in trained}
        if attributes and _composer_takes("attributes"):
            out["attributes"] = attributes
        return out

    def _density_targets(self, task: GenerateTask, pitched: tuple[int, ...],
                         locks: dict[int, np.ndarray]) -> dict[int, float]:
        """Onsets per bar each written track aims at: its role's rate per beat at the span's mean
        density level (the rhythm curve's bars, else the attribute). A melody held to a curve
        over most of the span aims at the curve's own changes of pitch: the curve already sets
        its notes, so the composer adds few strokes of its own."""
        grid = task.grid
        levels = bar_levels(task, self.config)
        first, stop = task.start // grid.steps_per_bar, -(-task.stop // grid.steps_per_bar)
        level = DENSITIES[int(round(float(np.mean(levels[first:stop])))) if stop > first else 1]
        rates = self.config.onsets_per_beat[level]
        out = {i: rates.get(task.tracks[i].role, rates["harmony"]) * grid.beats_per_bar for i in pitched}
        melody = role_index(task, "melody")
        lock = locks.get(melody) if melody is not None else None
        if lock is not None and (lock[task.start:task.stop] >= 0).mean() > 0.5:
            span = lock[task.start:task.stop]
            changes = int(np.sum((span[1:] != span[:-1]) & (span[1:] >= 0))) + 1
            out[melody] = max(1.0, changes / ((task.stop - task.start) / grid.steps_per_bar))  # type: ignore[index]
        return out

    def _tonic_locks(self, task: GenerateTask, pitch_range: tuple[int, int], *, start_too: bool) -> np.ndarray:
        """A part held to the key's tonic (int16 (T,), -1 free) where a piece in that key starts
        and ends: the last bar's downbeat (its first half bar for a bass), and, with
        ``start_too``, the first bar's likewise. Nothing where a melody control already holds it."""
        grid = task.grid
        last_bar = (grid.n_bars - 1) * grid.steps_per_bar
        length = grid.steps_per_bar // 2 if start_too else grid.steps_per_beat
        lo, hi = pitch_range
        locks = np.full(grid.n_steps, -1, dtype=np.int16)
        starts = [0, last_bar] if start_too else [last_bar]
        for pitch, start, count in tonic_anchor(task.key, starts, max(1, length), low=lo, high=hi):
            locks[start:start + count] = pitch
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
                out.append(tuple(drum_part(task, parts, seed, cfg)))
                continue
            written = parts.get(i, [])
            is_lead = track.role == "melody" and pitch is not None and i == role_index(task, "melody")
            if i in locks and not _has_pitch_lock():
                written = written + self._locked_notes(task, locks[i])
            notes = [Note(n.pitch, s, e - s, n.velocity) for n, s, e in in_seconds(written, grid)]
            if is_lead:
                notes = mel.realize(self._span_pitch(task, pitch), notes, min_note=cfg.min_note_s)  # type: ignore[arg-type]
            out.append(tuple(note_velocities(task, notes, track.role, rng, cfg)))
        return Generated(levelled(task, out, cfg))

    def _span_pitch(self, task: GenerateTask, pitch: np.ndarray) -> np.ndarray:
        """The pitch curve with frames outside the span made free."""
        t0, t1 = (float(x) for x in task.grid.step_seconds(np.array([task.start, task.stop])))
        times = frame_times(len(pitch))
        return np.where((times >= t0) & (times < t1), pitch, np.nan).astype(np.float32)


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


def _share(progress: Progress, offset: float, share: float) -> Progress:
    return lambda fraction, message="": progress(offset + share * fraction, message)


