"""render_project: stems and mix, fixed gain staging, mute/solo, audio tracks, RenderedTracks."""
from __future__ import annotations

import numpy as np
import pytest

from app.commands import SetTrackProps
from app.mixdown import render_project
from app.project import PPQ, AudioTrack, MidiTrack, Note, Project, Role, TempoChange
from app.rendered_tracks import RenderedTracks
from engines.common import CONTROL_FRAME_RATE
from engines.render import SoundFont, soundfont
from engines.render.limiter import MixConfig
from tests.helpers import small_project
from tests.sf2_tiny import tiny_sf2

CEILING = 10 ** (-1 / 20)
SYNTHS = [pytest.param(None, id="builtin"),
          pytest.param(SoundFont("tiny.sf2", tiny_sf2()), id="soundfont",
                       marks=pytest.mark.skipif(bool(soundfont.unavailable_reason()),
                                                reason="tinysoundfont is not installed"))]


def dense_project(bars: int = 4) -> Project:
    """Six loud tracks playing at once: chords, octaves, drums, all at velocity 127."""
    project = Project(name="Dense", length_bars=bars)
    whole = bars * 4 * PPQ
    chords = [Note(p, b, 4 * PPQ, 127) for b in range(0, whole, 4 * PPQ)
              for p in (48, 52, 55, 60, 64, 67, 72)]
    eighths = [Note(p, t, PPQ // 2, 127) for t in range(0, whole, PPQ // 2) for p in (36, 48)]
    for name, notes, program in (("Pad", chords, 89), ("Strings", chords, 48),
                                 ("Piano", chords, 0), ("Bass", eighths, 33),
                                 ("Lead", [Note(84, t, PPQ, 127) for t in range(0, whole, PPQ)], 81)):
        project.tracks.append(MidiTrack(name, list(notes), program=program))
    drums = [Note(k, t, 60, 127) for t in range(0, whole, PPQ // 4) for k in (36, 38, 42, 49)]
    project.tracks.append(MidiTrack("Drums", drums, role=Role.DRUMS, is_drum=True))
    return project


@pytest.mark.parametrize("sound_font", SYNTHS)
def test_stems_sum_to_the_mix_and_share_one_length(sound_font):
    project = dense_project()
    mixdown = render_project(project, sound_font=sound_font)
    lengths = {s.shape for s in mixdown.stems.values()}
    assert lengths == {mixdown.mix.shape} and set(mixdown.stems) == {t.id for t in project.tracks}
    residual = sum(mixdown.stems.values()) - mixdown.mix
    ratio_db = 10 * np.log10(np.sum(residual ** 2) / np.sum(mixdown.mix ** 2))
    assert ratio_db < -60
    assert mixdown.backend == ("builtin" if sound_font is None else "soundfont:tiny.sf2")


@pytest.mark.parametrize("sound_font", SYNTHS)
def test_a_dense_project_never_exceeds_minus_one_dbfs(sound_font):
    mixdown = render_project(dense_project(), sound_font=sound_font)
    assert mixdown.limited                         # the limiter had to act
    assert np.abs(mixdown.mix).max() <= CEILING
    assert all(np.abs(s).max() <= CEILING for s in mixdown.stems.values())


def test_a_quiet_project_gets_only_the_master_gain():
    project = small_project()
    mixdown = render_project(project, sound_font=None)
    assert mixdown.limited == () and 0.01 < np.abs(mixdown.mix).max() <= CEILING
    alone = render_project(project, sound_font=None, mix_config=MixConfig(master_gain_db=0.0))
    for track in project.tracks:
        np.testing.assert_allclose(mixdown.stems[track.id],
                                   alone.stems[track.id] * np.float32(10 ** (-3 / 20)), atol=1e-7)


def loud_chord_at(project: Project, bar: int) -> int:
    """Velocity-127 chords on every pitched track at ``bar`` (1-based): loud enough to need the
    limiter. Returns the chord's tick."""
    tick = (bar - 1) * project.ticks_per_bar
    for track in project.midi_tracks():
        if not track.is_drum:
            track.notes += [Note(p, tick, 2 * PPQ, 127) for p in (48, 55, 60, 64, 67, 72, 76)]
    return tick


@pytest.mark.parametrize("sound_font", SYNTHS)
def test_an_edit_changes_only_the_audio_it_touches(sound_font):
    """A loud chord at bar 7 must not turn bars 1-6 down (it did: one gain for the whole song)."""
    project = small_project()
    project.length_bars = 8
    before = render_project(project, sound_font=sound_font)
    assert before.limited == ()
    tick = loud_chord_at(project, 7)
    after = render_project(project, sound_font=sound_font)
    start = int(project.tick_to_seconds(tick) * 44100)
    unchanged = start - int(0.05 * 44100)            # the limiter's ramp starts <= 2 blocks early
    assert after.limited and all(a >= unchanged for a, _ in after.limited)
    np.testing.assert_array_equal(after.mix[:, :unchanged], before.mix[:, :unchanged])
    for track in project.tracks:
        np.testing.assert_array_equal(after.stems[track.id][:, :unchanged],
                                      before.stems[track.id][:, :unchanged])
    assert np.abs(after.mix).max() <= CEILING
    assert np.abs(after.mix[:, start:]).max() > 0.5 * CEILING     # turned down, not silenced
    residual = sum(after.stems.values()) - after.mix
    assert np.abs(residual).max() < 1e-5


def test_the_limiter_acts_only_around_the_loud_bars():
    project = dense_project(bars=2)
    project.length_bars = 6
    quiet = MidiTrack("Flute", [Note(79, t, PPQ, 60) for t in range(8 * PPQ, 24 * PPQ, PPQ)],
                      program=73)
    project.tracks.append(quiet)
    mixdown = render_project(project, sound_font=None)
    quiet_from = int(project.tick_to_seconds(9 * PPQ) * 44100)   # bar 3, beat 2: the loud tails are gone
    assert mixdown.limited and max(b for _, b in mixdown.limited) < quiet_from
    tail = slice(quiet_from, None)
    ringing = sum(s for tid, s in mixdown.stems.items() if tid != quiet.id)  # tails of the loud bars
    np.testing.assert_allclose(mixdown.mix[:, tail], (ringing + mixdown.stems[quiet.id])[:, tail],
                               atol=1e-6)
    flute_alone = render_project(Project(length_bars=6, tracks=[quiet]), sound_font=None)
    np.testing.assert_array_equal(mixdown.stems[quiet.id][:, tail],
                                  flute_alone.stems[quiet.id][:, tail])


def test_length_covers_the_project_and_keeps_tails():
    project = small_project()
    end = project.length_ticks
    project.tracks[0].notes.append(Note(72, end - PPQ, PPQ, 100))
    project.tracks[0].program = 48  # strings: a long release
    mixdown = render_project(project, sound_font=None)
    assert mixdown.seconds > project.duration + 0.2
    tail = mixdown.stems[project.tracks[0].id][:, int(project.duration * 44100) + 2000:]
    assert np.abs(tail).max() > 1e-3


def test_muted_tracks_get_a_stem_but_stay_out_of_the_mix():
    project = small_project()
    project.tracks[2].muted = True
    mixdown = render_project(project, sound_font=None)
    drums = mixdown.stems[project.tracks[2].id]
    assert np.abs(drums).max() > 0.01
    audible = mixdown.stems[project.tracks[0].id] + mixdown.stems[project.tracks[1].id]
    np.testing.assert_allclose(mixdown.mix, audible, atol=1e-6)


def test_solo_leaves_only_the_soloed_track_in_the_mix():
    project = small_project()
    project.tracks[1].solo = True
    mixdown = render_project(project, sound_font=None)
    np.testing.assert_allclose(mixdown.mix, mixdown.stems[project.tracks[1].id], atol=1e-6)


def test_audio_tracks_are_resampled_and_placed_from_zero():
    project = small_project()
    project.sample_rate = 48000
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(48000) / 48000).astype(np.float32)
    project.tracks.append(AudioTrack("Vox", tone[None, :], pan=-1.0))
    mixdown = render_project(project, sample_rate=44100, sound_font=None)
    stem = mixdown.stems[project.tracks[-1].id]
    assert stem.shape == mixdown.mix.shape
    assert np.abs(stem[1]).max() < 1e-6 and np.abs(stem[0, :100]).max() > 0.0
    assert np.abs(stem[0, 44100 + 100:]).max() < 1e-3   # one second long at 44.1 kHz


def test_the_dynamics_curve_shapes_every_midi_track():
    project = small_project()
    flat = render_project(project, sound_font=None)
    curve = np.full(project.n_frames, -20.0, dtype=np.float32)
    project.curves["dynamics"] = curve
    quiet = render_project(project, sound_font=None)
    for track in project.midi_tracks():
        loud_rms = np.sqrt(np.mean(flat.stems[track.id] ** 2))
        quiet_rms = np.sqrt(np.mean(quiet.stems[track.id] ** 2))
        assert quiet_rms < 0.2 * loud_rms


def test_the_cache_re_renders_only_the_track_that_changed():
    project, cache = small_project(), RenderedTracks()
    first = render_project(project, cache=cache, sound_font=None)
    assert cache.renders == 3
    again = render_project(project, cache=cache, sound_font=None)
    assert cache.renders == 3
    np.testing.assert_array_equal(first.mix, again.mix)
    SetTrackProps(project.tracks[1].id, gain_db=-6.0).do(project)
    render_project(project, cache=cache, sound_font=None)
    assert cache.renders == 4
    project.tracks[0].notes.append(Note(79, 2 * PPQ, PPQ, 90))
    render_project(project, cache=cache, sound_font=None)
    assert cache.renders == 5


def test_tempo_and_dynamics_changes_re_render_every_midi_track():
    project, cache = small_project(), RenderedTracks()
    render_project(project, cache=cache, sound_font=None)
    project.tempo_map = [TempoChange(0, 90.0)]
    render_project(project, cache=cache, sound_font=None)
    assert cache.renders == 6
    project.curves["dynamics"] = np.full(int(2 * CONTROL_FRAME_RATE), -6.0, dtype=np.float32)
    render_project(project, cache=cache, sound_font=None)
    assert cache.renders == 9


def test_mute_does_not_re_render():
    project, cache = small_project(), RenderedTracks()
    render_project(project, cache=cache, sound_font=None)
    project.tracks[0].muted = True
    render_project(project, cache=cache, sound_font=None)
    assert cache.renders == 3


def test_removed_tracks_leave_the_cache():
    project, cache = small_project(), RenderedTracks()
    render_project(project, cache=cache, sound_font=None)
    del project.tracks[0]
    render_project(project, cache=cache, sound_font=None)
    assert len(cache) == 2


@pytest.mark.parametrize("sample_rate", [44100, 48000])
def test_sample_rate_is_honoured(sample_rate):
    project = small_project()
    mixdown = render_project(project, sample_rate=sample_rate, sound_font=None)
    assert mixdown.sample_rate == sample_rate
    assert mixdown.mix.shape[1] >= int(project.duration * sample_rate)
