"""Drag and drop: real QDropEvents bring files in; dragging a track out carries a real file."""
from __future__ import annotations

import numpy as np
import soundfile as sf
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.midi_io import read_midi, write_midi
from app.project import MidiTrack, Note, Project, Role
from tests.gui.conftest import drag


def write_wav(path, seconds=2.0, rate=44100):
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, np.stack([np.sin(2 * np.pi * 220 * t), np.sin(2 * np.pi * 330 * t)], axis=1) * 0.3, rate)
    return path


def write_mid(path):
    project = Project(name="riff")
    project.tracks.append(MidiTrack("Bass riff", [Note(40 + i % 5, i * 240, 200, 100) for i in range(16)],
                                    Role.BASS, program=33))
    write_midi(project, path)
    return path


def drop_files(widget, paths, pos=QPoint(400, 300)):
    """Send a drag-enter and a drop carrying ``paths`` as file URLs; return whether they were accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(pos, action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(pos), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_a_wav_and_a_midi_file_adds_tracks(window, qtbot, tmp_path):
    before = [t.name for t in window.project.tracks]
    wav = write_wav(tmp_path / "vocals.wav")
    mid = write_mid(tmp_path / "riff.mid")
    assert drop_files(window, [wav, mid]) == (True, True)
    qtbot.waitUntil(lambda: len(window.project.tracks) == len(before) + 2, timeout=10000)
    vocals = window.project.track_named("vocals")
    riff = window.project.track_named("Bass riff")
    assert vocals.kind == "audio" and vocals.samples.shape == (2, 88200)
    assert riff.kind == "midi" and len(riff.notes) == 16 and riff.program == 33
    assert vocals.color and riff.color and vocals.color != riff.color, "new tracks get their own colours"
    window.model.undo()
    assert [t.name for t in window.project.tracks] == before, "the whole drop is one undo step"


def test_a_dropped_project_opens_and_junk_is_refused(window, qtbot, tmp_path):
    from app.projectfile import save_project

    other = Project(name="Other song", length_bars=4)
    save_project(other, tmp_path / "other.partita")
    assert drop_files(window, [tmp_path / "other.partita"]) == (True, True)
    assert window.windowTitle() == "Partita — Other song"
    (tmp_path / "notes.txt").write_text("hello")
    assert drop_files(window, [tmp_path / "notes.txt"]) == (False, False)


def test_a_broken_audio_file_shows_a_message(window, qtbot, tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00garbage")
    count = len(window.project.tracks)
    drop_files(window, [bad])
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    assert "broken.wav" in window.banner.text()
    assert len(window.project.tracks) == count


def test_dragging_a_track_out_writes_its_file_first(window, monkeypatch):
    carried = {}

    def fake_exec(self, *args):
        mime = self.mimeData()
        carried["paths"] = [u.toLocalFile() for u in mime.urls()]
        carried["exists"] = [__import__("os").path.exists(p) for p in carried["paths"]]
        return Qt.DropAction.CopyAction

    monkeypatch.setattr(QDrag, "exec", fake_exec)
    melody = window.project.track_named("Melody")
    header = window.track_list.headers[melody.id]
    drag(header, [QPoint(120, 10), QPoint(140, 12), QPoint(220, 20)])
    assert carried["exists"] == [True] and carried["paths"][0].endswith("Melody.mid")
    content = read_midi(carried["paths"][0])
    assert len(content.tracks) == 1 and len(content.tracks[0].notes) == len(melody.notes)

    pad = window.project.track_named("Pad")
    lane = window.track_list.lanes[pad.id]
    drag(lane, [QPoint(100, 20), QPoint(130, 22), QPoint(200, 30)])
    assert carried["paths"][0].endswith("Pad.wav")
    data, rate = sf.read(carried["paths"][0], always_2d=True)
    assert rate == window.project.sample_rate and data.shape == (pad.samples.shape[1], 2)


def test_alt_dragging_a_midi_track_carries_its_rendered_audio(window, qtbot, monkeypatch):
    carried = []
    monkeypatch.setattr(QDrag, "exec", lambda self, *a: carried.append(self.mimeData().urls()[0].toLocalFile())
                        or Qt.DropAction.CopyAction)
    qtbot.waitUntil(lambda: window.player._have_stems, timeout=20000)
    melody = window.project.track_named("Melody")
    lane = window.track_list.lanes[melody.id]
    drag(lane, [QPoint(100, 20), QPoint(130, 22), QPoint(200, 30)], modifiers=Qt.KeyboardModifier.AltModifier)
    assert carried and carried[0].endswith("Melody.wav")
    data, rate = sf.read(carried[0], always_2d=True)
    stem = window.player.player.stems[melody.id]
    assert rate == window.project.sample_rate and data.shape == stem.T.shape
    assert np.abs(data - stem.T).max() < 1e-4


def test_dropping_a_track_on_the_list_reorders(window):
    tracks = window.track_list
    names = [t.name for t in window.project.tracks]
    drums = window.project.track_named("Drums")
    mime = QMimeData()
    mime.setData("application/x-partita-track-id", drums.id.encode())
    pos = QPointF(100, 5)
    drop = QDropEvent(pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    tracks.dropEvent(drop)
    assert [t.name for t in window.project.tracks] == ["Drums"] + [n for n in names if n != "Drums"]
