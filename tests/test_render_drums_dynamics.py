"""Drum timing and kit, and the dynamics curve shaping a rendered track's loudness."""
from __future__ import annotations

import numpy as np
import pytest

from engines.common import CONTROL_FRAME_RATE, Note
from engines.render import Part, RenderConfig, render_part
from tests.dynamics_ref import extract_dynamics

SR = 44100


def onset_times(audio: np.ndarray, expected: list[float], sample_rate: int = SR) -> list[float]:
    """For each expected time, the first sample within +-30 ms whose level passes 20 %
    of the window's peak (the attack), in seconds."""
    x = np.abs(audio).max(axis=0)
    found = []
    for t in expected:
        lo = max(0, int((t - 0.03) * sample_rate))
        window = x[lo:int((t + 0.03) * sample_rate)]
        found.append((lo + int(np.argmax(window > 0.2 * window.max()))) / sample_rate)
    return found


@pytest.mark.parametrize("key", [35, 36, 37, 38, 39, 40, 41, 42, 44, 45, 46, 47, 48, 49,
                                 50, 51, 53, 54, 55, 56, 57, 59, 60, 64, 75, 80, 33])
def test_each_drum_lands_within_5_ms_of_its_note(key):
    times = [0.25, 0.7731, 1.5002, 2.2499]
    notes = tuple(Note(key, t, 0.1, 100) for t in times)
    audio = render_part(Part(notes=notes, is_drum=True)).audio
    for want, got in zip(times, onset_times(audio, times)):
        assert abs(got - want) < 0.005, (key, want, got)


def test_a_dense_groove_lands_on_time():
    times = [i * 0.125 + (0.013 if i % 2 else 0.0) for i in range(32)]
    keys = [36, 42, 38, 42] * 8
    notes = tuple(Note(k, t, 0.05, 110) for k, t in zip(keys, times))
    audio = render_part(Part(notes=notes, is_drum=True)).audio
    kicks = [t for k, t in zip(keys, times) if k == 36]
    kick_only = render_part(Part(notes=tuple(n for n in notes if n.pitch == 36), is_drum=True)).audio
    for want, got in zip(kicks, onset_times(kick_only, kicks)):
        assert abs(got - want) < 0.005
    assert audio.shape[1] >= int(times[-1] * SR)


def band_energy(audio: np.ndarray, lo: float, hi: float) -> float:
    spec = np.abs(np.fft.rfft(audio.sum(axis=0))) ** 2
    freqs = np.fft.rfftfreq(audio.shape[1], 1 / SR)
    return float(spec[(freqs >= lo) & (freqs < hi)].sum() / spec.sum())


def hit(key: int, velocity: int = 100) -> np.ndarray:
    return render_part(Part(notes=(Note(key, 0.0, 0.1, velocity),), is_drum=True)).audio


def test_kit_pieces_sound_like_themselves():
    assert band_energy(hit(36), 20, 150) > 0.6            # kick: low thump
    assert band_energy(hit(38), 1000, 12000) > 0.3        # snare: wires
    assert band_energy(hit(42), 6000, 20000) > 0.6        # hat: bright
    assert hit(49).shape[1] > 10 * hit(42).shape[1]       # crash rings on, hat is short
    assert band_energy(hit(41), 60, 120) > band_energy(hit(50), 60, 120)  # floor tom lower


def test_harder_hits_are_louder_and_brighter():
    soft, hard = hit(38, 40), hit(38, 120)
    assert np.abs(hard).max() > 4 * np.abs(soft).max()
    assert band_energy(hard, 5000, 20000) > band_energy(soft, 5000, 20000)


def test_closed_hat_chokes_the_open_hat():
    notes = (Note(46, 0.0, 0.1, 100), Note(42, 0.2, 0.1, 100))
    audio = render_part(Part(notes=notes, is_drum=True)).audio
    open_alone = hit(46)
    assert audio.shape[1] < int(0.3 * SR) < open_alone.shape[1]
    late = slice(int(0.2 * SR) + int(0.01 * SR), int(0.3 * SR))
    closed_alone = render_part(Part(notes=(Note(42, 0.2, 0.1, 100),), is_drum=True)).audio
    np.testing.assert_allclose(audio[:, late], closed_alone[:, late], atol=1e-6)


