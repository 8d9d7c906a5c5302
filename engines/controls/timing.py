"""A recording's grid: tempo, meter and first downbeat read off its tracked beats, and its key.

tempo: a straight line fitted through the beat times (beats off the line by
more than ``fit_tolerance`` of a beat, a dropped or doubled beat, are left out
and the line fitted again), so it is not limited by the tracker's 10 ms
frames; in quarter notes a minute. A beat rate above ``max_quarter_bpm`` is
taken as eighth notes and halved.
meter: beats per bar from the tracked downbeats (3 or 4; 2/4 and 3/8 when the
beats were eighths). Three-beat bars accented half-way through (1.5 beats in)
more than on beat 2 are 6/8 (two dotted quarters), not 3/4: the accent
pattern that tells the two apart.
first downbeat: the first tracked downbeat (seconds).
key: from the analyser's pitch profile (``engines.controls.key``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.common import CONTROL_FRAME_RATE, CancelToken, Progress, no_progress
from engines.controls.config import ControlsConfig, TimingConfig
from engines.controls.key import KeyEstimate, estimate_key

_PEAK_FRAMES = 1
"""Onset strength is read as the peak within this many control frames of a position."""


@dataclass(frozen=True)
class Timing:
    """bpm: quarter notes a minute; numerator/denominator: the meter; first_downbeat:
    seconds from the start of the recording; key: or None when no key stands out;
    beats: how many tracked beats the estimate rests on."""

    bpm: float
    numerator: int
    denominator: int
    first_downbeat: float
    key: KeyEstimate | None
    beats: int


def detect_timing(samples: np.ndarray, sample_rate: int, *, config: TimingConfig | None = None,
                  controls: ControlsConfig | None = None, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> Timing | None:
    """The grid and key of a recording: float (channels, n) or (n,) at ``sample_rate`` Hz.

    Runs the controls engine's block-wise analysis and beat tracker (memory
    bounded as in ``extract_controls``). None when it finds fewer than
    ``config.min_beats`` beats (silence, speech, a few seconds of music).
    """
    from engines.controls.audio import analyse

    config = config or TimingConfig()
    analysis = analyse(samples, sample_rate, config=controls, progress=progress, cancel=cancel)
    key = estimate_key(analysis.pitch_profile, margin=config.key_margin)
    return grid_from_beats(analysis.beats.beats, analysis.beats.downbeats, analysis.frames.flux,
                           config=config, key=key)


def grid_from_beats(beats: np.ndarray, downbeats: np.ndarray, flux: np.ndarray, *,
                    config: TimingConfig, key: KeyEstimate | None = None) -> Timing | None:
    """Tempo, meter and first downbeat from tracked ``beats`` and ``downbeats`` (float64
    seconds) and the onset envelope ``flux`` (float32 per control frame)."""
    beats = np.asarray(beats, dtype=np.float64)
    if len(beats) < config.min_beats:
        return None
    period = beat_period(beats, tolerance=config.fit_tolerance)
    per_bar = _beats_per_bar(beats, downbeats)
    bpm = 60.0 / period
    if bpm > config.max_quarter_bpm:  # the tracker counted eighth notes
        numerator, denominator = (2, 4) if per_bar == 4 else (per_bar, 8)
        bpm /= 2
    elif per_bar == 3 and _accented_half_way(beats, downbeats, flux, period):
        numerator, denominator = 6, 8
    else:
        numerator, denominator = per_bar, 4
    first = float(downbeats[0]) if len(downbeats) else float(beats[0])
    return Timing(float(bpm), numerator, denominator, first, key, len(beats))


def beat_period(beats: np.ndarray, *, tolerance: float) -> float:
    """Seconds per beat: the slope of beat time against beat number, fitted robustly."""
    median = float(np.median(np.diff(beats)))
    number = np.round((beats - beats[0]) / median)
    design = np.stack([number, np.ones_like(number)], axis=1)
    keep = np.ones(len(beats), dtype=bool)
    slope = median
    for _ in range(3):
        (slope, offset), *_ = np.linalg.lstsq(design[keep], beats[keep], rcond=None)
        keep = np.abs(beats - design @ np.array([slope, offset])) < tolerance * median
        if keep.sum() < 2:
            return median
    return float(slope)


def _beats_per_bar(beats: np.ndarray, downbeats: np.ndarray) -> int:
    """The most common number of beats between consecutive downbeats (4 when unknown)."""
    if len(downbeats) < 2:
        return 4
    index = np.searchsorted(beats, downbeats - 1e-6)
    counts = np.diff(index)
    counts = counts[counts > 0]
    if not len(counts):
        return 4
    values, times = np.unique(counts, return_counts=True)
    return int(values[np.argmax(times)])


def _accented_half_way(beats: np.ndarray, downbeats: np.ndarray, flux: np.ndarray,
                       period: float) -> bool:
    """Whether bars are accented 1.5 beats in (6/8's second dotted quarter) more than on
    beat 2 (3/4's second beat), averaged over the bars."""
    def strength(offset: float) -> float:
        frames = np.round((downbeats + offset * period) * CONTROL_FRAME_RATE).astype(np.int64)
        frames = frames[(frames >= _PEAK_FRAMES) & (frames < len(flux) - _PEAK_FRAMES)]
        if not len(frames):
            return 0.0
        around = np.stack([flux[frames + d] for d in range(-_PEAK_FRAMES, _PEAK_FRAMES + 1)])
        return float(around.max(axis=0).mean())

    return strength(1.5) > strength(1.0)
