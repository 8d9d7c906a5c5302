"""The pure callback player: exact mixing, looping, the end of the song, mute/solo/gain/pan."""
from __future__ import annotations

import numpy as np

from app.player import Player, mute_solo_levels, seconds_to_bars_beats
from app.project import AudioTrack, MidiTrack, Project, TempoChange


def ramp(n: int, scale: float = 1.0) -> np.ndarray:
    """(2, n) float32: left = 0, 1, 2... * scale, right = its negative."""
    x = np.arange(n, dtype=np.float32) * scale
    return np.stack([x, -x])


def test_fill_mixes_stems_with_their_levels_from_the_position():
    player = Player(100)
    player.set_stems({"a": ramp(50, 0.01), "b": np.full((2, 50), 0.1, np.float32)})
    player.set_levels({"a": (1.0, 0.5), "b": (2.0, 0.0)})
    player.set_length(0.5)
    player.play(at=0.1)
    out = np.zeros((4, 2), np.float32)
    player.fill(out)
    np.testing.assert_allclose(out[:, 0], np.arange(10, 14) * 0.01 + 0.2, atol=1e-6)
    np.testing.assert_allclose(out[:, 1], -np.arange(10, 14) * 0.01 * 0.5, atol=1e-6)
    assert player.position() >= 0.1


def test_a_track_without_a_level_is_silent_and_nothing_plays_when_stopped():
    player = Player(100)
    player.set_stems({"a": np.full((2, 100), 0.5, np.float32)})
    player.set_levels({})
    player.set_length(1.0)
    out = np.ones((8, 2), np.float32)
    player.fill(out)
    assert not out.any(), "stopped: silence"
    player.play(at=0)
    player.fill(out)
    assert not out.any(), "no level: silence"


def test_loop_wraps_inside_one_block():
    player = Player(10)
    player.set_stems({"a": ramp(100, 0.01)})
    player.set_levels({"a": (1.0, 1.0)})
    player.set_length(10.0)
    player.set_loop(0.2, 0.5, enabled=True)
    player.play(at=0.3)
    out = np.zeros((6, 2), np.float32)
    player.fill(out)
    np.testing.assert_allclose(out[:, 0], np.array([3, 4, 2, 3, 4, 2]) * 0.01, atol=1e-6)
    assert player.playing


def test_the_song_ends_and_calls_back():
    ended = []
    player = Player(10)
    player.on_finished = lambda: ended.append(True)
    player.set_stems({"a": np.full((2, 20), 0.25, np.float32)})
    player.set_levels({"a": (1.0, 1.0)})
    player.set_length(0.5)
    player.play(at=0.3)
    out = np.zeros((4, 2), np.float32)
    player.fill(out)
    np.testing.assert_allclose(out[:, 0], [0.25, 0.25, 0, 0])
    assert not player.playing and ended == [True]


def test_output_is_clipped_to_full_scale():
    player = Player(10)
    player.set_stems({"a": np.full((2, 10), 0.8, np.float32), "b": np.full((2, 10), 0.8, np.float32)})
    player.set_levels({"a": (1, 1), "b": (1, 1)})
    player.set_length(1.0)
    player.play(at=0)
    out = np.zeros((3, 2), np.float32)
    player.fill(out)
    assert out.max() == 1.0


def test_position_is_interpolated_by_the_clock():
    now = [100.0]
    player = Player(1000, clock=lambda: now[0])
    player.set_stems({})
    player.set_length(10.0)
    player.play(at=1.0)
    player.fill(np.zeros((100, 2), np.float32))  # a 0.1 s block starting at 1.0 s
    assert player.position() == 1.0
    now[0] += 0.05
    assert abs(player.position() - 1.05) < 1e-9
    now[0] += 1.0
    assert abs(player.position() - 1.1) < 1e-9, "never runs past the block it has"


def test_levels_follow_mute_and_solo():
    project = Project()
    a = MidiTrack("a", gain_db=-6.0, pan=-1.0)
    b = MidiTrack("b", muted=True)
    c = AudioTrack("c", np.zeros((1, 10), np.float32), pan=0.5)
    project.tracks = [a, b, c]
    assert mute_solo_levels(project) == {a.id: (1.0, 1.0), c.id: (1.0, 1.0)}, "stems carry gain and pan"
    b.solo = True
    assert set(mute_solo_levels(project)) == {b.id}


def test_bars_beats_display():
    project = Project(tempo_map=[TempoChange(0, 120.0)])
    assert seconds_to_bars_beats(project, 0.0) == (1, 1, 1)
    assert seconds_to_bars_beats(project, 2.0) == (2, 1, 1)
    assert seconds_to_bars_beats(project, 2.5 + 0.125) == (2, 2, 2)
