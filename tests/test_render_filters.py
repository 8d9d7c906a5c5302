"""engines.render.filters: the numpy IIR filters match scipy's, so rendering need not import it."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from engines.render.filters import butter_bandpass, one_pole_lowpass, sosfilt

NOISE = np.random.default_rng(7).standard_normal((2, 30000)).astype(np.float32)


@pytest.mark.parametrize("sample_rate", [44100, 48000])
def test_one_pole_lowpass_matches_lfilter(sample_rate):
    a = np.exp(-2 * np.pi * 1200.0 / sample_rate)
    expected = signal.lfilter([1 - a], [1, -a], NOISE.astype(np.float64), axis=-1)
    got = one_pole_lowpass(NOISE, 1200.0, sample_rate)
    assert got.dtype == np.float32 and got.shape == NOISE.shape
    np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("sample_rate", [44100, 48000])
@pytest.mark.parametrize("band", [(1500.0, 6000.0), (900.0, 4000.0), (7000.0, 16000.0), (200.0, 400.0)])
def test_butterworth_band_pass_matches_scipy(sample_rate, band):
    mine = butter_bandpass(2, *band, sample_rate)
    theirs = signal.butter(2, band, btype="band", output="sos", fs=sample_rate)
    x = NOISE[0].astype(np.float64)
    expected = signal.sosfilt(theirs, x)
    np.testing.assert_allclose(sosfilt(mine, x), expected, atol=1e-9 * np.abs(expected).max())
    _, h_mine = signal.sosfreqz(mine, worN=512, fs=sample_rate)
    _, h_theirs = signal.sosfreqz(theirs, worN=512, fs=sample_rate)
    np.testing.assert_allclose(np.abs(h_mine), np.abs(h_theirs), atol=1e-9)


def test_a_band_above_nyquist_is_refused():
    with pytest.raises(ValueError, match="Hz"):
        butter_bandpass(2, 1000.0, 30000.0, 44100)
