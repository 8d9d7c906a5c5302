"""The pure helpers behind the GUI's gestures: curve strokes, note edits, snapping, the note index."""
from __future__ import annotations

import numpy as np
import pytest

from app.commands import SetCurveSpan
from app.project import Note, Project, TempoChange, TimeSignature
from ui.curve_tools import Stroke, specified_spans
from ui.note_index import NoteIndex
from app.note_edits import duplicated, resized, shifted
from ui.snap import grid_ticks, snap, snap_down

NAN = np.nan


def test_pencil_fills_between_samples_and_becomes_one_span():
    curve = np.full(20, NAN, np.float32)
    stroke = Stroke("pencil", "dynamics", curve, 2, -10.0)
    stroke.to(6, -30.0)
    stroke.to(4, -20.0)
    assert stroke.span == (2, 7)
    command = stroke.command()
    assert isinstance(command, SetCurveSpan) and command.start == 2
    np.testing.assert_allclose(command.values, [-10, -15, -20, -25, -30], atol=1e-5)
    np.testing.assert_array_equal(curve, np.full(20, NAN, np.float32))  # the input is not touched


def test_pencil_values_are_clamped_and_melody_snaps_to_semitones():
    stroke = Stroke("pencil", "dynamics", np.full(5, NAN, np.float32), 0, 12.0)
    assert stroke.curve[0] == 0.0, "dynamics is at most 0 dB"
    melody = Stroke("pencil", "melody", np.full(5, NAN, np.float32), 0, 60.4)
    melody.to(4, 64.0)
    np.testing.assert_array_equal(melody.curve, [60, 61, 62, 63, 64])


def test_line_follows_the_latest_point_only():
    curve = np.zeros(10, np.float32)
    stroke = Stroke("line", "rhythm", curve, 1, 2.0)
    stroke.to(9, 10.0)
    stroke.to(5, 6.0)
    np.testing.assert_allclose(stroke.curve, [0, 2, 3, 4, 5, 6, 0, 0, 0, 0])
    assert stroke.span == (1, 6)


def test_eraser_unspecifies_exactly_its_span_and_no_change_is_no_command():
    curve = np.arange(10, dtype=np.float32)
    stroke = Stroke("eraser", "rhythm", curve, 7, 0)
    stroke.to(3, 0)
    assert np.isnan(stroke.curve[3:8]).all() and np.isfinite(stroke.curve[[2, 8]]).all()
    command = stroke.command()
    assert command.label == "Erase curve" and (command.start, len(command.values)) == (3, 5)
    blank = Stroke("eraser", "rhythm", np.full(10, NAN, np.float32), 2, 0)
    blank.to(5, 0)
    assert blank.command() is None


def test_specified_spans():
    assert specified_spans(np.array([NAN, 1, 2, NAN, NAN, 3, NAN])) == [(1, 3), (5, 6)]
    assert specified_spans(np.array([1.0, 2.0])) == [(0, 2)]
    assert specified_spans(np.array([NAN])) == []


def test_note_shifts_keep_chords_in_range():
    chord = [Note(120, 100, 10), Note(124, 100, 10)]
    assert [n.pitch for n in shifted(chord, 0, 5)] == [123, 127]
    assert [n.start for n in shifted(chord, -500, 0)] == [0, 0]
    assert resized([Note(60, 0, 100)], -500, minimum=30) == [Note(60, 0, 30)]
    assert resized([Note(60, 0, 20)], -5, minimum=30) == [Note(60, 0, 20)], "never lengthened by shrinking"
    assert duplicated([Note(60, 0, 100), Note(62, 120, 100)], 120) == [Note(60, 240, 100), Note(62, 360, 100)]


def test_grids():
    four = TimeSignature(4, 4)
    assert [grid_ticks(g, four) for g in ("1 bar", "1/4", "1/16", "1/8T", "off")] == [1920, 480, 120, 160, 0]
    assert grid_ticks("1 bar", TimeSignature(6, 8)) == 1440
    assert snap(179, 120) == 120 and snap(181, 120) == 240 and snap_down(239, 120) == 120
    assert snap(17.4, 0) == 17


def test_note_index_finds_what_is_visible_and_under_the_mouse():
    project = Project(tempo_map=[TempoChange(0, 120.0)])  # 960 ticks per second
    notes = [Note(60, 0, 9600), Note(62, 960, 480), Note(64, 4800, 480)]
    index = NoteIndex(notes, project)
    assert index.max_len_s == 10.0
    assert [index.notes[i] for i in index.visible(4.0, 4.5)] == [notes[0]], "a long note is found mid-way"
    assert [index.notes[i].pitch for i in index.visible(0.9, 5.1, 61, 70)] == [62, 64]
    assert index.notes[index.at(1.2, 62)] == notes[1]
    assert index.at(1.6, 62) == -1
    assert index.in_box(0.0, 2.0, 61, 63) == [notes[1]]
    empty = NoteIndex([], project)
    assert len(empty.visible(0, 100)) == 0 and empty.at(1.0, 60) == -1


@pytest.mark.parametrize("tool", ["pencil", "line", "eraser"])
def test_a_stroke_on_an_empty_project_does_nothing(tool):
    stroke = Stroke(tool, "melody", np.zeros(0, np.float32), 3, 60)
    stroke.to(10, 62)
    assert stroke.command() is None


def test_notes_placed_on_notes_of_the_same_pitch_replace_or_shorten_them():
    from app.note_edits import overlaps

    others = [Note(60, 0, 480, 90), Note(60, 960, 480, 80), Note(62, 960, 480, 70), Note(60, 1920, 240, 60)]
    placed = [Note(60, 960, 480, 100), Note(60, 240, 960, 100)]
    hit = overlaps(placed, others)
    assert hit.removed == (Note(60, 960, 480, 80),), "starts under a placed note (same start too)"
    assert hit.shortened == ((Note(60, 0, 480, 90), Note(60, 0, 240, 90)),), "sounds into one: cut there"
    assert hit.describe() == "replaced 1 note of the same pitch under it; shortened 1 note that ran into it"
    assert not overlaps([Note(61, 0, 1920, 100)], others), "other pitches are left alone"
    assert not overlaps([Note(60, 480, 480, 100)], others), "touching end to start is no overlap"
