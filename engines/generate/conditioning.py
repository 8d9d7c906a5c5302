"""The composer's own conditioning from a generate task: per-step controls and attributes.

A composer trained with controls and attributes (``engines.compose.conditions``)
reads the drawn curves per 16th step and the asked attributes as classes;
the hard locks and rules of this package do the rest either way. Weights
trained before the conditioning existed have untrained inputs there (random
vectors for attribute classes > 0), so nothing is sent to them: only the
controls and attributes the loaded composer names in ``trained_conditions``
(the weights' metadata of that name, ``engines.compose.weights``) are.
"""
from __future__ import annotations

import numpy as np

from engines.controls.curves import frame_times
from engines.generate.task import GenerateTask

STYLE_OF_GROOVE = {"straight8": "rock", "sixteenths": "funk", "halftime": "halftime",
                   "four_on_floor": "disco", "shuffle": "shuffle", "waltz": "waltz",
                   "six_eight": "ballad68", "bossa": "bossa"}
"""The composer's style class for each groove (``engines.compose.config.STYLES``)."""


def trained_conditions(engine: object) -> frozenset[str]:
    """The controls and attributes (names) a compose engine's weights were trained on: its
    model's ``trained_conditions``; none when the model does not say (older weights)."""
    names = getattr(getattr(engine, "model", None), "trained_conditions", ())
    if not isinstance(names, (tuple, list, set, frozenset)):
        return frozenset()
    return frozenset(str(name) for name in names)


def only_trained(controls: np.ndarray, names: tuple[str, ...], trained: frozenset[str]) -> np.ndarray:
    """``controls`` (float32 (n_steps, 2 * len(names))) with every control not in ``trained``
    left unspecified (value and flag 0)."""
    out = controls.copy()
    for i, name in enumerate(names):
        if name not in trained:
            out[:, 2 * i: 2 * i + 2] = 0.0
    return out


def _per_step(values: np.ndarray, steps: np.ndarray, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the specified frames in each step, float64 (n_steps,), and whether any were."""
    given = np.isfinite(values) & (steps >= 0) & (steps < n_steps)
    total = np.bincount(steps[given], weights=values[given], minlength=n_steps)[:n_steps]
    count = np.bincount(steps[given], minlength=n_steps)[:n_steps]
    return np.where(count > 0, total / np.maximum(count, 1), 0.0), count > 0


def step_controls(task: GenerateTask, melody_locks: np.ndarray | None, names: tuple[str, ...]) -> np.ndarray:
    """float32 (n_steps, 2 * len(names)): (value, specified) per step for each control in ``names``.

    melody: (pitch - 60) / 12 where the melody is held to a pitch; dynamics: the
    curve's dB / 20 (floor -40 dB); rhythm: onsets per quarter note (the
    curve's onsets per second times the step's quarter-note length).
    """
    from engines.compose.conditions import dynamics_value, melody_value

    grid, n = task.grid, task.grid.n_steps
    out = np.zeros((n, 2 * len(names)), dtype=np.float32)
    for i, name in enumerate(names):
        if name == "melody" and melody_locks is not None:
            given = melody_locks >= 0
            out[:, 2 * i] = np.where(given, melody_value(melody_locks.astype(np.float64)), 0.0)
            out[:, 2 * i + 1] = given
            continue
        curve = getattr(task.curves, name, None)
        if curve is None or name == "melody":
            continue
        steps = np.floor(grid.seconds_to_steps(frame_times(len(curve)))).astype(np.int64)
        mean, given = _per_step(np.asarray(curve, dtype=np.float64), steps, n)
        if name == "dynamics":
            value = np.array([dynamics_value(float(db)) for db in mean])
        else:
            quarter_s = np.diff(grid.step_seconds(np.arange(n + 1))) * 4
            value = mean * quarter_s
        out[:, 2 * i], out[:, 2 * i + 1] = np.where(given, value, 0.0), given
    return out


def attribute_classes(task: GenerateTask, *, melody_centre: float, onsets_per_bar: float) -> dict[str, int]:
    """The task's attributes as the composer's classes (tempo, density, register, instrument,
    emotion, style); the key goes in as the task's key."""
    from engines.compose import conditions as c

    res = task.attributes
    return {"tempo": c.tempo_class(res.tempo), "density": c.density_class(onsets_per_bar),
            "register": c.register_class(melody_centre),
            "instrument": c.instrument_class(res.programs.get("melody", -1)),
            "emotion": c.emotion_class(task.key, res.tempo),
            "style": c.style_class(STYLE_OF_GROOVE.get(res.drum_style, ""))}
