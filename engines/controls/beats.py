"""Beat and downbeat tracking from audio.

``MadmomTracker``: madmom's RNN downbeat network (Music ControlNet's choice):
block-wise features, the batched BLSTM ensemble, madmom's beat DBN for the
beats, then madmom's bar-tracking networks and DBN for the downbeats
(``bars.py``).
``LibrosaTracker``: librosa's dynamic-programming beat tracker on the control
grid's spectral flux, with bars placed where the beats are most accented; it
needs no models and is the fallback when madmom is missing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from engines.common import CONTROL_FRAME_RATE, CancelToken
from engines.controls.config import ControlsConfig
from engines.controls.madmom_compat import MadmomUnavailable, import_madmom, madmom_available
from engines.controls.stream import Block

Step = Callable[[float, str], None]


@dataclass(frozen=True)
class BeatTimes:
    """beats, downbeats: sorted float64 seconds; downbeats are a subset of beats."""

    beats: np.ndarray
    downbeats: np.ndarray


class MadmomTracker:
    """Collects network features block by block, then finds beats and bar lines.

    Lifecycle: ``add`` every block in order, then call ``finish`` once.
    """

    context: int

    def __init__(self, config: ControlsConfig, expected_samples: int) -> None:
        from engines.controls.madmom_features import RNN_HOP, MadmomFeatures

        self.config = config
        self.features = MadmomFeatures()
        self.context = self.features.context
        rows = expected_samples // RNN_HOP + 2
        self._rows = _Rows(rows, self.features.dims)
        self._chroma = _Rows(rows, 12)

    def add(self, block: Block) -> None:
        """Compute the features of the 100 fps frames centred in ``block``."""
        features, chroma = self.features.process(block)
        self._rows.append(features)
        self._chroma.append(chroma)

    def finish(self, step: Step, cancel: CancelToken) -> BeatTimes:
        """Run the networks, decode beats, then place the bar lines."""
        from engines.controls.bars import BarTracker
        from engines.controls.downbeat_rnn import DownbeatEnsemble
        from engines.controls.madmom_features import RNN_FPS

        features = self._rows.take()
        if len(features) < RNN_FPS:  # under a second: nothing to track
            return BeatTimes(np.zeros(0), np.zeros(0))

        def rnn_step(fraction: float) -> None:
            cancel.check()
            step(0.7 * fraction, "finding beats (network)")

        activations = DownbeatEnsemble(self.config.rnn_networks)(features, step=rnn_step)
        percussive = features[:, self.features.percussive_columns()].copy()
        del features
        step(0.7, "finding beats (tempo)")
        beats = decode_beats(activations, RNN_FPS, self.config, cancel)
        step(0.9, "finding bars")
        downbeats = BarTracker(self.config.beats_per_bar)(
            beats, activations, percussive, self._chroma.take())
        return BeatTimes(beats, downbeats)


class _Rows:
    """A growable (rows, dims) float32 table filled block by block."""

    def __init__(self, rows: int, dims: int) -> None:
        self._data = np.zeros((rows, dims), np.float32)
        self._count = 0

    def append(self, rows: np.ndarray) -> None:
        end = self._count + len(rows)
        if end > len(self._data):
            grown = np.zeros((max(end, 2 * len(self._data)), self._data.shape[1]), np.float32)
            grown[: self._count] = self._data[: self._count]
            self._data = grown
        self._data[self._count: end] = rows
        self._count = end

    def take(self) -> np.ndarray:
        """The rows filled so far (the table is emptied)."""
        data, self._data = self._data[: self._count], np.zeros((0, self._data.shape[1]), np.float32)
        self._count = 0
        return data


_WINDOW_S = 60.0
_MARGIN_S = 10.0


def decode_beats(activations: np.ndarray, fps: int, config: ControlsConfig,
                 cancel: CancelToken | None = None) -> np.ndarray:
    """Beat times (seconds) from joint network activations by madmom's beat DBN.

    activations: (T, 2) at ``fps``; their sum is the beat activation. Long
    inputs are decoded in windows of 60 s overlapping by 10 s each side (the
    DBN's Viterbi memory grows with length x states), keeping each window's
    middle and dropping duplicates at the seams.
    """
    import_madmom()
    from madmom.features.beats import DBNBeatTrackingProcessor

    beat_act = activations.sum(axis=1).astype(np.float64)
    # threshold: as madmom's downbeat DBN, no beats where the network hears none
    # (a silent intro or tail), rather than the tempo running on.
    dbn = DBNBeatTrackingProcessor(min_bpm=config.min_bpm, max_bpm=config.max_bpm, fps=fps,
                                   threshold=0.05)
    window, margin = int(_WINDOW_S * fps), int(_MARGIN_S * fps)
    kept: list[np.ndarray] = []
    for start in range(0, max(len(beat_act), 1), window):
        if cancel is not None:
            cancel.check()
        lo, hi = max(0, start - margin), min(len(beat_act), start + window + margin)
        beats = lo / fps + np.asarray(dbn(beat_act[lo:hi]), dtype=np.float64)
        kept.append(beats[(beats >= start / fps) & (beats < (start + window) / fps)])
    return _drop_seam_doubles(np.concatenate(kept) if kept else np.zeros(0), config)


def _drop_seam_doubles(beats: np.ndarray, config: ControlsConfig) -> np.ndarray:
    """Remove beats closer to their predecessor than half the fastest beat period."""
    if len(beats) < 2:
        return beats
    min_gap = 0.5 * 60.0 / config.max_bpm
    keep = np.ones(len(beats), dtype=bool)
    last = beats[0]
    for i in range(1, len(beats)):
        if beats[i] - last < min_gap:
            keep[i] = False
        else:
            last = beats[i]
    return beats[keep]


def librosa_beats(flux: np.ndarray, config: ControlsConfig) -> BeatTimes:
    """Beats from the control-grid flux (control frames), bars from accents.

    The bar length (from ``beats_per_bar``) and phase whose beats carry the
    most onset strength relative to the other beats are taken as downbeats.
    """
    import librosa

    from engines.common import CONTROL_HOP, CONTROL_SAMPLE_RATE

    env = np.asarray(flux, dtype=np.float64)
    if len(env) < CONTROL_FRAME_RATE or np.ptp(env) <= 1e-9:
        return BeatTimes(np.zeros(0), np.zeros(0))
    _, frames = librosa.beat.beat_track(onset_envelope=env, sr=CONTROL_SAMPLE_RATE,
                                        hop_length=CONTROL_HOP, bpm=_tempo(env, config),
                                        trim=False)
    frames = np.asarray(frames, dtype=np.int64)
    beats = frames / CONTROL_FRAME_RATE
    return BeatTimes(beats, beats[_downbeat_indices(env, frames, config.beats_per_bar)])


_TEMPO_WINDOW = 2048
"""Control frames (~24 s) per tempo estimate: librosa's tempogram of a whole
long file would need gigabytes."""


def _tempo(env: np.ndarray, config: ControlsConfig) -> float:
    """Median of librosa's tempo estimates over ~24 s windows of the flux envelope."""
    import librosa

    from engines.common import CONTROL_HOP, CONTROL_SAMPLE_RATE

    start_bpm = float(np.sqrt(config.min_bpm * config.max_bpm))
    estimates: list[float] = []
    for start in range(0, len(env), _TEMPO_WINDOW):
        piece = env[start: start + _TEMPO_WINDOW]
        if len(piece) < _TEMPO_WINDOW // 4 and estimates:
            break
        tempo = librosa.feature.tempo(onset_envelope=piece, sr=CONTROL_SAMPLE_RATE,
                                      hop_length=CONTROL_HOP, start_bpm=start_bpm,
                                      max_tempo=config.max_bpm)
        estimates.append(float(np.ravel(tempo)[0]))
    return float(np.clip(np.median(estimates), config.min_bpm, config.max_bpm))


def _downbeat_indices(env: np.ndarray, frames: np.ndarray, bar_lengths: tuple[int, ...]) -> np.ndarray:
    """Indices into ``frames`` of the beats that start bars (strongest-accent phase)."""
    if len(frames) == 0:
        return np.zeros(0, dtype=np.int64)
    strength = env[np.clip(frames, 0, len(env) - 1)]
    best, best_score = (bar_lengths[0], 0), -np.inf
    for length in bar_lengths:
        for phase in range(length):
            on = strength[phase::length]
            score = on.mean() - strength.mean() if len(on) else -np.inf
            # Longer bars must win clearly: a 4-bar accent pattern also fits 2.
            score -= 1e-3 * length
            if score > best_score:
                best, best_score = (length, phase), score
    length, phase = best
    return np.arange(phase, len(frames), length)


def make_tracker(config: ControlsConfig, expected_samples: int) -> MadmomTracker | None:
    """The madmom tracker when configured (or "auto" and importable), else None (librosa)."""
    if config.beat_tracker == "librosa":
        return None
    if config.beat_tracker == "auto" and not madmom_available():
        return None
    try:
        return MadmomTracker(config, expected_samples)
    except MadmomUnavailable:
        if config.beat_tracker == "madmom":
            raise
        return None
