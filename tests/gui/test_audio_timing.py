"""A song that arrives as audio brings its grid: opened, the project takes its tempo, meter and
first downbeat; dropped into a project, they are offered (Apply is one undo step)."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from tests import pieces
from tests.gui.test_dnd import drop_files

PICKUP = 1.25
"""Seconds of silence before the song's first downbeat (half a bar at 96 BPM)."""


@pytest.fixture(scope="module")
def song(tmp_path_factory):
    piece = pieces.arrangement(5, 96.0, (4, 4), bars=12)
    audio = np.concatenate([np.zeros((2, int(PICKUP * 44100)), np.float32), pieces.audio(piece)], axis=1)
    path = tmp_path_factory.mktemp("songs") / "band take.wav"
    sf.write(path, audio.T, 44100, subtype="PCM_24")
    return path


def first_sound(project, track) -> float:
    loud = np.flatnonzero(np.abs(track.samples).max(axis=0) > 0.05)
    return loud[0] / project.sample_rate


def test_opening_a_song_gives_the_project_its_tempo_meter_and_bars(window, qtbot, song):
    assert window.files.open_path(song)
    project = window.project
    assert project.tempo == 120.0, "the window opens at once; the grid comes from a job"
    qtbot.waitUntil(lambda: abs(window.project.tempo - 96.0) < 2.0, timeout=90000)
    project = window.project
    assert str(project.time_signature) == "4/4"
    track = project.audio_tracks()[0]
    bar = float(project.tick_to_seconds(project.ticks_per_bar))
    assert first_sound(project, track) == pytest.approx(bar, abs=0.07), "the first downbeat starts bar 2"
    assert window.transport.tempo.value() == pytest.approx(project.tempo, abs=0.05)
    window.model.undo()
    assert window.project.tempo == 120.0 and first_sound(window.project, track) == pytest.approx(PICKUP, abs=0.07)


def test_a_song_dropped_into_a_project_offers_its_grid(window, qtbot, song):
    project = window.project
    assert project.tempo == 100.0
    assert drop_files(window, [song]) == (True, True)
    qtbot.waitUntil(lambda: window.offers.isVisible(), timeout=90000)
    text = window.offers.text.text()
    assert "band take" in text and "BPM" in text and "4/4" in text
    assert project.tempo == 100.0, "only offered"
    window.offers.apply_button.click()
    assert project.tempo == pytest.approx(96.0, rel=0.02) and not window.offers.isVisible()
    track = project.track_named("band take")
    bar = float(project.tick_to_seconds(project.ticks_per_bar))
    offset = first_sound(project, track) % bar
    assert min(offset, bar - offset) < 0.07, "its first downbeat is on a bar line"
    assert window.model.document.undo_stack.undo_label.startswith("Tempo and meter from band take")
    window.model.undo()
    assert project.tempo == 100.0
