"""The transcription engine on synthetic audio with known notes: exact pitches, onsets within
a frame or two, the kind it chooses, and no flood of notes from silence, noise or clipping."""
from __future__ import annotations

import numpy as np
import pytest

from engines.common import CancelToken, Cancelled, Note
from engines.transcribe import GM_NOTES
from tests import synth

SR = 44100
SCALE = (60, 62, 64, 65, 67, 69, 71, 72)
TOLERANCE = 0.035
"""Seconds an onset may be off (three network frames)."""


def scale_notes(shift: int = 0, step: float = 0.4) -> list[Note]:
    return [Note(p + shift, 0.25 + step * i, step - 0.05, 100) for i, p in enumerate(SCALE)]


def assert_notes(found, expected) -> None:
    assert [n.pitch for n in found] == [n.pitch for n in expected]
    assert np.abs(np.array([n.start for n in found]) - [n.start for n in expected]).max() < TOLERANCE


@pytest.mark.parametrize("timbre", [synth.PIANO, synth.PAD, synth.PLUCK], ids=["piano", "pad", "pluck"])
def test_a_scale_is_a_melody_with_exactly_its_notes(transcriber, timbre):
    notes = scale_notes()
    result = transcriber.transcribe(synth.render(notes, SR, 3.8, timbre=timbre), SR)
    assert (result.kind, result.detected) == ("melody", True)
    assert_notes(result.notes, notes)
    assert all(b.start >= a.end - 1e-9 for a, b in zip(result.notes, result.notes[1:]))


def test_a_low_scale_is_a_bass_line(transcriber):
    notes = scale_notes(-24, step=0.5)
    result = transcriber.transcribe(synth.render(notes, SR, 4.5, timbre=synth.BASS), SR)
    assert result.kind == "bass" and "low" in result.reason
    assert_notes(result.notes, notes)


def test_a_repeated_note_is_each_note(transcriber):
    notes = [Note(67, 0.2 + 0.3 * i, 0.28, 100) for i in range(6)]
    result = transcriber.transcribe(synth.render(notes, SR, 2.2, timbre=synth.PLUCK), SR, kind="melody")
    assert_notes(result.notes, notes)


def test_chords_are_poly_with_their_notes(transcriber):
    chords = ((60, 64, 67), (57, 60, 64), (62, 65, 69), (55, 59, 62))
    notes = [Note(p, 0.25 + 1.0 * i, 0.9, 90) for i, chord in enumerate(chords) for p in chord]
    result = transcriber.transcribe(synth.render(notes, SR, 4.5, timbre=synth.PIANO), SR)
    assert result.kind == "poly"
    found = sorted(result.notes, key=lambda n: (round(n.start, 1), n.pitch))
    assert_notes(found, sorted(notes, key=lambda n: (n.start, n.pitch)))


def test_louder_notes_get_higher_velocities(transcriber):
    notes = [Note(64, 0.25 + 0.5 * i, 0.45, v) for i, v in enumerate((40, 70, 100, 127))]
    result = transcriber.transcribe(synth.render(notes, SR, 2.5, timbre=synth.PAD), SR, kind="melody")
    velocities = [n.velocity for n in result.notes]
    assert len(velocities) == 4 and velocities == sorted(velocities) and velocities[-1] == 110
    # the GM curve inverted: amplitude ratio 40/127 squared comes back as a velocity ratio near 40/127
    assert abs(velocities[0] / velocities[-1] - 40 / 127) < 0.06


def click(sr: int, kind: str, rng: np.random.Generator) -> np.ndarray:
    """A clean drum-like hit that dies away smoothly: a low thump or a short noise burst."""
    t = np.arange(int(0.3 * sr)) / sr
    if kind == "kick":
        return np.sin(2 * np.pi * (55 * t + 40 * 0.03 * (1 - np.exp(-t / 0.03)))) * np.exp(-t / 0.04)
    noise = np.diff(rng.standard_normal(len(t) + 1))
    return 0.5 * noise * np.exp(-t / 0.015)


def click_pattern(times, kinds, seconds: float) -> np.ndarray:
    rng = np.random.default_rng(1)
    out = np.zeros(int(seconds * SR))
    for t, k in zip(times, kinds):
        hit = click(SR, k, rng)
        out[int(t * SR):int(t * SR) + len(hit)] += 0.4 * hit
    return out.astype(np.float32)


def test_a_click_pattern_is_drums_with_one_hit_per_click(transcriber):
    times = [0.25 + 0.25 * i for i in range(12)]
    kinds = ["kick", "hat", "hat", "hat"] * 3
    result = transcriber.transcribe(click_pattern(times, kinds, 3.6), SR)
    assert result.kind == "drums"
    onsets = sorted({round(n.start, 4) for n in result.notes})
    assert len(onsets) == len(times)
    assert np.abs(np.array(onsets) - times).max() < TOLERANCE
    classes = [{n.pitch for n in result.notes if abs(n.start - t) < 1e-3} for t in onsets]
    for at, kind in zip(classes, kinds):
        assert (GM_NOTES["kick"] in at) == (kind == "kick"), classes
        assert (GM_NOTES["hihat"] in at) == (kind == "hat"), classes


def test_silence_gives_no_notes(transcriber):
    for kind in (None, "melody", "bass", "drums", "poly"):
        result = transcriber.transcribe(np.zeros((2, SR * 2), np.float32), SR, kind=kind)
        assert result.notes == () and result.duration == 2.0


def test_empty_audio_gives_no_notes(transcriber):
    assert transcriber.transcribe(np.zeros((2, 0), np.float32), SR).notes == ()


@pytest.mark.parametrize("kind", [None, "melody", "bass", "drums", "poly"])
def test_noise_gives_no_flood_of_notes(transcriber, kind):
    noise = 0.3 * np.random.default_rng(0).standard_normal((2, SR * 5)).astype(np.float32)
    result = transcriber.transcribe(noise, SR, kind=kind)
    assert len(result.notes) <= 5, [(n.pitch, round(n.start, 2)) for n in result.notes]


def test_clipped_audio_keeps_its_notes(transcriber):
    notes = scale_notes()
    clipped = np.clip(synth.render(notes, SR, 3.8, timbre=synth.PIANO) * 20.0, -0.3, 0.3)
    result = transcriber.transcribe(clipped, SR)
    assert result.kind == "melody"
    assert_notes(result.notes, notes)


def test_any_rate_and_channel_count(transcriber):
    notes = scale_notes()[:4]
    mono = synth.render(notes, 48000, 2.0, timbre=synth.PIANO)
    stereo = np.stack([mono, 0.5 * mono])
    assert_notes(transcriber.transcribe(stereo, 48000).notes, notes)


def test_a_cancelled_transcription_stops(transcriber):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        transcriber.transcribe(synth.render(scale_notes(), SR, 3.8), SR, cancel=token)


def test_progress_rises_to_one(transcriber):
    seen: list[float] = []
    transcriber.transcribe(synth.render(scale_notes(), SR, 3.8), SR, progress=lambda f, m="": seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_an_unknown_kind_is_refused(transcriber):
    with pytest.raises(ValueError, match="kind 'guitar'"):
        transcriber.transcribe(np.zeros(SR, np.float32), SR, kind="guitar")
