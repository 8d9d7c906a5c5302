"""What the piano roll tells the user: the note count as it changes, the notes of the track just
selected or just written in view, and what happened to a note another one was moved onto."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, QSize, Qt
from PySide6.QtTest import QTest

from app.infill import InfillRequest
from app.midi_io import write_midi
from app.project import MidiTrack, Note, Project, Role
from tests.gui.conftest import drag
from ui.actions import infill as action

CLIENT = QSize(1366, 704)
BAR = 1920


def shown(roll, notes) -> list[Note]:
    """The notes whose whole rectangle lies inside the roll."""
    area = QRectF(0, 0, roll.width(), roll.height())
    return [n for n in notes if area.contains(roll.note_rect(n))]


def by_time(notes) -> list[Note]:
    return sorted(notes, key=lambda n: (n.start, n.pitch))


def header_count(window) -> str:
    return window.editor.info.text().split(" · ")[0]


def test_the_note_count_follows_edits(window, qtbot):
    roll = window.editor.roll
    melody = window.project.track_named("Melody")
    window.model.select_track(melody.id)
    before = len(melody.notes)
    assert header_count(window) == f"{before} notes"
    free = next(p for p in range(60, 80) if not any(n.pitch == p for n in melody.notes))
    QTest.mouseDClick(roll, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      roll.point_for(30, free).toPoint())
    assert len(melody.notes) == before + 1
    assert header_count(window) == f"{before + 1} notes"
    assert f"{before + 1} notes" in " ".join(window.editor.keys.caption)
    window.model.undo()
    assert header_count(window) == f"{before} notes"


def test_infill_updates_the_count_and_shows_the_notes_it_wrote(make_window, qtbot):
    window = make_window()
    window.resize(CLIENT)
    melody = window.project.track_named("Melody")
    window.model.select_track(melody.id)
    roll = window.editor.roll
    roll.pitch_axis.center_on(30, 34)  # the user was looking far below the melody
    qtbot.wait(20)
    before = set(melody.notes)
    job = action.start(window, InfillRequest(track_ids=(melody.id,), bars=(3, 4), seed=5))
    qtbot.waitUntil(lambda: job.finished, timeout=120000)
    qtbot.wait(50)
    new = sorted(set(melody.notes) - before, key=lambda n: n.start)
    assert new, "the composer wrote notes"
    assert header_count(window) == f"{len(melody.notes)} notes"
    assert shown(roll, new) == new, f"{len(shown(roll, new))} of {len(new)} new notes in view"


def test_a_track_brought_in_shows_its_notes_when_selected(make_window, qtbot, tmp_path):
    window = make_window()
    window.resize(CLIENT)
    qtbot.wait(20)
    riff = Project(name="riff")
    riff.tracks.append(MidiTrack("Bass riff", [Note(28 + (i * 5) % 19, i * 240, 200, 100) for i in range(32)],
                                 Role.BASS, program=33))
    write_midi(riff, tmp_path / "riff.mid")
    window.files.import_paths([tmp_path / "riff.mid"])
    qtbot.waitUntil(lambda: window.model.selected_track() is not None
                    and window.model.selected_track().name == "Bass riff", timeout=20000)
    qtbot.wait(20)
    track = window.model.selected_track()
    assert shown(window.editor.roll, track.notes) == track.notes


def _two_notes_window(make_window):
    project = Project(name="Overlap", length_bars=4)
    track = MidiTrack("Lead", [Note(64, 0, 480, 90), Note(64, 960, 480, 80), Note(67, 1920, 960, 70)],
                      Role.MELODY)
    project.tracks.append(track)
    window = make_window(project)
    window.model.select_track(track.id)
    roll = window.editor.roll
    roll.pitch_axis.center_on(60, 72)
    window.axis.set_view(0.0, 100.0)
    return window, roll, track


def test_a_note_moved_onto_one_of_the_same_pitch_replaces_it_and_says_so(make_window):
    window, roll, track = _two_notes_window(make_window)
    first = Note(64, 0, 480, 90)
    centre = roll.note_rect(first).center().toPoint()
    target = roll.point_for(960 + 240, 64).toPoint()  # onto the second E, exactly
    drag(roll, [centre, centre + QPoint(10, 0), target])
    assert by_time(track.notes) == by_time([Note(64, 960, 480, 90), Note(67, 1920, 960, 70)]), \
        "the covered note is gone, not hidden under the moved one"
    message = window.statusBar().currentMessage()
    assert "1 note" in message and "replaced" in message, message
    window.model.undo()
    assert by_time(track.notes) == by_time([first, Note(64, 960, 480, 80), Note(67, 1920, 960, 70)])


def test_a_note_moved_into_the_tail_of_another_shortens_it(make_window):
    window, roll, track = _two_notes_window(make_window)
    long_g = Note(67, 1920, 960, 70)
    second = Note(64, 960, 480, 80)
    centre = roll.note_rect(second).center().toPoint()
    target = roll.point_for(1920 + 480 + 240, 67).toPoint()  # up to G, onto beat 2 of the long G
    drag(roll, [centre, centre + QPoint(10, 0), target])
    assert by_time(track.notes) == by_time([Note(64, 0, 480, 90), Note(67, 1920, 480, 70),
                                          Note(67, 2400, 480, 80)]), track.notes
    assert "shortened" in window.statusBar().currentMessage()
    assert long_g not in track.notes
