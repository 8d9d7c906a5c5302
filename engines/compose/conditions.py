"""Attributes and per-step controls of music on the grid: what the composer is conditioned on.

Attributes (``config.ATTRIBUTES``) are global classes, 0 = unspecified:
``tempo_class``, ``density_class``, ``register_class``, ``instrument_class``,
``emotion_class`` and ``style_class`` turn plain values into classes, so a
prompt parser and the training data use the same buckets.

Controls (``config.CONTROLS``) are per 16th step, each a (value, specified)
pair; ``step_controls`` computes them from lanes (see ``config.CONTROLS``
for the units). In training they are shown only over random spans of time
(Music ControlNet's masking) and attributes are hidden at random, so a
partly drawn curve and a half-filled prompt are normal inputs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engines.compose.config import (CONTROLS, DENSITY_EDGES, DYNAMICS_FLOOR_DB, EMOTIONS, MELODY_CENTRE,
                                    MELODY_OCTAVE, REGISTER_EDGES, STYLES, TEMPO_EDGES, ModelConfig)
from engines.compose.grid import REST, ROLES, STEPS_PER_QUARTER

if TYPE_CHECKING:
    from engines.compose.data import Piece

CONTROL_NAMES = CONTROLS
"""The controls ``step_controls`` computes, in its column order."""
N_CONTROLS = len(CONTROLS)
MELODY = ROLES.index("melody")
DRUMS = ROLES.index("drums")
DEFAULT_VELOCITY = 80
"""Velocity assumed for notes whose velocity is unknown (the corpora)."""
FAST_BPM = 110.0
"""Tempo from which music counts as high-arousal for the emotion quadrant."""
SMOOTH_STEPS = 16
"""Width in steps of the Hann window of the rhythm control and of the dynamics smoothing."""
SOURCE_STYLES = {"bach": "chorale", "palestrina": "polyphony", "monteverdi": "polyphony", "quartets": "classical",
                 "essen": "folk", "oneills": "folk", "accomp": "folk"}
"""The style of a corpus's pieces (band pieces carry their own)."""
SOURCE_MELODY_PROGRAMS = {"bach": 52, "palestrina": 52, "monteverdi": 52, "quartets": 40}
"""GM program of a corpus's melody when its pieces carry none (choir; violin)."""


def attribute_index(cfg: ModelConfig, name: str) -> int:
    """Position of attribute ``name`` in ``cfg.attributes``; KeyError when the model has none."""
    for i, (attr, _) in enumerate(cfg.attributes):
        if attr == name:
            return i
    raise KeyError(f"the model has no {name!r} attribute")


def attribute_vector(cfg: ModelConfig, values: dict[str, int]) -> np.ndarray:
    """int64 (A,) classes for ``values`` (name -> class); ValueError for a class out of range."""
    out = np.zeros(len(cfg.attributes), dtype=np.int64)
    for name, cls in values.items():
        i = attribute_index(cfg, name)
        if not 0 <= int(cls) < cfg.attributes[i][1]:
            raise ValueError(f"attribute {name!r} has classes 0-{cfg.attributes[i][1] - 1}, not {cls}")
        out[i] = int(cls)
    return out


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return 1 + int(np.searchsorted(np.asarray(edges), value, side="right"))


def tempo_class(bpm: float) -> int:
    """Quarter-note BPM -> class (0 when ``bpm`` <= 0, i.e. unknown)."""
    return _bucket(bpm, TEMPO_EDGES) if bpm > 0 else 0


def density_class(onsets_per_bar: float) -> int:
    """Onsets per bar (all lanes, drums included) -> class."""
    return _bucket(onsets_per_bar, DENSITY_EDGES)


def register_class(mean_pitch: float) -> int:
    """Mean MIDI pitch of the melody -> class (0 for NaN)."""
    return 0 if np.isnan(mean_pitch) else _bucket(mean_pitch, REGISTER_EDGES)


def instrument_class(program: int) -> int:
    """GM program 0-127 -> 1 + its family (program // 8); 0 for unknown (< 0)."""
    return 1 + program // 8 if 0 <= program < 128 else 0


def emotion_class(key: int, bpm: float) -> int:
    """Emotion quadrant from mode (key 0-23) and tempo; 0 when either is unknown."""
    if key < 0 or bpm <= 0:
        return 0
    minor, fast = key >= 12, bpm >= FAST_BPM
    name = ("tense" if minor else "happy") if fast else ("sad" if minor else "calm")
    return 1 + EMOTIONS.index(name)


def style_class(style: str) -> int:
    """Style name -> class; 0 for an unknown name."""
    return 1 + STYLES.index(style) if style in STYLES else 0


def piece_attributes(piece: "Piece") -> dict[str, int]:
    """Attributes that hold for a whole piece: tempo, instrument, emotion, style (0 = unknown)."""
    style = piece.style or style_class(SOURCE_STYLES.get(piece.source, ""))
    melody = np.flatnonzero(piece.roles == MELODY)
    program = SOURCE_MELODY_PROGRAMS.get(piece.source, -1)
    if piece.programs is not None and len(melody):
        program = int(piece.programs[melody[0]])
    return {"tempo": tempo_class(piece.tempo), "instrument": instrument_class(program),
            "emotion": emotion_class(piece.key, piece.tempo), "style": style}


