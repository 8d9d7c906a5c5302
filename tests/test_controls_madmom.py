"""Our block-wise features and batched networks reproduce madmom's own numbers."""
from __future__ import annotations

import importlib.metadata

import numpy as np
import pytest

from engines.controls.bars import decode_bars
from engines.controls.madmom_compat import MadmomUnavailable, import_madmom
from engines.controls.stream import blocks

SR = 44100


@pytest.fixture(scope="module")
def signal() -> np.ndarray:
    rng = np.random.default_rng(0)
    x = np.zeros(SR * 8, dtype=np.float32)
    n = np.arange(3000)
    for i in range(16):
        start = int(i * 0.5 * SR)
        x[start: start + 3000] += ((1.0 if i % 4 == 0 else 0.4)
                                   * np.sin(2 * np.pi * (600 + 40 * i) * n / SR) * np.exp(-n / 500))
    return x + 0.01 * rng.standard_normal(len(x)).astype(np.float32)


def test_madmom_imports_and_metadata_lookup_is_restored():
    before = importlib.metadata.distribution
    madmom = import_madmom()
    assert importlib.metadata.distribution is before
    assert madmom.__version__


def test_block_features_equal_madmoms_preprocessor(signal):
    madmom = import_madmom()
    from madmom.features.downbeats import RNNDownBeatProcessor

    from engines.controls.madmom_features import MadmomFeatures

    reference = RNNDownBeatProcessor().processors[0](madmom.audio.signal.Signal(signal, sample_rate=SR))
    features = MadmomFeatures()
    chunks = iter([signal[:100_000], signal[100_000:]])
    ours = np.concatenate([features.process(b)[0] for b in blocks(chunks, SR, features.context)])
    assert ours.shape == reference.shape
    np.testing.assert_allclose(ours, reference, atol=1e-4)


def test_batched_ensemble_equals_madmoms_networks(signal):
    import_madmom()
    from madmom.features.downbeats import RNNDownBeatProcessor
    from madmom.ml.nn import NeuralNetworkEnsemble
    from madmom.models import DOWNBEATS_BLSTM

    from engines.controls.downbeat_rnn import DownbeatEnsemble

    processor = RNNDownBeatProcessor()
    features = processor.processors[0](signal)
    reference = NeuralNetworkEnsemble.load(DOWNBEATS_BLSTM[:3])(features)[:, 1:]
    ours = DownbeatEnsemble(3)(features)
    np.testing.assert_allclose(ours, reference, atol=1e-4)


def test_bar_decoder_follows_clear_evidence():
    prob = np.tile([0.9, 0.1, 0.2, 0.1], 8)
    assert np.array_equal(np.nonzero(decode_bars(prob, (3, 4)))[0], np.arange(0, 32, 4))
    waltz = np.tile([0.1, 0.8, 0.1], 8)
    assert np.array_equal(np.nonzero(decode_bars(waltz, (3, 4)))[0], np.arange(1, 24, 3))


def test_bar_decoder_prefers_long_bars_when_mid_bar_beats_are_weak():
    prob = np.tile([0.9, 0.05, 0.2, 0.05], 8)
    assert np.nonzero(decode_bars(prob, (2, 3, 4)))[0].tolist() == list(range(0, 32, 4))
    two = np.tile([0.9, 0.05], 12)
    assert np.nonzero(decode_bars(two, (2, 3, 4)))[0].tolist() == list(range(0, 24, 2))


def test_bar_decoder_recovers_after_a_dropped_beat():
    prob = np.array([0.9, 0.1, 0.1, 0.1] * 4 + [0.1, 0.1] + [0.9, 0.1, 0.1, 0.1] * 4)
    starts = np.nonzero(decode_bars(prob, (4,)))[0].tolist()
    assert starts[:4] == [0, 4, 8, 12] and starts[-4:] == [18, 22, 26, 30]


def test_without_madmom_auto_falls_back_to_librosa(monkeypatch):
    import engines.controls.beats as beats

    monkeypatch.setattr(beats, "madmom_available", lambda: False)
    from engines.controls import extract_controls
    from tests.test_controls_audio import click_track

    got = extract_controls(click_track(120, 8, 4, SR), SR)
    assert len(got.beats) > 20 and set(got.downbeats) <= set(got.beats)
    monkeypatch.setattr(beats, "MadmomTracker", _broken_tracker)
    with pytest.raises(MadmomUnavailable):
        extract_controls(np.zeros(SR, np.float32), SR,
                         config=beats.ControlsConfig(beat_tracker="madmom"))


def _broken_tracker(*args, **kwargs):
    raise MadmomUnavailable("madmom cannot be imported: test")


def test_engine_import_loads_no_heavy_library():
    import subprocess
    import sys

    code = ("import sys, engines.controls; print(sorted(m for m in ('scipy', 'librosa', 'madmom', "
            "'mir_eval', 'soxr', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_long_activations_are_decoded_in_windows_without_seams():
    from engines.controls.beats import decode_beats
    from engines.controls.config import ControlsConfig

    fps, period = 100, 0.48  # 125 BPM for 150 s: three 60 s windows
    beat_frames = np.round(np.arange(0.2, 150, period) * fps).astype(int)
    t = np.arange(150 * fps)
    bumps = np.exp(-0.5 * ((t[:, None] - beat_frames[None, :]) / 1.5) ** 2).max(axis=1)
    act = np.stack([0.01 + 0.85 * bumps, 0.01 + 0.0 * bumps], axis=1).astype(np.float32)
    beats = decode_beats(act, fps, ControlsConfig())
    intervals = np.diff(beats)
    assert len(beats) == len(beat_frames)
    assert np.allclose(intervals, period, atol=0.011)


def test_nan_samples_are_treated_as_silence():
    from engines.controls import extract_controls

    audio = np.zeros(SR * 2, np.float32)
    audio[1000:2000] = np.nan
    got = extract_controls(audio, SR)
    assert np.all(np.isfinite(got.dynamics)) and np.all(np.isfinite(got.rhythm))
