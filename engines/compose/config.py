"""Configuration of the composer: model size, inputs reserved for controls, training, sampling.

Every default here is the shipped one; ``tiny()`` is the randomly initialised
model the tests use.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

N_PITCH = 128
"""MIDI pitches 0-127; class 128 is the rest (``grid.REST``)."""
MASK_PITCH = 129
"""Input pitch token of a cell the model must fill."""
ONSET_UNKNOWN = 2
"""Input onset token when the onset is not given (0 = held/rest, 1 = onset)."""

STYLES = ("rock", "pop", "funk", "disco", "swing", "shuffle", "bossa", "reggae", "waltz", "ballad68",
          "halftime", "ballad", "country", "latin", "chorale", "polyphony", "classical", "folk")
"""Style classes (the ``style`` attribute is 1 + index here): the band styles of the
band data (``band``), then the corpora's own (Bach chorales; Palestrina and Monteverdi;
string quartets; folk tunes, alone or accompanied)."""
TEMPO_EDGES = (66.0, 80.0, 92.0, 104.0, 116.0, 128.0, 144.0)
"""Quarter-note BPM bucket edges of the ``tempo`` attribute (class 1 + bucket)."""
DENSITY_EDGES = (4.0, 8.0, 12.0, 17.0, 23.0, 30.0, 40.0)
"""Onsets per bar (every lane, drums included) bucket edges of the ``density`` attribute."""
REGISTER_EDGES = (55.0, 60.0, 64.0, 67.0, 70.0, 73.0, 77.0)
"""Mean MIDI pitch of the melody lanes (all pitched lanes when none): ``register`` edges."""
EMOTIONS = ("happy", "tense", "sad", "calm")
"""Emotion quadrants (class 1 + index): major/fast, minor/fast, minor/slow, major/slow."""
ATTRIBUTES = (("key", 25), ("tempo", len(TEMPO_EDGES) + 2), ("density", len(DENSITY_EDGES) + 2),
              ("register", len(REGISTER_EDGES) + 2), ("instrument", 17), ("emotion", len(EMOTIONS) + 1),
              ("style", len(STYLES) + 1))
"""Global categorical attributes and their number of classes; class 0 is "unspecified".

key: 1 + key index (0-23, see ``keys``); tempo, density, register: 1 + bucket
of the edges above; instrument: 1 + GM family (program // 8) of the melody;
emotion: 1 + index in ``EMOTIONS``; style: 1 + index in ``STYLES``. See
``conditions`` for how each is computed from music.
"""
CONTROLS = ("melody", "dynamics", "rhythm")
"""Per-step control channels, each a (value, specified) pair (see ``conditions``).

melody: (MIDI pitch - 60) / 12 of the melody's top note, specified only
where the melody sounds; dynamics: loudness in dB relative to the loudest
step, / 20 (0 loudest, -2 = ``DYNAMICS_FLOOR_DB``); rhythm: onsets per
quarter note (steps with an onset in any lane, drums included, averaged
under a one-bar Hann window).
"""
MELODY_CENTRE, MELODY_OCTAVE = 60.0, 12.0
"""The melody control's value is (MIDI pitch - MELODY_CENTRE) / MELODY_OCTAVE."""
DYNAMICS_FLOOR_DB = -40.0
"""Quietest dynamics value: steps further below the loudest step read this."""
MAX_LANES = 12
"""Most lanes the model sees at once, in training and when writing."""


@dataclass(frozen=True)
class ModelConfig:
    """An axial transformer over lanes × steps (see ``model.Composer``).

    d_model: width of every cell's vector. n_heads: attention heads. n_layers:
    blocks of (attention along time, attention across lanes, MLP). ff_mult:
    MLP width over d_model. max_bar: longest bar in steps the position
    embedding knows (longer bars wrap). max_rank: voices of one role told
    apart. dropout: during training only. melody_pitch: the melody control
    also enters as the pitch embedding of its (rounded) pitch through a
    projection, so a drawn pitch reads like a written one (configs saved
    before it existed read False).
    """

    d_model: int = 128
    n_heads: int = 4
    n_layers: int = 6
    ff_mult: int = 3
    max_bar: int = 48
    max_rank: int = 8
    dropout: float = 0.1
    n_roles: int = 6
    attributes: tuple[tuple[str, int], ...] = ATTRIBUTES
    controls: tuple[str, ...] = CONTROLS
    melody_pitch: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "ModelConfig":
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        raw = {k: v for k, v in raw.items() if k in known}
        raw["attributes"] = tuple(tuple(a) for a in raw.get("attributes", ATTRIBUTES))
        raw["controls"] = tuple(raw.get("controls", CONTROLS))
        raw.setdefault("melody_pitch", False)
        return cls(**raw)


def tiny() -> ModelConfig:
    """A small model for tests: trains and samples in well under a second."""
    return ModelConfig(d_model=32, n_heads=2, n_layers=2, ff_mult=2, dropout=0.0)


@dataclass(frozen=True)
class TrainConfig:
    """Training defaults.

    window: steps per training example (16 bars of 4/4). batch: examples per
    step. lr: peak AdamW learning rate, warmed up over ``warmup`` steps then
    cosine-decayed to 10% by ``steps``. transpose: examples are moved by a
    random shift in [-transpose, transpose] semitones. role_dropout: chance a
    lane's role is hidden ("other"). key_dropout: chance the key attribute is
    hidden. rhythm_given: chance the onsets of masked cells are shown (the
    rhythm control's case). weights: how often each source is drawn (a batch
    holds pieces of one source; "accomp" is folk tunes with a synthetic
    accompaniment, see ``accompany``; "user" is a MIDI folder).
    """

    steps: int = 2000
    window: int = 256
    batch: int = 32
    lr: float = 1e-3
    weight_decay: float = 0.05
    warmup: int = 200
    transpose: int = 6
    role_dropout: float = 0.1
    key_dropout: float = 0.5
    rhythm_given: float = 0.15
    attribute_dropout: float = 0.5
    control_off: float = 0.5
    control_full: float = 0.2
    grad_clip: float = 1.0
    seed: int = 0
    log_every: int = 50
    checkpoint_every: int = 500
    weights: dict[str, float] = field(default_factory=lambda: {
        "bach": 2.0, "palestrina": 0.5, "monteverdi": 0.25, "quartets": 1.0, "essen": 1.0,
        "oneills": 0.5, "accomp": 1.5, "band": 6.0, "user": 4.0})


@dataclass(frozen=True)
class SampleConfig:
    """Sampling defaults.

    steps: refinement passes per chunk (MaskGIT's cosine schedule: each
    fixes a share of the open cells); 0 = by the number of cells to write,
    ``cells_per_step`` a pass, between ``min_steps`` and ``max_steps``
    (8 for one track over 8 bars, 12 for four tracks). temperature: softmax temperature of
    pitch and onset. window: longest stretch of steps the model sees at
    once; longer music is written in overlapping windows. context: steps of
    music either side of the span to write that the model reads.
    """

    steps: int = 0
    temperature: float = 0.8
    window: int = 256
    context: int = 48
    order: str = "random"
    cells_per_step: int = 24
    min_steps: int = 8
    max_steps: int = 12
    gibbs: int = 0
    gibbs_from: float = 0.5
    gibbs_to: float = 0.1
