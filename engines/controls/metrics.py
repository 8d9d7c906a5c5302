"""Control adherence metrics: how well music follows (extracted) controls.

All curve arguments are frame arrays at the control frame rate from 0:00 with
NaN for unspecified frames; times are seconds. The target decides which
frames count.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.controls.curves import Controls

BEAT_WINDOW = 0.07
"""Beat and downbeat tolerance in seconds (Music ControlNet, mir_eval's default)."""


def _aligned(target: np.ndarray, estimate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``estimate`` cut or NaN-padded to ``target``'s length (both float64)."""
    target = np.asarray(target, dtype=np.float64).reshape(-1)
    est = np.full(len(target), np.nan)
    source = np.asarray(estimate, dtype=np.float64).reshape(-1)[: len(target)]
    est[: len(source)] = source
    return target, est


def melody_accuracy(target: np.ndarray, estimate: np.ndarray) -> float:
    """Share of the target's specified frames whose pitch class the estimate matches.

    target, estimate: MIDI pitches or pitch classes (compared modulo 12); an
    unspecified (NaN) estimate frame counts as a miss. NaN when the target
    specifies no frame.
    """
    target, est = _aligned(target, estimate)
    specified = ~np.isnan(target)
    if not specified.any():
        return float("nan")
    t = np.mod(np.round(target[specified]), 12)
    e = np.mod(np.round(est[specified]), 12)
    return float(np.mean(t == e))


def dynamics_correlation(target: np.ndarray, estimate: np.ndarray) -> float:
    """Pearson correlation over the frames both specify (NaN if under 2 or flat)."""
    target, est = _aligned(target, estimate)
    both = ~np.isnan(target) & ~np.isnan(est)
    if both.sum() < 2:
        return float("nan")
    t, e = target[both], est[both]
    if np.ptp(t) == 0 or np.ptp(e) == 0:
        return float("nan")
    return float(np.corrcoef(t, e)[0, 1])


def beat_f1(reference: np.ndarray | None, estimate: np.ndarray | None, *,
            window: float = BEAT_WINDOW) -> float:
    """F-measure of estimated beat times against reference ones (mir_eval).

    A hit is an estimate within ``window`` seconds of an unmatched reference
    beat. Both empty is 1.0 (they agree); one empty is 0.0. An unspecified
    (None) reference gives NaN; a None estimate counts as empty.
    """
    import mir_eval

    if reference is None:
        return float("nan")
    if estimate is None:
        estimate = np.zeros(0)

    ref = np.sort(np.asarray(reference, dtype=np.float64).reshape(-1))
    est = np.sort(np.asarray(estimate, dtype=np.float64).reshape(-1))
    if len(ref) == 0 and len(est) == 0:
        return 1.0
    if len(ref) == 0 or len(est) == 0:
        return 0.0
    return float(mir_eval.beat.f_measure(ref, est, f_measure_threshold=window))


def downbeat_f1(reference: np.ndarray | None, estimate: np.ndarray | None, *,
                window: float = BEAT_WINDOW) -> float:
    """``beat_f1`` applied to downbeat times."""
    return beat_f1(reference, estimate, window=window)


@dataclass(frozen=True)
class Adherence:
    """How an estimate follows a target; NaN where the target specifies nothing."""

    melody_accuracy: float
    dynamics_correlation: float
    beat_f1: float
    downbeat_f1: float


def adherence(target: Controls, estimate: Controls) -> Adherence:
    """All four metrics; melody compares pitch classes (``Controls.pitch_classes``)."""
    return Adherence(
        melody_accuracy=melody_accuracy(target.pitch_classes(), estimate.pitch_classes()),
        dynamics_correlation=dynamics_correlation(target.dynamics, estimate.dynamics),
        beat_f1=beat_f1(target.beats, estimate.beats),
        downbeat_f1=downbeat_f1(target.downbeats, estimate.downbeats),
    )
