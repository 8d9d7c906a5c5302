"""Transcription in the app and on the command line: a new MIDI track beside the audio track
as one undo step, instruments from the kind and the stem's name, snapping only when asked,
``partita transcribe`` writing a MIDI file and saying what it chose, clear errors."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from app import transcribe as app_transcribe
from app.cli import main
from app.commands import UndoStack
from app.midi_io import read_midi
from app.project import PPQ, AudioTrack, MidiTrack, Project, Role, TempoChange
from engines.common import Note
from tests import synth

SR = 44100
LOAD_ENGINE = app_transcribe.transcriber
SCALE = (60, 62, 64, 65, 67, 69, 71, 72)


@pytest.fixture(autouse=True)
def shared_engine(transcriber, monkeypatch):
    """The app's loader returns the session's engine (loading it is tested once, below)."""
    monkeypatch.setattr(app_transcribe, "transcriber", lambda device="auto": transcriber)


def scale_audio(shift: int = 0, seconds_per_note: float = 0.5) -> np.ndarray:
    """Stereo float32: the C major scale, one note every ``seconds_per_note`` from 0.5 s."""
    notes = [Note(p + shift, 0.5 + seconds_per_note * i, seconds_per_note - 0.05, 100) for i, p in enumerate(SCALE)]
    mono = synth.render(notes, SR, 0.5 + seconds_per_note * len(SCALE) + 0.5, timbre=synth.PIANO)
    return np.stack([mono, mono])


def project_with_audio(samples: np.ndarray, name: str = "Lead vocals") -> Project:
    project = Project(tempo_map=[TempoChange(0, 120.0)], length_bars=4)
    project.tracks = [MidiTrack("Keys", role=Role.HARMONY), AudioTrack(name, samples), MidiTrack("Drums", is_drum=True)]
    return project


def test_a_new_track_beside_the_audio_track_in_one_undo_step():
    project = project_with_audio(scale_audio())
    audio = project.tracks[1]
    stack = UndoStack(project)
    command = app_transcribe.transcribe_track_command(project.snapshot(), audio.id)
    stack.push(command)
    assert [t.name for t in project.tracks] == ["Keys", "Lead vocals", "Lead vocals MIDI", "Drums"]
    added = project.tracks[2]
    assert isinstance(added, MidiTrack) and added.role == Role.MELODY and added.program == 53
    assert [n.pitch for n in added.sorted_notes()] == list(SCALE)
    # 120 BPM: a note every 0.5 s is one every quarter note (480 ticks) from tick 480
    starts = np.array([n.start for n in added.sorted_notes()])
    assert np.abs(starts - (PPQ + PPQ * np.arange(len(SCALE)))).max() < 0.035 * 2 * PPQ
    assert command.label == "Transcribe Lead vocals (melody, chosen from its name)"
    stack.undo()
    assert [t.name for t in project.tracks] == ["Keys", "Lead vocals", "Drums"]


def test_a_grid_snaps_starts_and_ends():
    project = project_with_audio(scale_audio())
    command = app_transcribe.transcribe_track_command(project, project.tracks[1].id, kind="melody", grid="1/8")
    notes = command.commands[0].track.sorted_notes()
    assert [n.start for n in notes] == [PPQ * (1 + i) for i in range(len(SCALE))]
    assert all(n.duration % (PPQ // 2) == 0 and n.duration > 0 for n in notes)
    assert "chosen" not in command.label


def test_only_audio_tracks_are_transcribed():
    project = project_with_audio(scale_audio())
    with pytest.raises(app_transcribe.PartitaError, match="holds notes, not audio"):
        app_transcribe.transcribe_track_command(project, project.tracks[0].id)


def test_a_job_snapshot_carries_only_the_audio_it_reads():
    project = project_with_audio(scale_audio())
    project.tracks.append(AudioTrack("Other", np.ones((2, 1000), np.float32)))
    snap = app_transcribe.job_snapshot(project, project.tracks[1].id)
    assert [t.name for t in snap.tracks] == [t.name for t in project.tracks]
    assert snap.tracks[1].samples.shape == (2, len(project.tracks[1].samples[0]))
    assert snap.tracks[3].samples.shape == (2, 0) and project.tracks[3].samples.shape == (2, 1000)


@pytest.mark.parametrize("kind,stem,expected", [
    ("melody", "Vocals", (53, False, Role.MELODY)), ("melody", "Violin solo", (40, False, Role.MELODY)),
    ("melody", "lead", (73, False, Role.MELODY)), ("bass", "bass", (33, False, Role.BASS)),
    ("poly", "other", (0, False, Role.HARMONY)), ("poly", "Guitar", (24, False, Role.HARMONY)),
    ("drums", "drums", (0, True, Role.DRUMS))])
def test_instrument_and_role_follow_kind_and_stem_name(kind, stem, expected):
    inst = app_transcribe.instrument_for(kind, stem)
    assert (inst.program, inst.is_drum, inst.role) == expected


def write(path, audio):
    sf.write(str(path), audio.T, SR, subtype="FLOAT")
    return path


def test_cli_writes_a_midi_file_and_says_what_it_chose(tmp_path, capsys):
    src = write(tmp_path / "take 3.wav", scale_audio(-24))
    assert main(["transcribe", str(src), "-o", str(tmp_path / "out.mid")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("kind: bass (chosen from the audio: one note at a time")
    content = read_midi(tmp_path / "out.mid")
    assert len(content.tracks) == 1 and content.tracks[0].program == 33
    assert [n.pitch for n in content.tracks[0].sorted_notes()] == [p - 24 for p in SCALE]


def test_cli_a_stem_named_bass_is_a_bass_whatever_its_register(tmp_path, capsys):
    # A bass stem high in the bass register (around F3) reads like a melody by its pitch alone;
    # the stems `partita separate` writes, and most DAW stems, say what they hold in their names.
    src = write(tmp_path / "02 Bass.wav", scale_audio())
    assert main(["transcribe", str(src), "-o", str(tmp_path / "out.mid")]) == 0
    assert capsys.readouterr().out.startswith("kind: bass (chosen from the file's name, '02 Bass')")
    assert read_midi(tmp_path / "out.mid").tracks[0].program == 33


@pytest.mark.parametrize("name,kind", [
    ("bass", "bass"), ("02 Bass", "bass"), ("Song - drums", "drums"), ("vocals", "melody"), ("Lead Vox", "melody"),
    ("other", "poly"), ("Keys", "poly"), ("Bassoon", None), ("take 3", None), ("piano melody", None),
    ("Song (no vocals)", None), ("mix without drums", None)])
def test_the_kind_a_stems_name_says(name, kind):
    assert app_transcribe.kind_from_name(name) == kind


def test_cli_kind_and_grid(tmp_path, capsys):
    src = write(tmp_path / "line.wav", scale_audio())
    args = ["transcribe", str(src), "-o", str(tmp_path / "out.mid"), "--kind", "melody", "--grid", "1/4",
            "--tempo", "120"]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("kind: melody (as asked)")
    notes = read_midi(tmp_path / "out.mid").tracks[0].sorted_notes()
    assert [n.start for n in notes] == [PPQ * (1 + i) for i in range(len(SCALE))]


def test_cli_drums_are_a_drum_track(tmp_path):
    hits = [Note(36 if i % 2 == 0 else 42, 0.25 + 0.25 * i, 0.1, 110) for i in range(8)]
    audio = synth.render(hits, SR, 2.5, drums=True, seed=1)
    src = write(tmp_path / "beat.wav", np.stack([audio, audio]))
    assert main(["transcribe", str(src), "-o", str(tmp_path / "beat.mid"), "--kind", "drums"]) == 0
    track = read_midi(tmp_path / "beat.mid").tracks[0]
    assert track.is_drum and {n.pitch for n in track.notes} <= {36, 38, 42, 47, 49}
    assert len({n.start for n in track.notes}) >= 8


def test_cli_grid_without_a_tempo_snaps_at_the_tempo_heard(tmp_path, capsys):
    # 8 bars of a kick / snare / hi-hat groove at 96 BPM: the grid is the song's, not 120 BPM's
    beat = 60 / 96
    hits = [Note(36 if i % 4 == 0 else 38 if i % 4 == 2 else 42, 0.1 + beat / 2 * i, 0.1, 110) for i in range(64)]
    audio = synth.render(hits, SR, 0.1 + beat * 32 + 1, drums=True, seed=2)
    src = write(tmp_path / "groove.wav", np.stack([audio, audio]))
    assert main(["transcribe", str(src), "-o", str(tmp_path / "g.mid"), "--grid", "1/8"]) == 0
    said = capsys.readouterr().out
    tempo = float(said.split("tempo ")[1].split(" BPM")[0])
    assert abs(tempo - 96) < 96 * 0.02 and "(detected), snapped to 1/8" in said


def test_cli_grid_on_audio_without_a_beat_says_the_tempo_is_the_default(tmp_path, capsys):
    src = write(tmp_path / "held.wav", scale_audio(seconds_per_note=1.5)[:, : SR * 3])
    assert main(["transcribe", str(src), "-o", str(tmp_path / "h.mid"), "--grid", "1/8"]) == 0
    assert "tempo 120 BPM (default: no steady beat heard), snapped to 1/8" in capsys.readouterr().out


@pytest.mark.parametrize("args,message", [
    (["transcribe", "missing.wav", "-o", "out.mid"], "missing.wav: no such file"),
    (["transcribe", "{text}", "-o", "out.mid"], "not a readable audio file"),
    (["transcribe", "{wav}", "-o", "out.wav"], "the output must end in .mid or .midi"),
    (["transcribe", "{wav}", "-o", "out.mid", "--kind", "guitar"], "invalid choice: 'guitar'"),
    (["transcribe", "{wav}", "-o", "out.mid", "--tempo", "5"], "--tempo must be between 10 and 999"),
    (["transcribe", "{wav}"], "the following arguments are required: -o/--output"),
])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("not audio")
    wav = write(tmp_path / "in.wav", scale_audio()[:, :SR])
    args = [a.format(text=tmp_path / "notes.txt", wav=wav) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("partita: error:") and message in err and err.count("\n") == 1
    assert not (tmp_path / "out.mid").exists()


def test_the_engine_loads_from_the_model_store():
    engine = LOAD_ENGINE("cpu")
    assert engine is LOAD_ENGINE("cpu")
    assert engine.drum_model.w1.shape[0] == engine.drum_model.mean.shape[0]


def test_an_instruction_transcribes_an_audio_track():
    from app.edit import EditSettings, plan_command, plan_instruction
    from engines.instruct import Plan

    project = project_with_audio(scale_audio(), name="Flute")
    plan = plan_instruction(project, "transcribe the flute as a melody")
    assert isinstance(plan, Plan), plan.message
    stack = UndoStack(project)
    stack.push(plan_command(project, plan, settings=EditSettings(device="cpu")))
    added = project.track_named("Flute MIDI")
    assert isinstance(added, MidiTrack) and added.role == Role.MELODY and added.program == 73
    assert [n.pitch for n in added.sorted_notes()] == list(SCALE)
    stack.undo()
    assert [t.name for t in project.tracks] == ["Keys", "Flute", "Drums"]
