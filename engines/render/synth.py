"""The built-in pitched voice: one note of a patch as a stereo waveform.

A note is rendered over its own span only (its held part plus the release
tail), at a timbre layer chosen by velocity; the exact velocity level is
applied when the note is placed, so a cached waveform serves every velocity
of its layer. Nothing loops per sample: every step is a numpy array op.
"""
from __future__ import annotations

import numpy as np

from engines.common import midi_hz
from engines.render.instruments import Patch
from engines.render.wavetable import harmonics_below, read_table, wavetable

LN_1000 = float(np.log(1000.0))
"""exp(-LN_1000 * t / t60) falls 60 dB at t = t60."""
SIDE_VOICE = 0.6
"""Level of each detuned ensemble voice relative to the centre voice."""
_FADE_OUT = 64
"""Samples of linear fade at the very end of a tail, so a cut never clicks."""


def layer_velocity(layer: int, layers: int) -> float:
    """The velocity (1-127 scale) that timbre layer ``layer`` of ``layers`` stands for."""
    return (layer + 0.5) * 127.0 / layers


def velocity_layer(velocity: int, layers: int) -> int:
    """The timbre layer (0..layers-1) of a MIDI velocity 1-127."""
    return min(layers - 1, max(0, int(velocity) * layers // 128))


def velocity_gain(velocity: int) -> float:
    """Linear level of a MIDI velocity: 40*log10(v/127) dB, the GM curve."""
    return (min(max(int(velocity), 1), 127) / 127.0) ** 2


def note_wave(patch: Patch, pitch: int, velocity: float, n_hold: int, sample_rate: int,
              *, vibrato: bool) -> np.ndarray:
    """One note at full scale (velocity level not applied).

    n_hold: samples from note-on to note-off. Returns float32 (2, n_hold + release
    samples): left, right.
    """
    n_total = n_hold + max(_FADE_OUT, int(patch.release * sample_rate))
    t = np.arange(n_total, dtype=np.float64) / sample_rate
    f0 = midi_hz(pitch)
    phase = _phase(patch, f0, t, n_hold / sample_rate, vibrato=vibrato)
    spread = patch.vibrato_cents + patch.detune_cents + 5.0
    n_harm = harmonics_below(f0 * 2.0 ** (spread / 1200.0), sample_rate)
    dark = wavetable(body_rolloff(patch.dark, f0, patch.dark_hz), n_harm)
    bright = wavetable(body_rolloff(patch.bright, f0, patch.bright_hz), n_harm)
    weight = _brightness(patch, velocity, t)
    env = _envelope(patch, pitch, t, n_hold)
    centre = _voice(dark, bright, weight, phase)
    if patch.detune_cents <= 0.0:
        mono = _shape(patch, centre * env, velocity, sample_rate)
        return np.stack([mono, mono])
    ratio = 2.0 ** (patch.detune_cents / 1200.0)
    norm = np.float32(1.0 / np.sqrt(1.0 + SIDE_VOICE ** 2))
    left = _voice(dark, bright, weight, phase / ratio + 0.31) * np.float32(SIDE_VOICE)
    right = _voice(dark, bright, weight, phase * ratio + 0.67) * np.float32(SIDE_VOICE)
    out = np.stack([(centre + left) * env, (centre + right) * env]) * norm
    return np.stack([_shape(patch, ch, velocity, sample_rate) for ch in out])


def body_rolloff(amps: tuple[float, ...], f0: float, cutoff_hz: float) -> tuple[float, ...]:
    """Harmonic amplitudes after a 12 dB/octave roll-off above ``cutoff_hz`` (0 = none)."""
    if cutoff_hz <= 0.0:
        return amps
    k = np.arange(1, len(amps) + 1)
    gains = 1.0 / np.sqrt(1.0 + (k * f0 / cutoff_hz) ** 4)
    return tuple(round(float(a * g), 9) for a, g in zip(amps, gains))


def _phase(patch: Patch, f0: float, t: np.ndarray, held_s: float, *, vibrato: bool) -> np.ndarray:
    """Oscillator phase in cycles, float64 (n,); with delayed vibrato on long notes."""
    if not (vibrato and patch.vibrato_cents > 0 and held_s > patch.vibrato_delay + 0.2):
        return f0 * t
    since = t - patch.vibrato_delay
    ramp = np.clip(since / 0.4, 0.0, 1.0)
    cents = patch.vibrato_cents * ramp * np.sin(2 * np.pi * patch.vibrato_rate * np.maximum(since, 0.0))
    freq = f0 * np.exp2(cents / 1200.0)
    dt = t[1] - t[0] if len(t) > 1 else 0.0
    phase = np.cumsum(freq) * dt
    return phase - phase[0]


def _brightness(patch: Patch, velocity: float, t: np.ndarray) -> np.ndarray:
    """Cross-fade weight 0 (dark) .. 1 (bright), float32 (n,)."""
    base = patch.bright_base + patch.vel_brightness * (velocity / 127.0 - 0.5)
    start = patch.bright_start - 1.0
    curve = base * (1.0 + start * np.exp(-t / max(patch.bright_time, 1e-3)))
    return np.clip(curve, 0.0, 1.0).astype(np.float32)


def _envelope(patch: Patch, pitch: int, t: np.ndarray, n_hold: int) -> np.ndarray:
    """Amplitude envelope 0..1, float32 (n,): attack, body, release after ``n_hold``."""
    if patch.percussive:
        scale = 2.0 ** (-(pitch - 60) / 24.0)
        fast = np.exp(-LN_1000 * t / (patch.t60_fast * scale))
        slow = np.exp(-LN_1000 * t / (patch.t60 * scale))
        body = patch.fast_share * fast + (1.0 - patch.fast_share) * slow
    else:
        body = patch.sustain + (1.0 - patch.sustain) * np.exp(-3.0 * t / max(patch.decay, 1e-3))
    rise = np.clip(t / max(patch.attack, 1e-4), 0.0, 1.0)
    env = body * np.sin(0.5 * np.pi * rise)
    if patch.tremolo:
        env *= 1.0 - patch.tremolo * (0.5 + 0.5 * np.sin(2 * np.pi * 6.0 * t))
    hold = max(1, min(n_hold, len(t)))
    tail = t[hold:] - t[hold - 1]
    env[hold:] = env[hold - 1] * np.exp(-LN_1000 * tail / max(patch.release, 1e-3))
    fade = min(_FADE_OUT, len(env))
    env[len(env) - fade:] *= np.linspace(1.0, 0.0, fade)
    return env.astype(np.float32)


def _voice(dark: np.ndarray, bright: np.ndarray, weight: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Cross-faded table read, float32 (n,)."""
    low = read_table(dark, phase)
    return low + weight * (read_table(bright, phase) - low)


_NOISE = np.random.default_rng(20240611).standard_normal(8192).astype(np.float32) * 0.3


def _shape(patch: Patch, x: np.ndarray, velocity: float, sample_rate: int) -> np.ndarray:
    """Drive (saturation) and the onset click, float32 (n,)."""
    if patch.drive:
        x = np.tanh(patch.drive * x) / np.float32(np.tanh(patch.drive))
    if patch.click:
        n = min(len(x), len(_NOISE), int(0.02 * sample_rate))
        decay = np.exp(-np.arange(n, dtype=np.float32) / (0.004 * sample_rate))
        x = x.copy()
        x[:n] += _NOISE[:n] * decay * np.float32(patch.click * velocity / 127.0)
    return x.astype(np.float32, copy=False)
