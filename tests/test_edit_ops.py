"""The planner's plain edits on tiny projects, with exact expectations; each undoes exactly."""
from __future__ import annotations

import numpy as np
import pytest

from app.commands import UndoStack
from app.edit_levels import change_gain, dynamics, velocity, velocity_for_gain
from app.edit_notes import clear_notes, feel, set_instrument, set_length, set_mode, set_pan
from app.errors import PartitaError
from app.project import MidiTrack, Note, Project, Role, TempoChange
from engines.common import CONTROL_FRAME_RATE
from engines.render.synth import velocity_gain

BAR = 1920


def song(key: str | None = "C:major") -> Project:
    """4 bars at 120 BPM (2 s a bar): a C major scale in quarters, a bass, a drum beat."""
    p = Project(name="Song", length_bars=4, key=key, tempo_map=[TempoChange(0, 120.0)])
    scale = [60, 62, 64, 65, 67, 69, 71, 72]
    p.tracks.append(MidiTrack("Lead", [Note(x, 480 * i, 480, 80) for i, x in enumerate(scale * 2)],
                              role=Role.MELODY, program=73))
    p.tracks.append(MidiTrack("Bass", [Note(36, BAR * b, BAR, 90) for b in range(4)], role=Role.BASS))
    p.tracks.append(MidiTrack("Drums", [Note(36, 480 * i, 60, 100) for i in range(16)], role=Role.DRUMS,
                              is_drum=True))
    return p


def pushed(project: Project, command) -> UndoStack:  # type: ignore[no-untyped-def]
    stack = UndoStack(project)
    stack.push(command)
    return stack


def frames(seconds: float) -> int:
    return int(round(seconds * CONTROL_FRAME_RATE))


def test_louder_raises_the_curve_in_the_bars_only():
    p = song()
    p.curves["dynamics"] = np.full(p.n_frames, -12.0, dtype=np.float32)
    stack = pushed(p, dynamics(p, change_db=6.0, bars=(2, 3)))
    curve = p.curve("dynamics")
    a, b = frames(2.0), frames(6.0)
    assert np.allclose(curve[a:b], -6.0) and np.allclose(curve[:a], -12.0) and np.allclose(curve[b:], -12.0)
    stack.undo()
    assert np.allclose(p.curve("dynamics"), -12.0)


def test_louder_at_the_top_of_the_curve_lowers_the_rest_instead():
    p = song()
    stack = pushed(p, dynamics(p, change_db=6.0, bars=(2, 2)))
    curve = p.curve("dynamics")
    a, b = frames(2.0), frames(4.0)
    assert np.allclose(curve[a:b], 0.0) and np.allclose(curve[:a], -6.0) and np.allclose(curve[b:], -6.0)
    stack.undo()
    assert "dynamics" not in p.curves, "the curve was unspecified before, and is again"


def test_crescendo_and_diminuendo_ramp_to_and_from_the_span_level():
    p = song()
    p.curves["dynamics"] = np.full(p.n_frames, -3.0, dtype=np.float32)
    pushed(p, dynamics(p, change_db=12.0, shape="crescendo", bars=(1, 2)))
    curve = p.curve("dynamics")
    b = frames(4.0)
    assert curve[0] == pytest.approx(-15.0) and curve[b - 1] == pytest.approx(-3.0, abs=0.01)
    assert np.all(np.diff(curve[:b]) >= 0)
    pushed(p, dynamics(p, change_db=12.0, shape="diminuendo", bars=(3, 4)))
    curve = p.curve("dynamics")
    assert curve[b] == pytest.approx(-3.0) and curve[frames(8.0) - 1] == pytest.approx(-15.0, abs=0.01)


def test_velocity_follows_the_renderers_level_curve():
    assert velocity_for_gain(velocity_gain(64)) == 64
    assert velocity_for_gain(velocity_gain(64) * 10 ** (6 / 20)) == pytest.approx(64 * 10 ** (6 / 40), abs=1)
    p = song()
    lead = p.track_named("Lead")
    stack = pushed(p, velocity(p, tracks=[lead.id], change_db=6.0, bars=(1, 1)))
    assert sorted(n.velocity for n in lead.notes if n.start < BAR) == [113] * 4
    assert all(n.velocity == 80 for n in lead.notes if n.start >= BAR)
    stack.undo()
    assert all(n.velocity == 80 for n in lead.notes)


def test_track_gain_moves_and_stays_in_range():
    p = song()
    bass = p.track_named("Bass")
    pushed(p, change_gain(p, track=bass.id, change_db=-4.5))
    assert bass.gain_db == -4.5
    with pytest.raises(PartitaError, match="outside"):
        change_gain(p, track=bass.id, change_db=40.0)


def test_major_to_minor_moves_the_third_and_sixth_and_the_key():
    p = song()
    lead = p.track_named("Lead")
    stack = pushed(p, set_mode(p, mode="minor", tracks=[lead.id, p.track_named("Bass").id]))
    assert [n.pitch for n in lead.sorted_notes()[:8]] == [60, 62, 63, 65, 67, 68, 71, 72]
    assert p.key == "C:minor"
    stack.undo()
    assert [n.pitch for n in lead.sorted_notes()[:8]] == [60, 62, 64, 65, 67, 69, 71, 72] and p.key == "C:major"


def test_minor_to_major_in_some_bars_keeps_the_key():
    p = song(key="A:minor")
    lead = p.track_named("Lead")
    pushed(p, set_mode(p, mode="major", tracks=[lead.id], bars=(2, 2)))
    assert [n.pitch for n in lead.sorted_notes()[4:8]] == [68, 69, 71, 73]
    assert p.key == "A:minor"
    with pytest.raises(PartitaError, match="already"):
        set_mode(p, mode="minor", tracks=[lead.id])


def test_a_song_without_a_key_gets_its_mode_from_its_notes():
    p = song(key=None)
    pushed(p, set_mode(p, mode="minor", tracks=[t.id for t in p.midi_tracks()]))
    assert p.key == "C:minor"


def test_half_time_spreads_and_double_time_squeezes_and_repeats():
    p = song()
    drums = p.track_named("Drums")
    stack = pushed(p, feel(p, feel="half", tracks=[drums.id], bars=(1, 2)))
    assert sorted(n.start for n in drums.notes if n.start < 2 * BAR) == [0, 960, 1920, 2880]
    assert all(n.duration == 120 for n in drums.notes if n.start < 2 * BAR)
    stack.undo()
    pushed(p, feel(p, feel="double", tracks=[drums.id], bars=(1, 1)))
    assert sorted(n.start for n in drums.notes if n.start < BAR) == [0, 240, 480, 720, 960, 1200, 1440, 1680]


def test_clear_instrument_pan_and_length():
    p = song()
    lead, bass = p.track_named("Lead"), p.track_named("Bass")
    pushed(p, clear_notes(p, tracks=[lead.id], bars=(2, 3)))
    assert sorted(n.start for n in lead.notes) == [0, 480, 960, 1440, 5760, 6240, 6720, 7200]
    pushed(p, set_instrument(p, track=lead.id, program=40))
    pushed(p, set_pan(p, track=bass.id, pan=-0.5))
    assert (lead.program, bass.pan) == (40, -0.5)
    with pytest.raises(PartitaError, match="drum kit"):
        set_instrument(p, track=p.track_named("Drums").id, program=3)
    stack = pushed(p, set_length(p, bars=2))
    assert p.length_bars == 2 and all(n.start < 2 * BAR for t in p.midi_tracks() for n in t.notes)
    stack.undo()
    assert p.length_bars == 4 and len(bass.notes) == 4
