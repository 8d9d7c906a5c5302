"""The built-in synthesiser: pitch, timbre, vibrato, pan, tails, determinism, cancel."""
from __future__ import annotations

import numpy as np
import pytest

from engines.common import CancelToken, Cancelled, Note
from engines.render import Part, RenderConfig, render_part
from engines.render.builtin import note_cache
from engines.render.instruments import PATCHES, representative_program


def fundamental_hz(audio: np.ndarray, sample_rate: int, lo: float = 400.0, hi: float = 480.0) -> float:
    """Peak frequency between lo and hi of audio (2, n), by zero-padded FFT + parabola."""
    x = audio.sum(axis=0).astype(np.float64)
    n_fft = 1 << 21
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x)), n_fft))
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    band = np.flatnonzero((freqs > lo) & (freqs < hi))
    k = band[np.argmax(spec[band])]
    a, b, c = np.log(spec[k - 1:k + 2])
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * sample_rate / n_fft


def centroid_hz(audio: np.ndarray, sample_rate: int) -> float:
    x = audio.sum(axis=0)
    spec = np.abs(np.fft.rfft(x))
    freqs = np.fft.rfftfreq(len(x), 1.0 / sample_rate)
    return float((spec * freqs).sum() / spec.sum())


def one_note(program: int, *, pitch: int = 69, seconds: float = 2.0, velocity: int = 100,
             sample_rate: int = 44100, **part) -> np.ndarray:
    notes = (Note(pitch, 0.0, seconds, velocity),)
    return render_part(Part(notes=notes, program=program, **part), sample_rate=sample_rate).audio


@pytest.mark.parametrize("sample_rate", [44100, 48000])
@pytest.mark.parametrize("patch", PATCHES, ids=lambda p: p.name)
def test_a4_sounds_at_440_hz_within_one_cent(patch, sample_rate):
    audio = one_note(representative_program(patch), sample_rate=sample_rate)
    sustain = audio[:, int(0.2 * sample_rate):int(2.0 * sample_rate)]
    cents = 1200 * np.log2(fundamental_hz(sustain, sample_rate) / 440.0)
    assert abs(cents) < 1.0


@pytest.mark.parametrize("patch", PATCHES, ids=lambda p: p.name)
def test_harder_notes_are_louder_and_brighter(patch):
    program = representative_program(patch)
    soft, hard = one_note(program, velocity=40), one_note(program, velocity=120)
    assert np.sqrt(np.mean(hard ** 2)) > 4 * np.sqrt(np.mean(soft ** 2))
    assert centroid_hz(hard, 44100) > 1.05 * centroid_hz(soft, 44100)


def vibrato_cents(audio: np.ndarray, sample_rate: int) -> float:
    """Standard deviation (cents) of the instantaneous frequency of the 440 Hz partial."""
    from scipy.signal import butter, hilbert, sosfiltfilt

    x = audio.sum(axis=0).astype(np.float64)
    band = sosfiltfilt(butter(4, [380, 500], btype="band", fs=sample_rate, output="sos"), x)
    phase = np.unwrap(np.angle(hilbert(band)))
    freq = np.diff(phase) * sample_rate / (2 * np.pi)
    smooth = np.convolve(freq, np.ones(441) / 441, mode="same")  # 10 ms: ripple out, vibrato kept
    middle = smooth[int(0.7 * sample_rate):int(1.5 * sample_rate)]
    return float(np.std(1200 * np.log2(middle / 440.0)))


@pytest.mark.parametrize("program", [40, 48, 56, 64, 80])
def test_sustained_lead_and_string_notes_have_vibrato(program):
    assert vibrato_cents(one_note(program, seconds=3.0), 44100) > 4.0


@pytest.mark.parametrize("program", [0, 24, 32])
def test_plucked_and_struck_notes_hold_their_pitch(program):
    assert vibrato_cents(one_note(program, seconds=3.0), 44100) < 2.0


def test_short_string_notes_get_no_vibrato():
    audio = render_part(Part(notes=tuple(Note(69, 0.2 * i, 0.2) for i in range(15)),
                             program=40)).audio
    assert vibrato_cents(audio, 44100) < 2.0


def test_pan_moves_the_part_between_channels():
    left, right = one_note(0, pan=-1.0), one_note(0, pan=1.0)
    assert np.abs(left[1]).max() < 1e-6 < np.abs(left[0]).max()
    assert np.abs(right[0]).max() < 1e-6 < np.abs(right[1]).max()
    centre = one_note(0)
    np.testing.assert_allclose(centre[0], centre[1])


def test_gain_db_scales_the_part():
    base, quieter = one_note(0), one_note(0, gain_db=-6.0)
    np.testing.assert_allclose(quieter, base * 10 ** (-6 / 20), rtol=1e-4, atol=1e-7)


def test_release_tail_is_kept_after_the_note_ends():
    audio = one_note(48, seconds=1.0)
    assert audio.shape[1] > 1.2 * 44100
    after = audio[:, int(1.05 * 44100):int(1.15 * 44100)]
    assert np.abs(after).max() > 0.01 * np.abs(audio).max()
    assert np.abs(audio[:, -1]).max() < 1e-4


def test_every_gm_program_renders_sound():
    for program in range(128):
        audio = one_note(program, pitch=60, seconds=0.5)
        assert np.isfinite(audio).all() and np.abs(audio).max() > 0.01, program


def test_rendering_is_deterministic_and_independent_of_the_cache():
    part = Part(notes=tuple(Note(60 + i % 7, 0.1 * i, 0.3, 50 + 5 * i) for i in range(12)),
                program=48)
    first = render_part(part).audio
    note_cache().clear()
    second = render_part(part).audio
    np.testing.assert_array_equal(first, second)


def test_repeated_notes_are_rendered_once():
    cache = note_cache()
    cache.clear()
    notes = tuple(Note(62, 0.5 * i, 0.5, 100) for i in range(32))
    render_part(Part(notes=notes, program=0))
    assert cache.misses == 1 and len(cache) == 1


def test_empty_part_renders_no_samples():
    audio = render_part(Part(notes=())).audio
    assert audio.shape == (2, 0) and audio.dtype == np.float32


def test_cancel_stops_a_render():
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        render_part(Part(notes=(Note(60, 0.0, 1.0),)), cancel=token)


def test_progress_reaches_one():
    seen = []
    render_part(Part(notes=(Note(60, 0.0, 1.0),)), progress=lambda f, m="": seen.append(f))
    assert seen[-1] == 1.0 and all(0.0 <= f <= 1.0 for f in seen)


def test_vibrato_can_be_switched_off():
    notes = (Note(69, 0.0, 3.0),)
    audio = render_part(Part(notes=notes, program=40), config=RenderConfig(vibrato=False)).audio
    assert vibrato_cents(audio, 44100) < 2.0
