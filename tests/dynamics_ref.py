"""A test-side reference for Music ControlNet's dynamics control, written with librosa.

Dynamics = the energy of a mel spectrogram summed over its bands, in dB
relative to the loudest frame, smoothed over about one second with a
Savitzky-Golay filter; frames of 512 samples at 44.1 kHz (86.13 frames/s).
The engines/controls extractor implements the same definition for the app.
"""
from __future__ import annotations

import numpy as np

SAMPLE_RATE = 44100
HOP = 512
N_FFT = 2048
N_MELS = 128
SMOOTH_FRAMES = 87
"""About one second of frames (odd, as Savitzky-Golay needs)."""


def extract_dynamics(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """audio: float32 (channels, n) or (n,) at ``sample_rate``. Returns float64 dB <= 0 per frame."""
    import librosa
    from scipy.signal import savgol_filter

    mono = np.asarray(audio, dtype=np.float32)
    if mono.ndim == 2:
        mono = mono.mean(axis=0)
    if sample_rate != SAMPLE_RATE:
        mono = librosa.resample(mono, orig_sr=sample_rate, target_sr=SAMPLE_RATE)
    mel = librosa.feature.melspectrogram(y=mono, sr=SAMPLE_RATE, n_fft=N_FFT, hop_length=HOP,
                                         n_mels=N_MELS, power=2.0)
    db = 10.0 * np.log10(np.maximum(mel.sum(axis=0), 1e-10))
    window = min(SMOOTH_FRAMES, len(db) - (1 - len(db) % 2))
    if window >= 3:
        db = savgol_filter(db, window, 1)
    return db - db.max()
