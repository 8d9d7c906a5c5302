"""Drums: onsets, then which pieces of the kit played them, as General MIDI drum notes.

Onsets are peaks of a spectral-flux envelope (librosa's onset strength over a
log-mel spectrogram made from the shared STFT). At each onset the drum
classifier (``DrumModel``: a multi-label logistic regression over how the
mel spectrum rises and decays there) says which of ``DRUM_CLASSES`` sounded;
at least the likeliest one is written. Velocities follow the loudness of each
hit (``velocity.velocities``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.transcribe.features import N_FFT, Features
from engines.transcribe.nmp import FFT_HOP, FRAME_RATE, SAMPLE_RATE

DRUM_CLASSES = ("kick", "snare", "hihat", "tom", "cymbal")
"""What the classifier tells apart."""
GM_NOTES = {"kick": 36, "snare": 38, "hihat": 42, "tom": 47, "cymbal": 49}
"""The General MIDI drum note written for each class."""
N_MELS = 32
"""Mel bands of the classifier's features."""
FEATURE_FRAMES = tuple(range(-1, 9))
"""Frames (from the onset) whose mel spectra make the features (see ``hit_features``)."""
N_FEATURES = 2 * len(FEATURE_FRAMES) * N_MELS


@dataclass(frozen=True)
class DrumConfig:
    """Onset detection and classification settings.

    delta: peak-picking threshold on the normalised onset envelope (librosa's ``delta``).
    min_gap_ms: two onsets closer than this count once.
    min_rise_db: an onset must raise the spectrum by at least this much (dB, averaged
        over the mel bands); steady noise rises by about 1 dB from frame to frame.
    class_threshold: every class at least this probable at an onset is written
        (the likeliest one always is).
    """

    delta: float = 0.05
    min_gap_ms: float = 35.0
    min_rise_db: float = 2.5
    class_threshold: float = 0.5


@dataclass(frozen=True, eq=False)
class DrumModel:
    """A one-hidden-layer network, multi-label: p = sigmoid(relu(x' @ w1 + b1) @ w2 + b2),
    x' = (x - mean) / scale.

    mean, scale: float32 (N_FEATURES,). w1: float32 (N_FEATURES, hidden), b1 (hidden,),
    w2: float32 (hidden, len(DRUM_CLASSES)), b2 (len(DRUM_CLASSES),).
    """

    mean: np.ndarray
    scale: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """float32 (n_hits, len(DRUM_CLASSES)) for ``features`` float32 (n_hits, N_FEATURES)."""
        hidden = np.maximum(((features - self.mean) / self.scale) @ self.w1 + self.b1, 0.0)
        z = hidden @ self.w2 + self.b2
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(np.float32)


def log_mel(feats: Features) -> np.ndarray:
    """float32 (n_frames, N_MELS): the shared STFT in ``N_MELS`` mel bands, dB (80 dB range)."""
    import librosa

    basis = librosa.filters.mel(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS)
    power = feats.spectrum.magnitude.astype(np.float32) ** 2 @ basis.T
    return librosa.power_to_db(power, ref=1.0, top_db=None).astype(np.float32)


def onsets(mel_db: np.ndarray, config: DrumConfig = DrumConfig()) -> np.ndarray:
    """Onset frames (int, ascending) of ``mel_db`` (float32 (n_frames, N_MELS))."""
    import librosa

    if mel_db.shape[0] < 3:
        return np.zeros(0, dtype=np.int64)
    floor = mel_db.max() - 80.0
    lead = np.full((LEAD_FRAMES, mel_db.shape[1]), floor, np.float32)
    spec = np.maximum(np.concatenate([lead, mel_db]), floor)
    strength = librosa.onset.onset_strength(S=spec.T, sr=SAMPLE_RATE, n_fft=N_FFT, hop_length=FFT_HOP)
    wait = max(1, int(round(config.min_gap_ms / 1000 * FRAME_RATE)))
    found = np.asarray(librosa.onset.onset_detect(onset_envelope=strength, sr=SAMPLE_RATE, hop_length=FFT_HOP,
                                                  delta=config.delta, wait=wait, units="frames"), dtype=np.int64)
    return np.unique(np.maximum(found[strength[found] >= config.min_rise_db] - LEAD_FRAMES, 0))


LEAD_FRAMES = 4
"""Frames of silence put before the audio when looking for onsets, so a hit at 0:00 rises from
silence like any other (the stem of a song that starts on a kick)."""


def hit_features(mel_db: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """float32 (len(frames), N_FEATURES): for each onset frame k, the mel spectra of frames
    k + FEATURE_FRAMES relative to the loudest band of any of them (the hit's shape and
    decay), then relative to frame k - 2 (what the hit added)."""
    n = mel_db.shape[0]
    if len(frames) == 0:
        return np.zeros((0, N_FEATURES), np.float32)
    around = np.stack([mel_db[np.clip(frames + o, 0, n - 1)] for o in FEATURE_FRAMES], axis=1)
    shape = around - around.max(axis=(1, 2), keepdims=True)
    added = around - mel_db[np.clip(frames - 2, 0, n - 1)][:, None, :]
    return np.concatenate([shape.reshape(len(frames), -1), added.reshape(len(frames), -1)], axis=1
                          ).astype(np.float32)


def hits(feats: Features, config: DrumConfig = DrumConfig()) -> tuple[np.ndarray, np.ndarray]:
    """(onset frames, their ``hit_features``) of a stem: what the classifier sees, in use and in
    training alike."""
    mel = log_mel(feats)
    frames = onsets(mel, config)
    return frames, hit_features(mel, frames)


def classify(model: DrumModel, features: np.ndarray, config: DrumConfig = DrumConfig()) -> np.ndarray:
    """bool (n_hits, len(DRUM_CLASSES)): the classes written at each hit (at least one)."""
    probs = model.probabilities(features)
    chosen = probs >= config.class_threshold
    if len(probs):
        chosen[np.arange(len(probs)), probs.argmax(axis=1)] = True
    return chosen


GM_CLASS = {
    **dict.fromkeys((35, 36), "kick"),
    **dict.fromkeys((37, 38, 39, 40, 75, 76, 77), "snare"),
    **dict.fromkeys((42, 44, 46, 54, 69, 70, 73, 74, 82), "hihat"),
    **dict.fromkeys((41, 43, 45, 47, 48, 50, 60, 61, 62, 63, 64, 65, 66, 78, 79), "tom"),
    **dict.fromkeys((49, 51, 52, 53, 55, 56, 57, 59, 67, 68, 80, 81), "cymbal"),
}
"""Which class each General MIDI drum note belongs to, for training and scoring (sticks and
wood blocks count as snare, shakers as hi-hat, hand drums as toms, bells as cymbals)."""


def hit_labels(onset_times: np.ndarray, hit_times: np.ndarray, hit_notes: np.ndarray, *,
               tolerance: float = 0.04) -> np.ndarray:
    """float32 (len(onset_times), len(DRUM_CLASSES)): 1 where a reference hit of that class
    lies within ``tolerance`` seconds of the detected onset. Times in seconds."""
    labels = np.zeros((len(onset_times), len(DRUM_CLASSES)), np.float32)
    for t, note in zip(hit_times, hit_notes):
        name = GM_CLASS.get(int(note))
        if name is None or len(onset_times) == 0:
            continue
        k = int(np.argmin(np.abs(onset_times - t)))
        if abs(onset_times[k] - t) <= tolerance:
            labels[k, DRUM_CLASSES.index(name)] = 1.0
    return labels
