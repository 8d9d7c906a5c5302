"""basic-pitch's note creation: posteriors -> polyphonic notes.

A faithful port of ``basic_pitch.note_creation.output_to_notes_polyphonic``
and ``model_output_to_notes`` (basic-pitch 0.4.0, Apache-2.0, Spotify AB),
without pitch bends (they do not change which notes are found). Onsets are
the peaks (in time) of the onset posterior, raised where the note posterior
jumps ("inferred onsets"); each onset above ``onset_threshold`` starts a note
that lasts while its pitch's note posterior stays above ``frame_threshold``
(allowing ``energy_tolerance`` frames below it); notes of at most
``min_note_frames`` are dropped. The "Melodia trick" then turns what energy
is left into notes without onsets, loudest first. One deliberate difference:
on a signal whose note posterior never rises (silence) basic-pitch divides by
zero and finds no onsets at all; here the network's onsets are kept as they are.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.common import Note
from engines.transcribe.nmp import FFT_HOP, LOWEST_PITCH, SAMPLE_RATE, Posteriors


@dataclass(frozen=True)
class PolyConfig:
    """Decoding settings; the defaults are basic-pitch's (``predict``'s defaults).

    onset_threshold: an onset peak at least this probable starts a note.
    frame_threshold: a note lasts while its note probability is at least this.
    min_note_ms: notes of at most this many milliseconds (rounded to frames) are dropped.
    infer_onsets: add onsets where the note probability jumps within 2 frames.
    melodia_trick: also turn sustained energy without an onset into notes.
    energy_tolerance: frames below ``frame_threshold`` a note may bridge.
    min_pitch / max_pitch: MIDI pitches outside [min, max] are never written.
    """

    onset_threshold: float = 0.5
    frame_threshold: float = 0.3
    min_note_ms: float = 127.70
    infer_onsets: bool = True
    melodia_trick: bool = True
    energy_tolerance: int = 11
    min_pitch: int = LOWEST_PITCH
    max_pitch: int = LOWEST_PITCH + 87

    @property
    def min_note_frames(self) -> int:
        return int(np.round(self.min_note_ms / 1000 * (SAMPLE_RATE / FFT_HOP)))


def decode_poly(post: Posteriors, config: PolyConfig = PolyConfig()) -> tuple[Note, ...]:
    """Notes (seconds, velocity = 127 x mean note probability) found in ``post``."""
    frames, onsets = post.note.copy(), post.onset.astype(np.float64)
    lo, hi = config.min_pitch - LOWEST_PITCH, config.max_pitch - LOWEST_PITCH + 1
    for matrix in (frames, onsets):
        matrix[:, :max(lo, 0)] = 0
        matrix[:, max(hi, 0):] = 0
    if config.infer_onsets:
        onsets = inferred_onsets(onsets, frames)
    remaining = frames.astype(np.float64)
    events = _onset_notes(frames, remaining, onsets, config)
    if config.melodia_trick:
        events += _melodia_notes(frames, remaining, config)
    times = post.times
    return tuple(Note(pitch=p + LOWEST_PITCH, start=float(times[a]), duration=float(times[b] - times[a]),
                      velocity=int(min(127, max(1, np.round(127 * amp)))))
                 for a, b, p, amp in events)


def inferred_onsets(onsets: np.ndarray, frames: np.ndarray, n_diff: int = 2) -> np.ndarray:
    """The larger of the onset posterior and the note posterior's rise over 1..n_diff frames,
    the rise rescaled to the onsets' maximum. float64 (n_frames, 88)."""
    diffs = []
    for n in range(1, n_diff + 1):
        shifted = np.concatenate([np.zeros((n, frames.shape[1])), frames])
        diffs.append(shifted[n:, :] - shifted[:-n, :])
    rise = np.min(diffs, axis=0)
    rise[rise < 0] = 0
    rise[:n_diff, :] = 0
    if rise.max() <= 0:
        return onsets
    rise = np.max(onsets) * rise / np.max(rise)
    return np.maximum(onsets, rise)


def _onset_notes(frames: np.ndarray, remaining: np.ndarray, onsets: np.ndarray,
                 config: PolyConfig) -> list:
    """Notes started at onset peaks, latest first (basic-pitch's order). Each note's energy,
    and its neighbours', is zeroed in ``remaining`` (a float64 copy of ``frames``, the
    float32 note posterior that amplitudes are read from) for the Melodia pass."""
    from scipy.signal import argrelmax

    n_frames = frames.shape[0]
    peaks = np.zeros(onsets.shape)
    where = argrelmax(onsets, axis=0)
    peaks[where] = onsets[where]
    times, pitches = np.where(peaks >= config.onset_threshold)
    events = []
    for start, pitch in zip(times[::-1], pitches[::-1]):
        if start >= n_frames - 1:
            continue
        i, k = start + 1, 0
        while i < n_frames - 1 and k < config.energy_tolerance:
            k = k + 1 if remaining[i, pitch] < config.frame_threshold else 0
            i += 1
        i -= k
        if i - start <= config.min_note_frames:
            continue
        remaining[start:i, max(pitch - 1, 0):pitch + 2] = 0
        events.append((int(start), int(i), int(pitch), float(np.mean(frames[start:i, pitch]))))
    return events


def _melodia_notes(frames: np.ndarray, remaining: np.ndarray, config: PolyConfig) -> list:
    """Notes grown forwards and backwards from the loudest energy left in ``remaining`` until
    none is above ``frame_threshold``; amplitudes come from ``frames`` (the note posterior)."""
    n_frames = remaining.shape[0]
    events = []
    while n_frames and np.max(remaining) > config.frame_threshold:
        mid, pitch = (int(i) for i in np.unravel_index(np.argmax(remaining), remaining.shape))
        remaining[mid, pitch] = 0
        end = _grow(remaining, mid, pitch, +1, n_frames - 1, config)
        start = _grow(remaining, mid, pitch, -1, 0, config)
        if end - start <= config.min_note_frames:
            continue
        events.append((int(start), int(end), int(pitch), float(np.mean(frames[start:end, pitch]))))
    return events


def _grow(remaining: np.ndarray, mid: int, pitch: int, step: int, stop: int, config: PolyConfig) -> int:
    """Walk from ``mid`` in direction ``step`` until ``energy_tolerance`` quiet frames or ``stop``,
    zeroing the pitch and its neighbours on the way; returns the last loud frame (exclusive end
    going forward, first frame going backward)."""
    i, k = mid + step, 0
    while (i < stop if step > 0 else i > stop) and k < config.energy_tolerance:
        k = k + 1 if remaining[i, pitch] < config.frame_threshold else 0
        remaining[i, max(pitch - 1, 0):pitch + 2] = 0
        i += step
    return i - step - step * k if step > 0 else i + 1 + k
