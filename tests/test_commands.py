"""Undo of any sequence of edits restores the exact previous project; redo replays it."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import commands as c
from app.note_edits import resized, shifted
from app.project import AudioTrack, MidiTrack, Note, Project, TempoChange
from app.projectfile import project_to_json
from tests.helpers import small_project


def snapshot(project: Project) -> str:
    doc = project_to_json(project)
    for entry in doc["tracks"]:
        if "notes" in entry:
            entry["notes"] = sorted(entry["notes"])
    audio = [t.samples.tobytes().hex()[:64] + str(t.samples.shape) for t in project.audio_tracks()]
    return json.dumps([doc, audio], sort_keys=True)


notes = st.builds(Note, pitch=st.integers(0, 127), start=st.integers(0, 8000),
                  duration=st.integers(1, 2000), velocity=st.integers(1, 127))


@st.composite
def command_for(draw, project: Project) -> c.Command:
    midi = project.midi_tracks()
    kind = draw(st.sampled_from(["add", "remove", "move", "resize", "track_add", "track_remove",
                                 "track_move", "props", "curve", "erase", "tempo", "meta"]))
    if kind in ("add", "remove", "move", "resize") and midi:
        track = draw(st.sampled_from(midi))
        if kind == "add" or not track.notes:
            return c.AddNotes(track.id, draw(st.lists(notes, min_size=1, max_size=4)))
        chosen = draw(st.lists(st.sampled_from(track.notes), min_size=1, max_size=3, unique=True))
        if kind == "remove":
            return c.RemoveNotes(track.id, chosen)
        if kind == "move":
            moved = shifted(chosen, draw(st.integers(-960, 960)), draw(st.integers(-127, 127)))
            return c.ReplaceNotes(track.id, chosen, moved, label="Move notes")
        return c.ReplaceNotes(track.id, chosen, resized(chosen, draw(st.integers(-500, 500))),
                              label="Resize notes")
    if kind == "track_add":
        return c.AddTrack(MidiTrack(draw(st.text(min_size=1, max_size=8)), draw(st.lists(notes, max_size=3))),
                          draw(st.integers(0, len(project.tracks))))
    if kind in ("track_remove", "track_move", "props") and project.tracks:
        track = draw(st.sampled_from(project.tracks))
        if kind == "track_remove":
            return c.RemoveTrack(track.id)
        if kind == "track_move":
            return c.MoveTrack(track.id, draw(st.integers(0, len(project.tracks) - 1)))
        return c.SetTrackProps(track.id, muted=draw(st.booleans()), gain_db=draw(st.floats(-24, 6)),
                               name=draw(st.text(min_size=1, max_size=6)))
    if kind == "curve":
        name = draw(st.sampled_from(["melody", "dynamics", "rhythm"]))
        values = np.array(draw(st.lists(st.floats(-60, 0), min_size=1, max_size=50)), np.float32)
        return c.SetCurveSpan(name, draw(st.integers(0, 3000)), values)
    if kind == "erase":
        start = draw(st.integers(0, 3000))
        return c.erase_curve_span(draw(st.sampled_from(["melody", "dynamics"])), start,
                                  start + draw(st.integers(0, 400)))
    if kind == "tempo":
        return c.set_tempo(draw(st.floats(20, 300)))
    return c.SetProjectProps(key=draw(st.sampled_from([None, "C:major", "F#:minor"])),
                             length_bars=draw(st.integers(1, 64)),
                             time_signature=draw(st.sampled_from(["4/4", "3/4", "6/8"])))


def _project() -> Project:
    project = small_project()
    project.tracks.append(AudioTrack("Stem", np.zeros((2, 100), np.float32)))
    return project


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_undo_restores_exactly_and_redo_replays(data):
    project = _project()
    stack = c.UndoStack(project)
    states = [snapshot(project)]
    for _ in range(data.draw(st.integers(1, 12))):
        stack.push(data.draw(command_for(project)))
        states.append(snapshot(project))
    for expected in reversed(states[:-1]):
        assert stack.undo()
        assert snapshot(project) == expected
    assert not stack.can_undo and stack.clean
    for expected in states[1:]:
        assert stack.redo()
        assert snapshot(project) == expected


def test_failed_command_leaves_project_unchanged():
    project = _project()
    stack = c.UndoStack(project)
    before = snapshot(project)
    lead = project.tracks[0]
    with pytest.raises(ValueError):
        stack.push(c.Compound("bad", [c.AddNotes(lead.id, [Note(60, 0, 10)]),
                                      c.ReplaceNotes(lead.id, lead.notes, [replace(n, pitch=n.pitch + 100)
                                                                           for n in lead.notes])]))
    assert snapshot(project) == before and not stack.can_undo


def test_clean_state_follows_save_point():
    project = _project()
    stack = c.UndoStack(project)
    stack.push(c.set_tempo(90))
    assert not stack.clean
    stack.mark_clean()
    stack.push(c.set_tempo(100))
    stack.undo()
    assert stack.clean
    stack.undo()
    assert not stack.clean


def test_tempo_map_converts_ticks_and_seconds_both_ways():
    project = Project(tempo_map=[TempoChange(0, 120.0), TempoChange(1920, 60.0)])
    assert project.tick_to_seconds(1920) == pytest.approx(2.0)
    assert project.tick_to_seconds(2400) == pytest.approx(3.0)
    assert project.seconds_to_tick(3.0) == pytest.approx(2400)
    ticks = np.array([0, 960, 1920, 2880])
    assert np.allclose(project.seconds_to_tick(project.tick_to_seconds(ticks)), ticks)


def test_notes_in_seconds_follow_the_tempo_map_everywhere(tmp_path, capsys):
    """One conversion: what info prints, what the renderer plays and what controls read agree."""
    from app.cli import main
    from app.controls_project import note_part
    from app.projectfile import save_project
    from app.rendered_tracks import part_for_track

    project = Project(tempo_map=[TempoChange(0, 120.0), TempoChange(1920, 60.0)], length_bars=2)
    track = MidiTrack("Lead", [Note(64, 1440, 960, 90), Note(60, 0, 480, 80)])
    project.tracks.append(track)
    expected = ((60, 0.0, 0.5, 80), (64, 1.5, 1.5, 90))   # the second note spans the change
    timed = project.notes_in_seconds(track.sorted_notes())
    assert tuple((n.pitch, n.start, n.duration, n.velocity) for n in timed) == expected
    assert part_for_track(project, track, None).notes == timed
    assert note_part(project, track, melody=True, expression_db=None).notes == timed
    save_project(project, tmp_path / "p.partita")
    assert main(["info", str(tmp_path / "p.partita"), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)["tracks"][0]["notes"]
    assert printed == [list(e) for e in expected]
    assert project.notes_in_seconds([]) == ()
