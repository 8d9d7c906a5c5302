"""Separating a track of a project: one command adds four grouped stems and mutes the source."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from app import separate as app_separate
from app.commands import UndoStack
from app.errors import PartitaError
from app.project import AudioTrack, MidiTrack, Project, Role
from app.separate import load_separator, separate_audio, separate_files_command, separate_track_command
from engines.separate import SOURCES
from tests.separate_helpers import known_mix


def _project(rate=44100):
    mix, stems = known_mix(1.5, rate)
    project = Project(sample_rate=rate, tracks=[MidiTrack("Keys"), AudioTrack("Song", mix, gain_db=-2.0, pan=0.25),
                                                 MidiTrack("Lead")])
    return project, mix


def test_the_stems_land_under_the_source_which_is_muted_and_undo_takes_them_back():
    project, mix = _project()
    song = project.tracks[1]
    command = separate_track_command(project.snapshot(), song.id, model="dsp")
    stack = UndoStack(project)
    stack.push(command)
    assert [t.name for t in project.tracks] == ["Keys", "Song", "Song drums", "Song bass", "Song other",
                                                 "Song vocals", "Lead"]
    stems = project.grouped_under(song.id)
    assert [t.role for t in stems] == [Role.DRUMS, Role.BASS, Role.HARMONY, Role.MELODY]
    assert all(t.gain_db == -2.0 and t.pan == 0.25 and not t.muted for t in stems)
    assert song.muted and stack.undo_label == "Separate Song"
    assert np.abs(sum(t.samples for t in stems) - mix).max() < 1e-5
    stack.undo()
    assert [t.name for t in project.tracks] == ["Keys", "Song", "Lead"] and not song.muted


def test_only_audio_tracks_separate():
    project, _ = _project()
    with pytest.raises(PartitaError, match="holds notes"):
        separate_track_command(project, project.tracks[0].id, model="dsp")


def test_files_arrive_muted_with_their_stems(tmp_path):
    project, _ = _project()
    paths = []
    for name, seconds in (("a", 1.0), ("b", 2.5)):
        mix, _ = known_mix(seconds)
        sf.write(str(tmp_path / f"{name}.wav"), mix.T, 44100, subtype="FLOAT")
        paths.append(tmp_path / f"{name}.wav")
    stack = UndoStack(project)
    stack.push(separate_files_command(project.snapshot(), paths, model="dsp"))
    names = [t.name for t in project.tracks]
    assert names[3:] == ["a", *(f"a {s}" for s in SOURCES), "b", *(f"b {s}" for s in SOURCES)]
    a, b = project.track_named("a"), project.track_named("b")
    assert a.muted and b.muted and len(project.grouped_under(b.id)) == 4
    assert project.duration >= 2.5
    stack.undo()
    assert [t.name for t in project.tracks] == ["Keys", "Song", "Lead"]


def test_a_separator_at_another_rate_gives_stems_at_the_project_rate(monkeypatch):
    pytest.importorskip("torch")
    from engines.separate.hdemucs import DemucsSeparator, build_model, tiny_config

    mix, _ = known_mix(0.7, 48000)
    sep = DemucsSeparator(build_model(tiny_config()), tiny_config())
    stems = separate_audio(sep, mix, 48000)
    assert stems.audio.shape == (4, *mix.shape) and stems.sample_rate == 48000


def test_the_dsp_separator_beats_the_mixture_on_a_known_mix():
    """Not a benchmark: a sanity check that each DSP stem is closer to its source than the mix is."""
    mix, truth = known_mix(3.0)
    stems = separate_audio(load_separator("dsp")[0], mix, 44100).audio

    def sdr(ref, est):
        return 10 * np.log10(np.sum(ref ** 2) / np.sum((ref - est) ** 2))

    for i, name in enumerate(SOURCES):
        assert sdr(truth[i], stems[i]) > sdr(truth[i], mix), name


def test_unknown_models_are_refused():
    with pytest.raises(PartitaError, match="not one of"):
        load_separator("best")
    assert app_separate.MODELS == ("auto", "embedded", "hdemucs", "dsp")
