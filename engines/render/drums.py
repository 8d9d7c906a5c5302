"""A synthesised GM drum kit (channel 10): kick, snare, hats, toms, cymbals, clap and more.

Each piece is a recipe of three parts: a swept sine body, band-passed noise and
a cluster of metallic square partials (the classic drum-machine cymbal). A hit
starts sounding at its first sample, so drums land exactly on their note times.
Velocity sets the level (exactly, at placement) and the brightness and attack
snap (per timbre layer).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from engines.render.filters import butter_bandpass, sosfilt

LN_1000 = float(np.log(1000.0))
METAL_RATIOS = (2.0, 3.0, 4.16, 5.43, 6.79, 8.21)
"""Frequency ratios of the six square partials of a metallic voice."""


@dataclass(frozen=True)
class Drum:
    """A drum piece. Frequencies in Hz, decays are t60 in seconds, levels 0..1.

    tone_hz: body frequency after the sweep (0 = no body); sweep: start
    frequency as a multiple of it; sweep_s: sweep time constant. noise_band:
    band-pass of the noise and metal parts. bursts: hand-clap repeats 9 ms apart.
    pan: -1..1 in the stereo kit image.
    """

    name: str
    tone_hz: float = 0.0
    sweep: float = 1.0
    sweep_s: float = 0.03
    tone_decay: float = 0.2
    tone: float = 1.0
    noise: float = 0.0
    noise_band: tuple[float, float] = (1000.0, 12000.0)
    noise_decay: float = 0.1
    metal: float = 0.0
    metal_hz: float = 0.0
    bursts: int = 1
    click: float = 0.0
    pan: float = 0.0
    level: float = 1.0


KICK = Drum("kick", tone_hz=50.0, sweep=3.2, sweep_s=0.035, tone_decay=0.5, click=0.5,
            noise=0.1, noise_band=(1500.0, 6000.0), noise_decay=0.02, level=1.2)
SNARE = Drum("snare", tone_hz=185.0, sweep=1.3, sweep_s=0.02, tone_decay=0.16, tone=0.55,
             noise=0.9, noise_band=(1200.0, 10000.0), noise_decay=0.24, click=0.2, pan=0.05)
SNARE_2 = Drum("electric snare", tone_hz=210.0, sweep=1.5, sweep_s=0.015, tone_decay=0.11,
               tone=0.4, noise=1.0, noise_band=(1800.0, 12000.0), noise_decay=0.18, pan=0.05)
SIDE_STICK = Drum("side stick", tone_hz=1700.0, tone_decay=0.04, tone=0.6, noise=0.5,
                  noise_band=(2000.0, 8000.0), noise_decay=0.03, pan=0.05, level=0.7)
CLAP = Drum("clap", noise=1.0, noise_band=(900.0, 4000.0), noise_decay=0.22, bursts=4,
            pan=-0.05, level=0.9)
CLOSED_HAT = Drum("closed hat", noise=0.6, noise_band=(7000.0, 16000.0), noise_decay=0.07,
                  metal=0.6, metal_hz=40.0, pan=0.3, level=0.55)
PEDAL_HAT = Drum("pedal hat", noise=0.5, noise_band=(6000.0, 14000.0), noise_decay=0.05,
                 metal=0.5, metal_hz=40.0, pan=0.3, level=0.45)
OPEN_HAT = Drum("open hat", noise=0.6, noise_band=(6500.0, 16000.0), noise_decay=0.55,
                metal=0.6, metal_hz=40.0, pan=0.3, level=0.5)
CRASH = Drum("crash", noise=0.8, noise_band=(3500.0, 15000.0), noise_decay=1.8,
             metal=0.5, metal_hz=55.0, pan=-0.35, level=0.55)
SPLASH = Drum("splash", noise=0.8, noise_band=(5000.0, 16000.0), noise_decay=0.7,
              metal=0.4, metal_hz=70.0, pan=0.4, level=0.45)
RIDE = Drum("ride", noise=0.25, noise_band=(3000.0, 12000.0), noise_decay=1.4,
            metal=0.8, metal_hz=95.0, pan=0.4, level=0.4)
RIDE_BELL = Drum("ride bell", tone_hz=720.0, tone_decay=0.9, tone=0.5, noise=0.1,
                 noise_band=(2500.0, 10000.0), noise_decay=0.8, metal=0.8, metal_hz=120.0,
                 pan=0.4, level=0.45)
COWBELL = Drum("cowbell", tone_hz=545.0, tone_decay=0.3, tone=0.6, metal=0.5, metal_hz=136.0,
               noise_band=(500.0, 4000.0), noise_decay=0.3, pan=-0.2, level=0.5)
TAMBOURINE = Drum("tambourine", noise=0.9, noise_band=(5000.0, 15000.0), noise_decay=0.25,
                  bursts=2, metal=0.3, metal_hz=110.0, pan=-0.3, level=0.5)
SHAKER = Drum("shaker", noise=0.8, noise_band=(4000.0, 12000.0), noise_decay=0.09,
              pan=-0.25, level=0.45)
WOOD = Drum("wood block", tone_hz=900.0, tone_decay=0.07, click=0.3, pan=-0.2, level=0.6)
TRIANGLE = Drum("triangle", tone_hz=4200.0, tone_decay=1.2, tone=0.5, pan=0.3, level=0.35)


def _tom(name: str, hz: float, pan: float) -> Drum:
    return Drum(name, tone_hz=hz, sweep=1.5, sweep_s=0.06, tone_decay=0.5 - hz / 800.0,
                noise=0.15, noise_band=(300.0, 4000.0), noise_decay=0.06, click=0.2, pan=pan)


def _hand(name: str, hz: float, pan: float) -> Drum:
    return Drum(name, tone_hz=hz, sweep=1.2, sweep_s=0.02, tone_decay=0.25, noise=0.2,
                noise_band=(800.0, 5000.0), noise_decay=0.03, click=0.3, pan=pan, level=0.7)


KIT: dict[int, Drum] = {
    35: KICK, 36: KICK, 37: SIDE_STICK, 38: SNARE, 39: CLAP, 40: SNARE_2,
    41: _tom("low floor tom", 82.0, -0.4), 42: CLOSED_HAT, 43: _tom("high floor tom", 98.0, -0.3),
    44: PEDAL_HAT, 45: _tom("low tom", 116.0, -0.15), 46: OPEN_HAT,
    47: _tom("low-mid tom", 135.0, 0.0), 48: _tom("hi-mid tom", 158.0, 0.15), 49: CRASH,
    50: _tom("high tom", 185.0, 0.3), 51: RIDE, 52: CRASH, 53: RIDE_BELL, 54: TAMBOURINE,
    55: SPLASH, 56: COWBELL, 57: CRASH, 58: SHAKER, 59: RIDE,
    60: _hand("high bongo", 400.0, 0.3), 61: _hand("low bongo", 300.0, 0.2),
    62: _hand("mute high conga", 330.0, 0.1), 63: _hand("open high conga", 300.0, 0.1),
    64: _hand("low conga", 220.0, -0.1), 65: _hand("high timbale", 480.0, 0.25),
    66: _hand("low timbale", 360.0, 0.2), 67: COWBELL, 68: COWBELL, 69: SHAKER, 70: SHAKER,
    75: WOOD, 76: WOOD, 77: WOOD, 80: TRIANGLE, 81: TRIANGLE,
}
"""GM percussion key -> piece. Keys not listed play ``FALLBACK``."""
FALLBACK = Drum("percussion", tone_hz=600.0, tone_decay=0.1, noise=0.3,
                noise_band=(1500.0, 8000.0), noise_decay=0.05, level=0.5)
CHOKED_BY: dict[int, tuple[int, ...]] = {46: (42, 44)}
"""An open hat stops when a closed or pedal hat is struck."""


def drum_for_key(key: int) -> Drum:
    """The piece that plays GM percussion ``key``."""
    return KIT.get(int(key), FALLBACK)


def hit_wave(drum: Drum, velocity: float, sample_rate: int) -> np.ndarray:
    """One hit at full scale (velocity level not applied), panned.

    velocity (1-127 scale) shapes brightness and snap. Returns float32 (2, n),
    sounding from sample 0.
    """
    longest = max(drum.tone_decay if drum.tone_hz else 0.0, drum.noise_decay, 0.02)
    n = int((longest + 0.01 * drum.bursts) * sample_rate) + 1
    t = np.arange(n, dtype=np.float64) / sample_rate
    hard = velocity / 127.0
    mono = np.zeros(n, dtype=np.float64)
    if drum.tone_hz:
        mono += drum.tone * _body(drum, t, hard, sample_rate)
    if drum.noise or drum.metal:
        mono += _shimmer(drum, t, hard, sample_rate)
    if drum.click:
        mono += drum.click * hard * _noise(n, 7) * np.exp(-t / 0.0015)
    mono *= drum.level
    fade = min(64, n)
    mono[n - fade:] *= np.linspace(1.0, 0.0, fade)
    theta = (drum.pan + 1.0) * np.pi / 4.0
    gains = np.sqrt(2.0) * np.array([[np.cos(theta)], [np.sin(theta)]])
    return (gains * mono).astype(np.float32)


def _body(drum: Drum, t: np.ndarray, hard: float, sample_rate: int) -> np.ndarray:
    """Swept sine body with exponential decay, float64 (n,)."""
    sweep = drum.sweep ** (0.6 + 0.4 * hard)
    freq = drum.tone_hz * (1.0 + (sweep - 1.0) * np.exp(-t / drum.sweep_s))
    phase = np.cumsum(freq) / sample_rate
    return np.sin(2 * np.pi * (phase - phase[0])) * np.exp(-LN_1000 * t / drum.tone_decay)


def _shimmer(drum: Drum, t: np.ndarray, hard: float, sample_rate: int) -> np.ndarray:
    """Band-passed noise plus metallic partials, brighter when struck harder, float64 (n,)."""
    n = len(t)
    raw = drum.noise * _noise(n, 11)
    if drum.metal:
        partials = sum(np.sign(np.sin(2 * np.pi * drum.metal_hz * r * t)) for r in METAL_RATIOS)
        raw = raw + drum.metal * partials / len(METAL_RATIOS)
    nyquist = 0.5 * sample_rate
    top = min(drum.noise_band[1] * (0.55 + 0.45 * hard), 0.95 * nyquist)
    low = min(drum.noise_band[0], 0.5 * top)
    band = sosfilt(butter_bandpass(2, low, top, sample_rate), raw)
    env = np.exp(-LN_1000 * t / drum.noise_decay)
    if drum.bursts > 1:
        env = _clap_envelope(t, drum.bursts) * np.exp(-LN_1000 * t / drum.noise_decay)
    return band * env * 2.0


def _clap_envelope(t: np.ndarray, bursts: int) -> np.ndarray:
    """Several fast bursts 9 ms apart, the last one ringing on, float64 (n,)."""
    env = np.zeros_like(t)
    for i in range(bursts):
        since = t - 0.009 * i
        on = since >= 0
        decay = 0.004 if i < bursts - 1 else 0.05
        env[on] = np.maximum(env[on], np.exp(-since[on] / decay))
    return env


@functools.lru_cache(maxsize=16)
def _noise_table(seed: int, n: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(n)


def _noise(n: int, seed: int) -> np.ndarray:
    """Deterministic white noise, float64 (n,), standard deviation 1."""
    size = 1 << max(12, int(np.ceil(np.log2(max(n, 1)))))
    return _noise_table(seed, size)[:n]
