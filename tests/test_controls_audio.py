"""Controls read off synthetic audio: exact pitch classes, dynamics, beats and bars."""
from __future__ import annotations

import numpy as np
import pytest

from engines.common import CONTROL_FRAME_RATE, CancelToken, Cancelled
from engines.controls import (
    ControlsConfig,
    beat_f1,
    downbeat_f1,
    dynamics_correlation,
    extract_controls,
    frame_times,
)
from tests.dynamics_ref import extract_dynamics

SR = 44100


def sine_sequence(pitches: list[int], sr: int, *, tone: float = 0.5, gap: float = 0.15
                  ) -> tuple[np.ndarray, list[tuple[float, float, int]]]:
    """Sine tones separated by silence; returns audio (n,) and (start, end, pitch)."""
    pieces, spans, t = [], [], 0.0
    for pitch in pitches:
        n = int(tone * sr)
        f = 440.0 * 2 ** ((pitch - 69) / 12)
        env = np.minimum(1.0, np.minimum(np.arange(n), n - np.arange(n)) / (0.01 * sr))
        pieces += [0.5 * env * np.sin(2 * np.pi * f * np.arange(n) / sr), np.zeros(int(gap * sr))]
        spans.append((t, t + tone, pitch))
        t += tone + gap
    return np.concatenate(pieces).astype(np.float32), spans


def click_track(bpm: float, bars: int, per_bar: int, sr: int, *, offset: float = 0.0) -> np.ndarray:
    """Clicks on every beat, the first of each bar louder and higher."""
    period = 60.0 / bpm
    out = np.zeros(int((offset + bars * per_bar * period + 1.0) * sr), dtype=np.float32)
    n = np.arange(int(0.03 * sr))
    for k in range(bars * per_bar):
        accent = k % per_bar == 0
        click = (1.0 if accent else 0.45) * np.sin(2 * np.pi * (1500 if accent else 1000) * n / sr)
        start = int((offset + k * period) * sr)
        out[start: start + len(n)] += (click * np.exp(-n / (0.005 * sr))).astype(np.float32)
    return out


@pytest.mark.parametrize("sr", [44100, 48000, 22050])
def test_sine_tones_give_their_pitch_classes(sr):
    pitches = [60, 62, 64, 65, 67, 69, 71, 72, 61, 66, 70, 75, 80, 87]
    audio, spans = sine_sequence(pitches, sr)
    got = extract_controls(np.stack([audio, 0.8 * audio]), sr)
    times = frame_times(got.n_frames)
    for start, end, pitch in spans:
        inside = (times > start + 0.06) & (times < end - 0.06)
        assert np.all(got.melody_chroma[inside] == pitch % 12), pitch
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        middle = (times > end + 0.06) & (times < start - 0.06)
        assert middle.any() and np.all(np.isnan(got.melody_chroma[middle]))
    assert np.all(np.isnan(got.melody)), "audio has no octave: melody stays unspecified"


def test_tones_below_middle_c_read_through_the_high_pass():
    audio, spans = sine_sequence([48, 55, 57, 59], SR)
    got = extract_controls(audio, SR)
    times = frame_times(got.n_frames)
    for start, end, pitch in spans:
        inside = (times > start + 0.06) & (times < end - 0.06)
        assert np.all(got.melody_chroma[inside] == pitch % 12), pitch


def test_decibel_ramp_is_followed():
    t = np.arange(10 * SR) / SR
    gain_db = -40.0 + 4.0 * t  # -40 dB to 0 dB, linear in dB
    noise = np.random.default_rng(0).standard_normal(len(t))
    audio = (0.3 * noise * 10 ** (gain_db / 20)).astype(np.float32)
    got = extract_controls(audio, SR)
    ramp = -40.0 + 4.0 * frame_times(got.n_frames)
    core = slice(int(CONTROL_FRAME_RATE), -int(CONTROL_FRAME_RATE))
    assert dynamics_correlation(ramp[core], got.dynamics[core]) > 0.99
    assert np.nanmax(got.dynamics) == 0.0
    assert got.dynamics[core][-1] - got.dynamics[core][0] == pytest.approx(32.0, abs=2.0)


def test_linear_gain_ramp_is_followed_in_decibels():
    t = np.arange(8 * SR) / SR
    gain = 0.1 + 0.9 * t / t[-1]
    audio = (0.5 * gain * np.sin(2 * np.pi * 330 * t)).astype(np.float32)
    got = extract_controls(audio, SR)
    ramp_db = 20 * np.log10(0.1 + 0.9 * np.clip(frame_times(got.n_frames) / t[-1], 0, 1))
    core = slice(int(CONTROL_FRAME_RATE), -int(CONTROL_FRAME_RATE))
    assert dynamics_correlation(ramp_db[core], got.dynamics[core]) > 0.99
    assert dynamics_correlation(gain[:: 512][: got.n_frames][core], got.dynamics[core]) > 0.95


