"""The piano roll and velocity lane, driven with the mouse and keyboard, checked on the project."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.project import MidiTrack, Note, Project, Role
from tests.gui.conftest import click, drag

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def roll_window(make_window, notes=()):
    project = Project(name="Notes", length_bars=8)
    track = MidiTrack("Lead", list(notes), Role.MELODY)
    project.tracks.append(track)
    window = make_window(project)
    window.model.select_track(track.id)
    roll = window.editor.roll
    roll.pitch_axis.center_on(60, 72)
    window.axis.set_view(0.0, 100.0)  # 100 px per second: a beat (120 BPM) is 50 px
    return window, roll, track


def test_draw_move_and_delete_a_note(make_window):
    window, roll, track = roll_window(make_window)
    QTest.keyClick(window, Qt.Key.Key_B)  # draw tool
    assert roll.tool == "draw"
    start = roll.point_for(480, 64).toPoint()
    drag(roll, [start, start + QPoint(40, 0), roll.point_for(1440, 64).toPoint()])
    assert track.notes == [Note(64, 480, 960, 96)], "snapped to the 1/16 grid: a half note on beat 2"

    QTest.keyClick(window, Qt.Key.Key_V)  # select tool
    note = track.notes[0]
    centre = roll.note_rect(note).center().toPoint()
    target = roll.point_for(note.start + note.duration // 2 + 480, 67).toPoint()  # a beat later, 3 up
    drag(roll, [centre, centre + QPoint(10, -5), target])
    assert track.notes == [Note(67, 960, 960, 96)]
    assert roll.selection == {Note(67, 960, 960, 96)}

    click(roll, roll.note_rect(track.notes[0]).center())
    QTest.keyClick(roll, Qt.Key.Key_Delete)
    assert track.notes == []

    QTest.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert track.notes == [Note(67, 960, 960, 96)]
    QTest.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert track.notes == [Note(64, 480, 960, 96)]
    QTest.keyClick(window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert track.notes == [Note(67, 960, 960, 96)]
    QTest.keyClick(window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert track.notes == []


def test_double_click_adds_and_removes_notes(make_window):
    window, roll, track = roll_window(make_window)
    QTest.mouseDClick(roll, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      roll.point_for(130, 60).toPoint())
    assert track.notes == [Note(60, 120, 120, 96)]
    QTest.mouseDClick(roll, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      roll.note_rect(track.notes[0]).center().toPoint())
    assert track.notes == []


def test_resize_from_the_right_edge(make_window):
    window, roll, track = roll_window(make_window, [Note(62, 0, 480, 90)])
    rect = roll.note_rect(track.notes[0])
    edge = QPoint(int(rect.right()) - 2, int(rect.center().y()))
    drag(roll, [edge, edge + QPoint(10, 0), roll.point_for(960, 62).toPoint()])
    assert track.notes == [Note(62, 0, 960, 90)]


def test_rubber_band_then_keys_transpose_nudge_duplicate(make_window):
    notes = [Note(60, 0, 240), Note(64, 480, 240), Note(67, 960, 240), Note(72, 3840, 240)]
    window, roll, track = roll_window(make_window, notes)
    top_left = roll.point_for(0, 70).toPoint() + QPoint(-5, 0)
    bottom_right = roll.point_for(1300, 58).toPoint()
    drag(roll, [top_left, top_left + QPoint(20, 20), bottom_right])
    assert roll.selection == set(notes[:3])
    roll.setFocus()
    QTest.keyClick(roll, Qt.Key.Key_Up)
    assert sorted(n.pitch for n in track.notes) == [61, 65, 68, 72]
    QTest.keyClick(roll, Qt.Key.Key_Down, CTRL)
    assert sorted(n.pitch for n in track.notes) == [49, 53, 56, 72]
    QTest.keyClick(roll, Qt.Key.Key_Right)
    assert sorted(n.start for n in track.notes if n.pitch < 60) == [120, 600, 1080]
    QTest.keyClick(roll, Qt.Key.Key_D, CTRL)
    assert len(track.notes) == 7
    assert sorted(n.start for n in roll.selection) == [1320, 1800, 2280]
    QTest.keyClick(roll, Qt.Key.Key_A, CTRL)
    assert roll.selection == set(track.notes)
    QTest.keyClick(roll, Qt.Key.Key_Delete)
    assert track.notes == []
    for _ in range(5):
        QTest.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert sorted(track.notes, key=lambda n: n.start) == notes


def test_velocity_lane_drag_sets_velocities(make_window):
    notes = [Note(60, 0, 240, 40), Note(62, 480, 240, 40), Note(64, 960, 240, 40)]
    window, roll, track = roll_window(make_window, notes)
    lane = window.editor.velocity
    y = int(lane.velocity_to_y(120))
    x0 = int(window.axis.tick_to_x(0)) - 2
    x1 = int(window.axis.tick_to_x(960)) + 2
    drag(lane, [QPoint(x0, y), QPoint((x0 + x1) // 2, y), QPoint(x1, y)])
    assert sorted(n.velocity for n in track.notes) == [lane.y_to_velocity(y)] * 3
    assert abs(track.notes[0].velocity - 120) <= 2
    QTest.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert all(n.velocity == 40 for n in track.notes), "the whole drag is one undo step"


def test_switching_tracks_shows_their_notes(window):
    roll = window.editor.roll
    for track in window.project.midi_tracks():
        window.model.select_track(track.id)
        assert roll.track() is track
        assert len(roll.index()) == len(track.notes)
    audio = window.project.audio_tracks()[0]
    window.model.select_track(audio.id)
    assert roll.track() is None
    click(roll, QPoint(200, 50))  # nothing to edit: no crash, no change
    QTest.keyClick(roll, Qt.Key.Key_Delete)


def test_the_roll_shades_out_of_key_rows_exactly_where_scale_lock_forbids_notes(make_window):
    from app.commands import SetProjectProps
    from engines.compose.keys import key_index, scale_mask

    window, roll, _ = roll_window(make_window)
    window.model.push(SetProjectProps(key="A:minor"))
    roll.repaint()
    image = roll.grab().toImage()

    def row(pitch: int) -> str:
        y = int(roll.pitch_axis.pitch_to_y(pitch) + roll.pitch_axis.row_height / 2)
        return image.pixelColor(20, y).name()

    allowed = scale_mask(key_index(9, "minor"))
    light = row(69)
    assert allowed[67] and allowed[68], "A minor keeps G and the leading tone G sharp"
    assert [row(p) == light for p in range(60, 72)] == [bool(allowed[p]) for p in range(60, 72)]
