"""The transport: play/stop with Space, a moving playhead, looping, mute/solo, and no crash without sound."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.commands import SetProjectProps
from tests.gui.conftest import click


RENDER_MS = 60000
"""How long a render may take on a loaded machine (the waits end as soon as it is done)."""


class NoPortAudio:
    """An import hook that fails like ``import sounddevice`` does when libportaudio2 is missing."""

    def find_spec(self, name, path=None, target=None):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return None


@pytest.fixture
def no_portaudio(monkeypatch):
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPortAudio(), *sys.meta_path])


def test_without_portaudio_the_app_starts_and_says_why(no_portaudio, make_window, qtbot):
    window = make_window()
    qtbot.waitUntil(lambda: "PortAudio" in window.transport.note.toolTip(), timeout=RENDER_MS)
    assert "libportaudio2" in window.transport.note.toolTip()
    assert window.transport.note.text().startswith("No sound")
    QTest.keyClick(window, Qt.Key.Key_Space)  # plays as soon as the project is rendered
    assert window.player.playing
    qtbot.waitUntil(lambda: window.axis.playhead > 0.15, timeout=RENDER_MS)
    assert window.player.playing
    QTest.keyClick(window, Qt.Key.Key_Space)
    assert not window.player.playing
    stopped_at = window.axis.playhead
    qtbot.wait(100)
    assert window.axis.playhead == stopped_at


def test_playhead_moves_and_the_position_display_follows(window, qtbot):
    assert window.transport.position.text().split()[0] == "1.1.1"
    window.actions["play"].trigger()
    qtbot.waitUntil(lambda: window.axis.playhead > 0.7, timeout=RENDER_MS)  # past the first beat at 100 BPM
    window.actions["play"].trigger()
    assert window.transport.position.text().split()[0] != "1.1.1"
    QTest.keyClick(window, Qt.Key.Key_Home)
    assert window.axis.playhead == 0.0


def test_looping_keeps_the_playhead_inside_the_loop(window, qtbot):
    window.model.push(SetProjectProps(loop_start=0, loop_end=480, loop_enabled=True))  # one beat: 0.6 s
    assert window.actions["loop"].isChecked()
    window.player.play()
    qtbot.waitUntil(lambda: window.player._have_stems, timeout=RENDER_MS)
    qtbot.wait(900)
    positions = []
    for _ in range(10):
        qtbot.wait(40)
        positions.append(window.axis.playhead)
    window.player.stop()
    assert all(0.0 <= p < 0.61 for p in positions)


def test_clicking_the_ruler_moves_the_playhead(window):
    ruler = window.ruler
    x = int(window.axis.sec_to_x(4.8))
    click(ruler, QPoint(x, ruler.height() - 6))
    assert abs(window.axis.playhead - 4.8) < 2 / window.axis.pps


def test_mute_and_solo_reach_the_player(window):
    player = window.player.player
    pad = window.project.track_named("Pad")
    melody = window.project.track_named("Melody")
    assert player._levels == {t.id: (1.0, 1.0) for t in window.project.tracks}
    click(window.track_list.headers[pad.id].mute, QPoint(5, 5))
    assert pad.muted and pad.id not in player._levels
    click(window.track_list.headers[melody.id].solo, QPoint(5, 5))
    assert set(player._levels) == {melody.id}
    window.model.undo()
    window.model.undo()
    assert set(player._levels) == {t.id for t in window.project.tracks}


@pytest.mark.parametrize("synth", ["builtin", "soundfont"])
def test_the_renderer_feeds_the_player_and_follows_edits(synth, make_window, qtbot, tmp_path,
                                                         monkeypatch):
    import numpy as np

    from app.commands import AddNotes
    from app.project import Note
    from engines.render import soundfont
    from tests.sf2_tiny import tiny_sf2

    if synth == "soundfont":
        if soundfont.unavailable_reason():
            pytest.skip("tinysoundfont is not installed")
        (tmp_path / "tiny.sf2").write_bytes(tiny_sf2())
        monkeypatch.setenv("PARTITA_SOUNDFONT", str(tmp_path / "tiny.sf2"))
    window = make_window()
    player = window.player
    qtbot.waitUntil(lambda: player._have_stems, timeout=20000)
    stems = player.player._stems
    assert set(stems) == {t.id for t in window.project.tracks}
    melody = window.project.track_named("Melody")
    assert np.abs(stems[melody.id]).max() > 0.01, "MIDI tracks sound"
    before = stems[melody.id]
    tick = 6 * 1920
    window.model.push(AddNotes(melody.id, [Note(84, tick, 480, 120)]))
    qtbot.waitUntil(lambda: player.player._stems.get(melody.id) is not before, timeout=20000)
    start = int(window.project.tick_to_seconds(tick) * window.project.sample_rate)
    after = player.player._stems[melody.id]
    change = np.abs(after[:, start:start + 20000] - before[:, start:start + 20000]).max()
    assert change > 0.01, "the new note is heard"
    early = start - int(0.05 * window.project.sample_rate)  # where a limiter ramp could begin
    assert np.array_equal(after[:, :early], before[:, :early]), "nothing earlier changed"
    assert window.player.renderer.latest.backend == {"builtin": "builtin",
                                                     "soundfont": "soundfont:tiny.sf2"}[synth]