def test_dynamics_agree_with_the_librosa_reference():
    rng = np.random.default_rng(3)
    t = np.arange(12 * SR) / SR
    level = 10 ** ((-30 + 15 * (1 + np.sin(2 * np.pi * t / 6))) / 20)
    audio = (level * rng.standard_normal(len(t)) * 0.2).astype(np.float32)
    got = extract_controls(audio, SR)
    ref = extract_dynamics(audio)
    n = min(len(ref), got.n_frames)
    assert dynamics_correlation(ref[:n], got.dynamics[:n]) > 0.99


@pytest.mark.parametrize("offset", [0.0, 0.37])
def test_click_track_beats_and_accented_downbeats(offset):
    audio = click_track(120, 10, 4, SR, offset=offset)
    got = extract_controls(np.stack([audio, audio]), SR)
    beats = offset + np.arange(40) * 0.5
    assert beat_f1(beats, got.beats) == 1.0
    assert downbeat_f1(beats[::4], got.downbeats) == 1.0


def test_waltz_click_track_has_three_beat_bars():
    audio = click_track(100, 10, 3, SR)
    got = extract_controls(audio, SR)
    beats = np.arange(30) * 0.6
    assert beat_f1(beats, got.beats) == 1.0
    assert downbeat_f1(beats[::3], got.downbeats) == 1.0


def test_librosa_tracker_finds_the_click_beats():
    audio = click_track(120, 10, 4, SR)
    got = extract_controls(audio, SR, config=ControlsConfig(beat_tracker="librosa"))
    assert beat_f1(np.arange(40) * 0.5, got.beats) >= 0.95


def test_onset_density_counts_clicks_per_second():
    audio = click_track(120, 10, 4, SR)  # two clicks a second
    got = extract_controls(audio, SR)
    middle = got.rhythm[int(3 * CONTROL_FRAME_RATE): int(17 * CONTROL_FRAME_RATE)]
    assert np.allclose(middle, 2.0, atol=0.35)


def test_silence_has_no_melody_no_beats_and_floor_dynamics():
    got = extract_controls(np.zeros((2, 3 * SR), np.float32), SR)
    assert got.n_frames == int(np.ceil(3 * CONTROL_FRAME_RATE))
    assert np.all(np.isnan(got.melody_chroma))
    assert len(got.beats) == 0 and len(got.downbeats) == 0
    assert np.all(got.dynamics == ControlsConfig().dynamics_floor_db)
    assert np.all(got.rhythm == 0)


@pytest.mark.parametrize("seconds", [0.0, 0.005, 0.3])
def test_very_short_input(seconds):
    audio = np.full(int(seconds * SR), 0.1, np.float32)
    got = extract_controls(audio, SR)
    assert got.duration == len(audio) / SR
    assert got.n_frames == int(np.ceil(len(audio) / 512))


def test_block_size_does_not_change_the_result():
    rng = np.random.default_rng(1)
    audio, _ = sine_sequence([60, 64, 67, 72, 71, 69, 65, 62] * 2, SR)
    audio = audio + 0.01 * rng.standard_normal(len(audio)).astype(np.float32)
    small = extract_controls(audio, SR, config=ControlsConfig(block_seconds=1.0))
    large = extract_controls(audio, SR, config=ControlsConfig(block_seconds=60.0))
    np.testing.assert_array_equal(small.melody_chroma, large.melody_chroma)
    np.testing.assert_allclose(small.dynamics, large.dynamics, atol=1e-3)
    np.testing.assert_allclose(small.rhythm, large.rhythm, atol=1e-4)
    np.testing.assert_allclose(small.beats, large.beats)


def test_mono_vector_and_one_channel_agree():
    audio, _ = sine_sequence([60, 67], SR)
    a = extract_controls(audio, SR, config=ControlsConfig(beat_tracker="librosa"))
    b = extract_controls(audio[None, :], SR, config=ControlsConfig(beat_tracker="librosa"))
    np.testing.assert_array_equal(a.melody_chroma, b.melody_chroma)
    np.testing.assert_array_equal(a.dynamics, b.dynamics)


def test_frames_by_channels_is_refused():
    with pytest.raises(ValueError, match="channels, n"):
        extract_controls(np.zeros((SR, 2), np.float32), SR)


def test_progress_rises_to_one_and_cancel_stops():
    audio = click_track(120, 8, 4, SR)
    seen: list[float] = []
    extract_controls(audio, SR, progress=lambda f, m="": seen.append(f),
                     config=ControlsConfig(block_seconds=2.0))
    assert seen[-1] == 1.0 and all(b >= a for a, b in zip(seen, seen[1:]))
    assert len(seen) > 8
    token = CancelToken()

    def cancel_midway(fraction: float, message: str = "") -> None:
        if fraction > 0.2:
            token.cancel()

    with pytest.raises(Cancelled):
        extract_controls(audio, SR, progress=cancel_midway, cancel=token,
                         config=ControlsConfig(block_seconds=2.0))
