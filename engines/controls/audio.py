"""Controls read off audio (Music ControlNet's extraction).

melody_chroma: argmax of a 12-bin chroma of the signal high-passed at middle C,
NaN where the frame is silent. dynamics: summed mel power in dB relative to
the loudest frame, Savitzky-Golay smoothed over ~1 s. rhythm: onset density
from spectral-flux peaks. beats/downbeats: madmom's RNN downbeat tracker
(or librosa's beat tracker when madmom is unavailable).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.common import CONTROL_SAMPLE_RATE, CancelToken, Progress, no_progress
from engines.controls.beats import BeatTimes, MadmomTracker, librosa_beats, make_tracker
from engines.controls.config import ControlsConfig
from engines.controls.curves import Controls, n_frames_for
from engines.controls.shaping import dynamics_curve, onset_density, pick_onsets
from engines.controls.spectral import SpectralAnalyzer, SpectralFrames, concat, db
from engines.controls.stream import blocks, mono_chunks, resampled_length

_SCAN_SHARE = 0.5
"""Share of the progress bar for the block-wise pass (the rest is beat tracking)."""


def _check_input(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    data = np.asarray(samples)
    if data.ndim not in (1, 2) or not np.issubdtype(data.dtype, np.floating):
        raise ValueError("samples must be a float array of shape (channels, n) or (n,)")
    if data.ndim == 2 and data.shape[0] > data.shape[1] and data.shape[1] <= 8:
        raise ValueError(f"samples of shape {data.shape} look like (n, channels); "
                         "pass (channels, n)")
    if sample_rate <= 0:
        raise ValueError("sample_rate must be positive")
    return data


def extract_controls(samples: np.ndarray, sample_rate: int, *,
                     config: ControlsConfig | None = None,
                     progress: Progress = no_progress,
                     cancel: CancelToken | None = None) -> Controls:
    """Melody, dynamics, rhythm, beats and downbeats of a recording.

    samples: float (channels, n) or (n,) at ``sample_rate`` Hz, any channel
    count (mixed to mono). The signal is resampled to 44.1 kHz and analysed in
    blocks of ``config.block_seconds``, so memory does not grow with several
    full-length copies. ``melody`` of the result is NaN throughout (audio gives
    pitch classes, not octaves); ``melody_chroma`` holds them. Calls
    ``progress`` between blocks and steps; raises ``Cancelled`` when ``cancel``
    is set.
    """
    config = config or ControlsConfig()
    analysis = analyse(samples, sample_rate, config=config, progress=progress, cancel=cancel)
    return _assemble(analysis.frames, analysis.beats, analysis.duration, config)


@dataclass(frozen=True)
class Analysis:
    """The measurements of a recording the controls (and its grid) are made from.

    frames: per control frame over ``duration`` seconds; beats: tracked beats and
    downbeats within the recording; pitch_profile: float64 (12,) summed chroma of
    the sounding frames (``SpectralAnalyzer.pitch_profile``).
    """

    frames: SpectralFrames
    beats: BeatTimes
    pitch_profile: np.ndarray
    duration: float


def analyse(samples: np.ndarray, sample_rate: int, *, config: ControlsConfig | None = None,
            progress: Progress = no_progress, cancel: CancelToken | None = None) -> Analysis:
    """The block-wise pass and the beat tracking ``extract_controls`` rests on (same
    arguments, same memory bound)."""
    config = config or ControlsConfig()
    cancel = cancel or CancelToken()
    data = _check_input(samples, sample_rate)
    n_in = data.shape[-1]
    duration = n_in / sample_rate
    expected = resampled_length(n_in, sample_rate)
    frames, tracker, analyzer = _scan(data, sample_rate, expected, config, progress, cancel)
    frames = _fit(frames, n_frames_for(duration))

    def step(fraction: float, message: str) -> None:
        cancel.check()
        progress(_SCAN_SHARE + (1 - _SCAN_SHARE) * fraction, message)

    if tracker is None:
        beats = librosa_beats(frames.flux, config)
    else:
        beats = tracker.finish(step, cancel)
    progress(1.0, "done")
    return Analysis(frames, _clip_beats(beats, duration), analyzer.pitch_profile, duration)


def _scan(data: np.ndarray, sample_rate: int, expected: int, config: ControlsConfig,
          progress: Progress, cancel: CancelToken
          ) -> tuple[SpectralFrames, MadmomTracker | None, SpectralAnalyzer]:
    """The block-wise pass: spectral frames, the beat tracker's features, the analyser."""
    analyzer = SpectralAnalyzer(config)
    tracker = make_tracker(config, expected)
    context = max(analyzer.context, 0 if tracker is None else tracker.context)
    block = int(config.block_seconds * CONTROL_SAMPLE_RATE)
    chunk = max(1, int(config.block_seconds * sample_rate))
    parts: list[SpectralFrames] = []
    progress(0.0, "analysing audio")
    for piece in blocks(mono_chunks(data, sample_rate, chunk), block, context):
        cancel.check()
        parts.append(analyzer.process(piece))
        if tracker is not None:
            tracker.add(piece)
        progress(_SCAN_SHARE * min(1.0, piece.stop / max(expected, 1)), "analysing audio")
    return concat(parts), tracker, analyzer


def _fit(frames: SpectralFrames, n: int) -> SpectralFrames:
    """Cut or edge-pad the measurements to exactly ``n`` frames (resampling may differ by one)."""
    def fit(a: np.ndarray) -> np.ndarray:
        if len(a) >= n:
            return a[:n]
        fill = a[-1] if len(a) else 0
        return np.concatenate([a, np.full(n - len(a), fill, dtype=a.dtype)])

    return SpectralFrames(*(fit(getattr(frames, f)) for f in SpectralFrames.__dataclass_fields__))


def _clip_beats(beats: BeatTimes, duration: float) -> BeatTimes:
    keep = lambda t: t[(t >= 0) & (t < duration)]  # noqa: E731
    return BeatTimes(keep(beats.beats), keep(beats.downbeats))


def _melody_chroma(frames: SpectralFrames, config: ControlsConfig) -> np.ndarray:
    """Pitch class per frame (float32), NaN where the frame is silent."""
    hp_db = db(frames.hp_power)
    loud = hp_db.max() if len(hp_db) else 0.0
    sounding = (hp_db >= loud + config.melody_silence_db) & (
        db(frames.mean_square) >= config.silence_dbfs)
    return np.where(sounding, frames.chroma.astype(np.float32), np.nan).astype(np.float32)


def _assemble(frames: SpectralFrames, beats: BeatTimes, duration: float,
              config: ControlsConfig) -> Controls:
    n = len(frames.flux)
    level = db(frames.mel_power)
    if len(level) and db(frames.mean_square).max() < config.silence_dbfs:
        level = np.full(n, -np.inf)
    onsets = pick_onsets(frames.flux, config)
    return Controls.build(duration, melody_chroma=_melody_chroma(frames, config),
                          dynamics=dynamics_curve(level, config),
                          rhythm=onset_density(onsets, n, config),
                          beats=beats.beats, downbeats=beats.downbeats)
