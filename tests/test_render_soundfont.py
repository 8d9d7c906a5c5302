"""The SoundFont backend (tinysoundfont) and the fall-back to the built-in synth."""
from __future__ import annotations

import numpy as np
import pytest

from engines.common import CONTROL_FRAME_RATE, Note
from engines.render import Part, RenderConfig, SoundFont, render_part, soundfont
from tests.dynamics_ref import extract_dynamics
from tests.sf2_tiny import tiny_sf2
from tests.test_render_engine import fundamental_hz

needs_binding = pytest.mark.skipif(
    bool(soundfont.unavailable_reason()),
    reason=f"tinysoundfont is not installed ({soundfont.INSTALL_HINT})")
TINY = SoundFont("tiny.sf2", tiny_sf2())


@needs_binding
@pytest.mark.parametrize("sample_rate", [44100, 48000])
def test_soundfont_plays_a4_at_440_hz(sample_rate):
    rendered = render_part(Part(notes=(Note(69, 0.1, 1.5, 100),)), sample_rate=sample_rate,
                           sound_font=TINY)
    assert rendered.backend == "soundfont:tiny.sf2" and rendered.note == ""
    sustain = rendered.audio[:, int(0.3 * sample_rate):int(1.5 * sample_rate)]
    assert abs(1200 * np.log2(fundamental_hz(sustain, sample_rate) / 440.0)) < 1.0


@needs_binding
def test_soundfont_notes_start_on_time_and_keep_their_tails():
    notes = (Note(60, 0.5, 0.5, 100), Note(67, 1.25, 0.25, 100))
    audio = render_part(Part(notes=notes), sound_font=TINY).audio
    level = np.abs(audio).max(axis=0)
    assert level[:int(0.5 * 44100)].max() == 0.0
    assert level[int(0.5 * 44100):int(0.505 * 44100)].max() > 0.0
    assert audio.shape[1] > int(1.6 * 44100)            # the release (0.5 s) is kept
    assert level[int(1.55 * 44100):int(1.6 * 44100)].max() > 0.0


@needs_binding
def test_soundfont_drums_use_the_percussion_bank():
    rendered = render_part(Part(notes=(Note(36, 0.0, 0.2, 100),), is_drum=True), sound_font=TINY)
    assert rendered.backend == "soundfont:tiny.sf2"
    assert np.abs(rendered.audio).max() > 0.01


@needs_binding
def test_soundfont_rendering_follows_the_dynamics_curve():
    t = np.arange(int(16 * CONTROL_FRAME_RATE)) / CONTROL_FRAME_RATE
    curve = (-10.0 + 10.0 * np.cos(2 * np.pi * t / 8.0)).astype(np.float32)
    notes = tuple(Note(60 + (i % 3) * 4, 0.5 * i, 0.5, 90) for i in range(32))
    audio = render_part(Part(notes=notes, dynamics=curve), sound_font=TINY).audio
    extracted = extract_dynamics(audio)
    inner = slice(int(CONTROL_FRAME_RATE), len(curve) - int(CONTROL_FRAME_RATE))
    assert np.corrcoef(extracted[inner], curve[inner])[0, 1] >= 0.98


@needs_binding
def test_a_damaged_soundfont_falls_back_and_says_so():
    rendered = render_part(Part(notes=(Note(60, 0.0, 0.5),)),
                           sound_font=SoundFont("broken.sf2", b"RIFF1234sfbk"))
    assert rendered.backend == "builtin"
    assert "broken.sf2" in rendered.note and "built-in" in rendered.note
    assert np.abs(rendered.audio).max() > 0.01


def test_without_the_binding_the_builtin_synth_plays(monkeypatch):
    monkeypatch.setattr(soundfont, "unavailable_reason", lambda: "tinysoundfont is not installed")
    rendered = render_part(Part(notes=(Note(60, 0.0, 0.5),)), sound_font=TINY)
    assert rendered.backend == "builtin" and "not installed" in rendered.note
    assert np.abs(rendered.audio).max() > 0.01


def test_use_soundfont_false_forces_the_builtin_synth():
    rendered = render_part(Part(notes=(Note(60, 0.0, 0.5),)), sound_font=TINY,
                           config=RenderConfig(use_soundfont=False))
    assert rendered.backend == "builtin" and rendered.note == ""


@needs_binding
def test_the_font_is_parsed_once_and_a_part_sounds_the_same_after_any_other():
    from engines.common import CancelToken, Cancelled

    part = Part(notes=(Note(60, 0.0, 0.5, 100), Note(64, 0.25, 1.0, 90)))
    first = render_part(part, sound_font=TINY).audio
    font = soundfont.loaded_font(TINY, 44100)
    token = CancelToken()
    long_part = Part(notes=tuple(Note(48 + i % 24, 0.1 * i, 2.0, 127) for i in range(100)))
    with pytest.raises(Cancelled):   # cancelled while 20 notes ring
        render_part(long_part, sound_font=TINY, progress=lambda f, m="": token.cancel(),
                    cancel=token)
    render_part(Part(notes=(Note(36, 0.0, 0.2),), is_drum=True), sound_font=TINY)
    again = render_part(part, sound_font=TINY).audio
    assert soundfont.loaded_font(TINY, 44100) is font
    np.testing.assert_array_equal(first, again)