def swell_curve(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * CONTROL_FRAME_RATE)) / CONTROL_FRAME_RATE
    return (-12.0 + 12.0 * np.cos(2 * np.pi * t / 8.0)).astype(np.float32)


def groove(program: int, bars: int) -> tuple[Note, ...]:
    """Two-second bars: held triads for sustained programs, repeated eighths otherwise."""
    notes = []
    for bar in range(bars):
        root = 60 + (0, 5, 7, 3)[bar % 4]
        if program in (48, 88):
            notes += [Note(root + i, 2.0 * bar, 2.0, 90) for i in (0, 4, 7)]
        else:
            notes += [Note(root + (0, 4, 7, 12)[k % 4], 2.0 * bar + 0.25 * k, 0.25, 90)
                      for k in range(8)]
    return tuple(notes)


def correlation(audio: np.ndarray, curve: np.ndarray) -> float:
    extracted = extract_dynamics(audio)
    n = min(len(extracted), len(curve))
    inner = slice(int(CONTROL_FRAME_RATE), n - int(CONTROL_FRAME_RATE))
    return float(np.corrcoef(extracted[inner], curve[inner])[0, 1])


@pytest.mark.parametrize("program", [0, 33, 48, 56, 88])
def test_loudness_follows_the_dynamics_curve(program):
    curve = swell_curve(24.0)
    audio = render_part(Part(notes=groove(program, 12), program=program, dynamics=curve)).audio
    assert correlation(audio, curve) >= 0.98


def test_drum_loudness_follows_the_dynamics_curve():
    curve = swell_curve(24.0)
    notes = tuple(Note(k, 0.5 * b + 0.125 * i, 0.1, 100)
                  for b in range(48) for i, k in enumerate((36, 42, 38, 42)))
    audio = render_part(Part(notes=notes, is_drum=True, dynamics=curve)).audio
    assert correlation(audio, curve) >= 0.98


def test_without_a_curve_loudness_follows_the_notes_only():
    notes = groove(48, 6)
    plain = render_part(Part(notes=notes, program=48)).audio
    unspecified = np.full(int(12 * CONTROL_FRAME_RATE), np.nan, dtype=np.float32)
    neutral = render_part(Part(notes=notes, program=48, dynamics=unspecified)).audio
    np.testing.assert_array_equal(plain, neutral)


def test_a_drawn_dip_only_changes_its_span():
    notes = groove(48, 6)
    curve = np.full(int(12 * CONTROL_FRAME_RATE), np.nan, dtype=np.float32)
    curve[int(4 * CONTROL_FRAME_RATE):int(8 * CONTROL_FRAME_RATE)] = -20.0
    plain = render_part(Part(notes=notes, program=48)).audio
    dipped = render_part(Part(notes=notes, program=48, dynamics=curve)).audio
    rms = lambda a, s, e: float(np.sqrt(np.mean(a[:, int(s * SR):int(e * SR)] ** 2)))
    assert rms(dipped, 5, 7) < 0.15 * rms(plain, 5, 7)
    assert rms(dipped, 1, 3) == pytest.approx(rms(plain, 1, 3), rel=1e-3)
    assert rms(dipped, 9, 11) == pytest.approx(rms(plain, 9, 11), rel=1e-3)


def test_quiet_passages_are_also_darker():
    notes = groove(56, 4)
    quiet = np.full(int(8 * CONTROL_FRAME_RATE), -24.0, dtype=np.float32)
    loud = render_part(Part(notes=notes, program=56)).audio
    soft = render_part(Part(notes=notes, program=56, dynamics=quiet)).audio
    assert band_energy(soft, 3000, 20000) < 0.8 * band_energy(loud, 3000, 20000)
    level_only = RenderConfig(expression_brightness=0.0)
    flat = render_part(Part(notes=notes, program=56, dynamics=quiet), config=level_only).audio
    assert band_energy(flat, 3000, 20000) == pytest.approx(band_energy(loud, 3000, 20000), rel=0.02)
