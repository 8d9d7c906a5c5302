"""basic-pitch's network (ICASSP 2022 "NMP") run with onnxruntime: audio -> posteriors.

A faithful port of ``basic_pitch.inference.run_inference`` (basic-pitch 0.4.0,
Apache-2.0, Spotify AB): mono audio at 22050 Hz gets half the overlap of zeros
in front, is cut into windows of ``WINDOW_SAMPLES`` that overlap by
``OVERLAP_FRAMES`` frames, each window runs through the network, and the
outputs are unwrapped (half the overlap dropped at each side of every window)
and cut to the audio's length. Windows run in batches (the network treats
them independently, so batching changes nothing but speed). The network
itself, constant-Q front end included, is the ONNX file shipped in basic-pitch's
wheel; the model store holds it as ``basic-pitch``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engines.common import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    import onnxruntime

SAMPLE_RATE = 22050
"""Hz; the network's input rate."""
FFT_HOP = 256
"""Samples per output frame at ``SAMPLE_RATE``."""
FRAME_RATE = SAMPLE_RATE // FFT_HOP
"""basic-pitch's ``ANNOTATIONS_FPS``: 86 (an integer, as in basic-pitch)."""
WINDOW_SECONDS = 2
WINDOW_FRAMES = FRAME_RATE * WINDOW_SECONDS
"""Output frames per window (172)."""
WINDOW_SAMPLES = SAMPLE_RATE * WINDOW_SECONDS - FFT_HOP
"""Input samples per window (43844)."""
OVERLAP_FRAMES = 30
OVERLAP_SAMPLES = OVERLAP_FRAMES * FFT_HOP
WINDOW_HOP = WINDOW_SAMPLES - OVERLAP_SAMPLES
"""Samples between window starts (36164)."""
LOWEST_PITCH = 21
"""MIDI pitch of the first note bin (A0, 27.5 Hz)."""
N_PITCHES = 88
CONTOUR_BINS_PER_SEMITONE = 3
BATCH_WINDOWS = 8
"""Windows per network call."""
_INPUT = "serving_default_input_2:0"
_OUTPUTS = ("StatefulPartitionedCall:1", "StatefulPartitionedCall:2", "StatefulPartitionedCall:0")
"""Network outputs in the order note, onset, contour."""


@dataclass(frozen=True, eq=False)
class Posteriors:
    """The network's output for a whole signal, at ``FRAME_RATE`` frames per second.

    note, onset: float32 (n_frames, 88), probability that MIDI pitch 21 + k
    sounds / starts in each frame. contour: float32 (n_frames, 264), pitch
    salience at 3 bins per semitone from 27.5 Hz. ``times`` (float64, seconds)
    of each frame, as basic-pitch's ``model_frames_to_time`` computes them.
    """

    note: np.ndarray
    onset: np.ndarray
    contour: np.ndarray

    @property
    def n_frames(self) -> int:
        return int(self.note.shape[0])

    @property
    def times(self) -> np.ndarray:
        return frame_times(self.n_frames)


def frames_for(n_samples: int) -> int:
    """Output frames the network gives for ``n_samples`` samples at ``SAMPLE_RATE``."""
    return int(np.floor(n_samples * (FRAME_RATE / SAMPLE_RATE)))


def frame_times(n_frames: int) -> np.ndarray:
    """Seconds of each output frame: basic-pitch's ``model_frames_to_time``, exactly.

    Frames are ``FFT_HOP`` samples apart, less a per-window offset (basic-pitch
    counts windows every ``WINDOW_FRAMES`` frames and adds its 1.8 ms alignment
    constant). Returns float64 (n_frames,).
    """
    original = np.arange(n_frames) * FFT_HOP / SAMPLE_RATE
    window_numbers = np.floor(np.arange(n_frames) / WINDOW_FRAMES)
    window_offset = (FFT_HOP / SAMPLE_RATE) * (WINDOW_FRAMES - WINDOW_SAMPLES / FFT_HOP) + 0.0018
    return original - window_offset * window_numbers


def open_session(model: bytes, *, device: str = "cpu", threads: int = 0) -> "onnxruntime.InferenceSession":
    """An onnxruntime session on the network's bytes (the ``.onnx`` file's content).

    ``device``: "cuda" uses onnxruntime's CUDA provider when this onnxruntime
    has it, else the CPU. ``threads``: intra-op threads, 0 = onnxruntime's choice.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    providers = ["CPUExecutionProvider"]
    if device == "cuda" and "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        providers.insert(0, "CUDAExecutionProvider")
    return onnxruntime.InferenceSession(model, sess_options=options, providers=providers)


def to_network_rate(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono float32 at ``SAMPLE_RATE``, as ``librosa.load(sr=22050, mono=True)`` makes it.

    audio: float32 (channels, n) or (n,) at ``sample_rate`` Hz. Channels are
    averaged, then resampled with soxr's high quality (librosa's default).
    """
    import soxr

    mono = np.asarray(audio, dtype=np.float32)
    if mono.ndim == 2:
        mono = mono.mean(axis=0, dtype=np.float32)
    if sample_rate != SAMPLE_RATE and mono.size:
        mono = soxr.resample(mono, sample_rate, SAMPLE_RATE, quality="HQ").astype(np.float32)
    return np.ascontiguousarray(mono)


def _windows(mono: np.ndarray) -> np.ndarray:
    """float32 (n_windows, WINDOW_SAMPLES, 1): the padded signal cut as basic-pitch cuts it."""
    padded = np.concatenate([np.zeros(OVERLAP_SAMPLES // 2, np.float32), mono])
    starts = range(0, len(padded), WINDOW_HOP)
    out = np.zeros((len(starts), WINDOW_SAMPLES, 1), np.float32)
    for k, start in enumerate(starts):
        piece = padded[start:start + WINDOW_SAMPLES]
        out[k, : len(piece), 0] = piece
    return out


def run_network(session: "onnxruntime.InferenceSession", mono: np.ndarray, *,
                progress: Progress = no_progress, cancel: CancelToken | None = None) -> Posteriors:
    """Posteriors of ``mono`` (float32 (n,) at ``SAMPLE_RATE``); cancel is checked per batch."""
    n_frames = frames_for(len(mono))
    if n_frames == 0:
        empty = np.zeros((0, N_PITCHES), np.float32)
        return Posteriors(empty, empty.copy(), np.zeros((0, N_PITCHES * CONTOUR_BINS_PER_SEMITONE), np.float32))
    windows = _windows(mono)
    parts: list[list[np.ndarray]] = [[], [], []]
    for first in range(0, len(windows), BATCH_WINDOWS):
        if cancel is not None:
            cancel.check()
        outputs = session.run(list(_OUTPUTS), {_INPUT: windows[first:first + BATCH_WINDOWS]})
        for part, out in zip(parts, outputs):
            part.append(np.asarray(out, dtype=np.float32))
        progress(min(1.0, (first + BATCH_WINDOWS) / len(windows)), "listening")
    note, onset, contour = (_unwrap(np.concatenate(p), n_frames) for p in parts)
    return Posteriors(note, onset, contour)


def _unwrap(output: np.ndarray, n_frames: int) -> np.ndarray:
    """(n_windows, WINDOW_FRAMES, bins) -> (n_frames, bins): overlaps dropped, cut to length."""
    half = OVERLAP_FRAMES // 2
    kept = output[:, half:-half, :]
    return np.ascontiguousarray(kept.reshape(-1, kept.shape[2])[:n_frames])