def window_attributes(pitch: np.ndarray, onset: np.ndarray, roles: np.ndarray, bar_len: int) -> dict[str, int]:
    """Attributes of some lanes over some steps: density and register (see ``config``).

    pitch: uint8 (L, T); onset: bool (L, T); roles: int (L,); bar_len: steps per bar.
    """
    bars = pitch.shape[1] / max(1, bar_len)
    melody = pitch[(np.asarray(roles) == MELODY)]
    if not (melody != REST).any():
        melody = pitch[np.asarray(roles) != DRUMS]
    sounding = melody[melody != REST]
    mean = float(sounding.mean()) if len(sounding) else float("nan")
    return {"density": density_class(onset.sum() / max(bars, 1e-9)), "register": register_class(mean)}


def melody_line(pitch: np.ndarray, roles: np.ndarray) -> np.ndarray:
    """Top sounding pitch of the melody lanes per step: float32 (T,), NaN where silent.

    pitch: uint8 (L, T); roles: int (L,). No melody lane -> all NaN.
    """
    lanes = pitch[np.asarray(roles) == MELODY].astype(np.float32)
    if not len(lanes):
        return np.full(pitch.shape[1], np.nan, dtype=np.float32)
    lanes[lanes == REST] = -1
    top = lanes.max(0)
    return np.where(top >= 0, top, np.nan).astype(np.float32)


def _hann(width: int) -> np.ndarray:
    window = np.hanning(width + 2)[1:-1]
    return window / window.sum()


def loudness_db(pitch: np.ndarray, onset: np.ndarray, velocity: np.ndarray | None,
                roles: np.ndarray) -> np.ndarray:
    """Smoothed loudness per step in dB relative to the loudest step: float32 (T,) in [floor, 0].

    Each sounding note adds power (v/127)^4 (the GM velocity curve, as the
    renderer plays it); a drum hit sounds for two steps. velocity: uint8 (L, T)
    at onsets, or None (``DEFAULT_VELOCITY``).
    """
    n_lanes, n_steps = pitch.shape
    vel = np.where(onset, velocity if velocity is not None else DEFAULT_VELOCITY, 0).astype(np.float64)
    held = np.maximum.accumulate(np.where(onset, np.arange(n_steps)[None], -1), axis=1)
    level = np.take_along_axis(vel, np.maximum(held, 0), axis=1)
    sounding = (pitch != REST) & (held >= 0)
    drums = np.asarray(roles) == DRUMS
    if drums.any():
        hit = onset[drums]
        sounding[drums] = hit | np.pad(hit[:, :-1], ((0, 0), (1, 0)))
    power = ((level / 127.0) ** 4 * sounding).sum(0)
    power = np.convolve(power, _hann(SMOOTH_STEPS // 2 + 1), mode="same")
    top = power.max() if n_steps else 0.0
    if top <= 0:
        return np.full(n_steps, DYNAMICS_FLOOR_DB, dtype=np.float32)
    with np.errstate(divide="ignore"):
        db = 10 * np.log10(power / top)
    return np.clip(db, DYNAMICS_FLOOR_DB, 0.0).astype(np.float32)


def onset_rate(onset: np.ndarray) -> np.ndarray:
    """Onsets per quarter note around each step: float32 (T,) (steps with an onset in any lane)."""
    train = onset.any(0).astype(np.float64)
    return (np.convolve(train, _hann(SMOOTH_STEPS), mode="same") * STEPS_PER_QUARTER).astype(np.float32)


def step_controls(pitch: np.ndarray, onset: np.ndarray, velocity: np.ndarray | None,
                  roles: np.ndarray) -> np.ndarray:
    """All controls of some lanes, fully specified where defined: float32 (T, 2 * len(CONTROLS)).

    Columns are (value, specified) per control in ``CONTROLS`` order; the
    melody is specified only where a melody lane sounds.
    """
    melody = melody_line(pitch, roles)
    curves = {"melody": (np.nan_to_num(melody_value(melody)), ~np.isnan(melody)),
              "dynamics": (loudness_db(pitch, onset, velocity, roles) / 20.0, True),
              "rhythm": (onset_rate(onset), True)}
    out = np.zeros((pitch.shape[1], 2 * len(CONTROLS)), dtype=np.float32)
    for i, name in enumerate(CONTROLS):
        out[:, 2 * i], out[:, 2 * i + 1] = curves[name]
    return out


def melody_value(midi_pitch: np.ndarray | float) -> np.ndarray | float:
    """MIDI pitch(es) as the melody control's value (see ``config.MELODY_CENTRE``)."""
    return (midi_pitch - MELODY_CENTRE) / MELODY_OCTAVE


def dynamics_value(db: float) -> float:
    """dB relative to the loudest moment as the dynamics control's value (clipped at the floor)."""
    return max(DYNAMICS_FLOOR_DB, min(0.0, db)) / 20.0
