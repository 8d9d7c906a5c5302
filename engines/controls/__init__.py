"""Controls engine: melody, dynamics and rhythm read off audio or notes, and adherence metrics.

Front functions: ``extract_controls`` (audio -> ``Controls``),
``controls_from_notes`` (notes -> ``Controls``), and the metrics
(``melody_accuracy``, ``dynamics_correlation``, ``beat_f1``, ``downbeat_f1``,
``adherence``). Heavy libraries (scipy, librosa, madmom, mir_eval) load only
when a function runs.
"""
from engines.controls.audio import extract_controls
from engines.controls.config import ControlsConfig
from engines.controls.curves import Controls, frame_times, n_frames_for
from engines.controls.metrics import (
    Adherence,
    adherence,
    beat_f1,
    downbeat_f1,
    dynamics_correlation,
    melody_accuracy,
)
from engines.controls.symbolic import NotePart, controls_from_notes, is_compound, metric_grid

__all__ = [
    "Adherence", "Controls", "ControlsConfig", "NotePart", "adherence",
    "beat_f1", "controls_from_notes", "downbeat_f1", "dynamics_correlation",
    "extract_controls", "frame_times", "is_compound", "melody_accuracy", "metric_grid", "n_frames_for",
]
