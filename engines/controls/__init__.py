"""Controls engine: melody, dynamics and rhythm read off audio or notes, and adherence metrics.

Front functions: ``extract_controls`` (audio -> ``Controls``), ``detect_timing``
(audio -> ``Timing``: tempo, meter, first downbeat, key),
``controls_from_notes`` (notes -> ``Controls``), and the metrics
(``melody_accuracy``, ``dynamics_correlation``, ``beat_f1``, ``downbeat_f1``,
``adherence``). Heavy libraries (scipy, librosa, madmom, mir_eval) load only
when a function runs.
"""
from engines.controls.audio import extract_controls
from engines.controls.config import ControlsConfig, TimingConfig
from engines.controls.curves import Controls, frame_times, n_frames_for
from engines.controls.metrics import (
    Adherence,
    adherence,
    beat_f1,
    downbeat_f1,
    dynamics_correlation,
    melody_accuracy,
)
from engines.controls.key import KeyEstimate, estimate_key
from engines.controls.symbolic import NotePart, controls_from_notes, is_compound, metric_grid
from engines.controls.timing import Timing, detect_timing

__all__ = [
    "Adherence", "Controls", "ControlsConfig", "KeyEstimate", "NotePart", "Timing", "TimingConfig",
    "adherence", "beat_f1", "controls_from_notes", "detect_timing", "downbeat_f1",
    "dynamics_correlation", "estimate_key", "extract_controls", "frame_times", "is_compound",
    "melody_accuracy", "metric_grid", "n_frames_for",
]
