"""Generate in the app and on the command line, with the shipped composer."""
from __future__ import annotations

import json

import numpy as np
import pytest

from app.cli import main
from app.commands import UndoStack
from app.controls_io import controls_to_json
from app.controls_project import project_beats, project_controls
from app.generate import Generate, GenerateRequest
from app.mixdown import render_project
from app.project import MidiTrack, Note, Project, Role
from app.projectfile import load_project, save_project
from engines.common import CONTROL_FRAME_RATE
from engines.controls import Controls, beat_f1, downbeat_f1, dynamics_correlation
from engines.controls.curves import frame_times

FR = CONTROL_FRAME_RATE


def drawn_controls(seconds: float = 12.0) -> Controls:
    """A partly drawn melody (two spans), a crescendo and beats drifting from 100 to 108 BPM."""
    n = int(np.ceil(seconds * FR))
    t = frame_times(n)
    melody = np.full(n, np.nan, dtype=np.float32)
    first, second = (t >= 1.0) & (t < 5.0), (t >= 7.0) & (t < 10.0)
    melody[first] = np.where(t[first] < 3.0, 67, 69)
    melody[second] = np.where(t[second] < 8.5, 72, 71)
    dynamics = np.clip(-24.0 + 24.0 * t / seconds, -60, 0).astype(np.float32)
    gaps = np.linspace(0.6, 0.555, 40)
    beats = 0.3 + np.concatenate([[0.0], np.cumsum(gaps)])
    beats = beats[beats < seconds]
    return Controls.build(seconds, melody=melody, dynamics=dynamics, beats=beats, downbeats=beats[2::4])


@pytest.fixture(scope="module")
def generate() -> Generate:
    return Generate()


def applied(generate: Generate, project: Project, request: GenerateRequest) -> Project:
    [command] = generate.run(project, request).commands
    UndoStack(project).push(command)
    return project


def test_from_controls_a_new_project_follows_melody_dynamics_and_beats(generate):
    controls = drawn_controls()
    project = applied(generate, Project(name="new"), GenerateRequest(controls=controls, seed=1))
    assert [t.role for t in project.tracks] == [Role.MELODY, Role.HARMONY, Role.BASS, Role.DRUMS]
    assert all(t.notes for t in project.tracks) and project.tracks[3].is_drum
    assert project.duration == pytest.approx(controls.duration, abs=0.01), "as long as the controls"
    assert 0 < project.last_bar_ticks < project.ticks_per_bar, "12 s end inside a bar: the last bar is short"
    assert max(n.end for t in project.midi_tracks() for n in t.notes) <= project.length_ticks
    assert project.n_frames == controls.n_frames
    inside = lambda t: t[(t > controls.beats[0] - 0.05) & (t < controls.duration)]  # noqa: E731
    beats, downbeats = (inside(t) for t in project_beats(project))
    assert beat_f1(controls.beats, beats) == 1.0 and downbeat_f1(controls.downbeats, downbeats) == 1.0
    assert project.tempo_map[-1].bpm > project.tempo_map[1].bpm + 3, "the tempo map drifts as the beats do"
    melody = project.track_named("Melody")
    sounding = project_controls(project, track_ids=[melody.id]).melody[: controls.n_frames]
    given = ~np.isnan(controls.melody)
    assert np.mean(sounding[given] == controls.melody[given]) > 0.97
    curve = project.curve("melody")
    np.testing.assert_array_equal(curve[: len(given)][given], controls.melody[given])
    assert dynamics_correlation(controls.dynamics, project_controls(project).dynamics[: controls.n_frames]) > 0.9
    first, last = (np.mean([n.velocity for n in melody.notes if a <= project.tick_to_seconds(n.start) < b])
                   for a, b in ((0.0, 4.0), (8.0, 12.0)))
    assert last > first + 8, "velocities follow the crescendo"
    mix = render_project(project, sound_font=None)
    assert mix.seconds >= controls.duration and np.abs(mix.mix).max() > 0.05


def test_the_same_seed_gives_the_same_music_and_variations_are_seeds(generate):
    request = GenerateRequest(controls=drawn_controls(8.0), seed=5, variations=2)
    one = generate.run(Project(name="a"), request).commands
    again = generate.run(Project(name="a"), GenerateRequest(controls=drawn_controls(8.0), seed=6)).commands

    def notes(command):
        """The command's notes (a command is done once: its new tracks are its own objects)."""
        project = Project(name="a")
        command.do(project)
        return [sorted(t.notes, key=lambda n: (n.start, n.pitch)) for t in project.midi_tracks()]

    first, second = notes(one[0]), notes(one[1])
    assert second == notes(again[0])
    assert first != second
    assert notes(generate.run(Project(name="a"), request).commands[0]) == first


def test_a_prompt_sets_key_tempo_meter_instruments_and_parts(generate):
    request = GenerateRequest(prompt="slow sad cello and strings in E minor, waltz, no drums", seconds=10.0)
    outcome = generate.run(Project(name="p"), request)
    project = Project(name="p")
    outcome.commands[0].do(project)
    assert project.key == "E:minor" and str(project.time_signature) == "3/4"
    assert project.tempo == pytest.approx(72.0)
    assert [(t.role, t.program) for t in project.tracks] == [(Role.MELODY, 42), (Role.HARMONY, 48), (Role.BASS, 33)]
    scale = {4, 6, 7, 9, 11, 0, 2, 3}  # E natural minor and its leading tone
    pitched = [n.pitch % 12 for t in project.tracks for n in t.notes]
    assert np.mean([p in scale for p in pitched]) > 0.97
    assert "waltz" in outcome.reading.summary()


def test_into_a_project_only_the_chosen_tracks_and_bars_change_and_undo_restores(generate):
    project = Project(name="song", length_bars=6, key="D:minor")
    project.tracks = [MidiTrack("Lead", [Note(62 + i % 5, 480 * i, 400, 90) for i in range(24)], Role.MELODY),
                      MidiTrack("Keys", [Note(p, 1920 * b, 1900, 70) for b in range(6) for p in (50, 53, 57)],
                                Role.HARMONY)]
    project.curves["melody"] = np.full(project.n_frames, 69.0, dtype=np.float32)
    state = lambda: {t.name: sorted(t.notes, key=lambda n: (n.start, n.pitch)) for t in project.tracks}  # noqa: E731
    before = state()
    tempo = list(project.tempo_map)
    outcome = generate.run(project, GenerateRequest(tracks=("Lead", "drums"), bars="3-4", tempo=140.0, seed=2))
    stack = UndoStack(project)
    stack.push(outcome.commands[0])
    assert project.tempo_map == tempo and any("tempo" in note for note in outcome.notes)
    assert project.track_named("Keys").notes == before["Keys"]
    lead = project.track_named("Lead").notes
    lo, hi = 2 * 1920, 4 * 1920
    assert [n for n in lead if not lo <= n.start < hi] == [n for n in before["Lead"] if not lo <= n.start < hi]
    assert {n.pitch for n in lead if lo <= n.start < hi} == {69}, "the drawn melody curve"
    drums = project.track_named("Drums")
    assert drums.is_drum and drums.notes and all(lo - 60 <= n.start < hi for n in drums.notes)
    stack.undo()
    assert state() == before and len(project.tracks) == 2


def test_command_line_from_controls_and_into_a_project(tmp_path, capsys):
    controls = tmp_path / "c.json"
    controls.write_text(json.dumps(controls_to_json(drawn_controls(8.0))))
    out = tmp_path / "out.partita"
    assert main(["generate", "-o", str(out), "--controls", str(controls), "--prompt", "bossa in G, busy",
                 "--seed", "3", "--variations", "2"]) == 0
    captured = capsys.readouterr()
    assert "understood: bossa → groove bossa nova" in captured.err
    first, second = load_project(out), load_project(tmp_path / "out-2.partita")
    assert len(first.tracks) == 4 and first.key == "G:major"
    assert first.duration == pytest.approx(8.0, abs=0.01) and second.duration == pytest.approx(8.0, abs=0.01)
    assert [t.notes for t in first.tracks] != [t.notes for t in second.tracks]
    again = tmp_path / "again.partita"
    assert main(["generate", str(out), "-o", str(again), "--tracks", "Bass", "--bars", "2", "--seed", "9"]) == 0
    changed = load_project(again)
    assert changed.track_named("Melody").notes == first.track_named("Melody").notes
    assert load_project(out).track_named("Bass").notes == first.track_named("Bass").notes, "input untouched"


@pytest.mark.parametrize("args,message", [
    (["--bars", "9-12"], "starts after"),
    (["--tracks", "Kazoo"], "no track named 'Kazoo'"),
    (["--variations", "0"], "--variations"),
    (["--controls", "missing.json"], "no such file"),
    (["--key", "H:minor"], "is not like"),
    (["--seconds", "0.1"], "--seconds"),
    (["--time-signature", "4/32"], "16th-note grid"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    project = tmp_path / "p.partita"
    save_project(Project(name="p", length_bars=4), project)
    code = main(["generate", str(project), "-o", str(tmp_path / "o.partita"), *args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("partita: error:") and message in err[0]
    assert not (tmp_path / "o.partita").exists()


def test_a_controls_file_that_is_not_one_is_refused(tmp_path, capsys):
    bad = tmp_path / "c.json"
    bad.write_text('{"format": "partita.controls/1", "duration": 4, "melody": ["x"]}')
    assert main(["generate", "-o", str(tmp_path / "o.partita"), "--controls", str(bad)]) == 2
    assert "melody[0]" in capsys.readouterr().err


def test_the_shipped_composer_gets_neither_controls_nor_attributes_and_trained_weights_get_theirs(
        generate, monkeypatch):
    import copy

    from engines.compose.api import ComposeEngine
    from engines.compose.config import ModelConfig, tiny
    from engines.compose.model import Composer
    from engines.generate.conditioning import trained_conditions
    from engines.generate.pipeline import Generator

    def composer_tasks(gen: Generate) -> list:
        seen: list = []
        engine = gen.generator.engine
        real = engine.infill
        monkeypatch.setattr(engine, "infill", lambda task, **kw: seen.append(task) or real(task, **kw))
        project = applied(gen, Project(name="c"), GenerateRequest(controls=drawn_controls(6.0),
                                                                     prompt="sad bossa, piano", seed=4))
        assert project.track_named("Melody").notes
        return seen

    names = ModelConfig().controls
    [shipped] = composer_tasks(generate)
    assert shipped.pitch_lock, "the hard locks still hold the melody"
    if not trained_conditions(generate.generator.engine):  # weights from before the conditioning
        assert shipped.controls is None and shipped.attributes == {}, "untrained inputs get nothing"
    for trained in ((), names + ("tempo", "emotion", "style"), ("dynamics", "style")):
        composer = Composer(tiny())
        composer.trained_conditions = trained  # what weights.from_tensors reads from the metadata
        other = copy.copy(generate)
        other.generator = Generator(ComposeEngine(composer), generate.config)
        [task] = composer_tasks(other)
        if not trained:
            assert task.controls is None and task.attributes == {}
            continue
        assert task.controls.shape == (task.n_steps, 2 * len(names))
        given = task.controls[:, 1::2].astype(bool)
        assert given[:, names.index("melody")].any() == ("melody" in trained)
        assert given[:, names.index("dynamics")].mean() > 0.9
        assert set(task.attributes) == {"tempo", "emotion", "style"} & set(trained)
        assert all(v > 0 for v in task.attributes.values())


def test_command_line_prompt_says_what_it_understood_and_ignored_and_repeats_exactly(tmp_path, capsys):
    outs = [tmp_path / f"p{k}.partita" for k in range(2)]
    for out in outs:
        assert main(["generate", "-o", str(out), "--prompt", "slow sad piano in D minor, kazoo solo 3/4",
                     "--seconds", "6", "--seed", "7"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("prompt:")]
    assert len(lines) == 2 and lines[0] == lines[1]
    assert "in d minor → key D minor" in lines[0] and "3/4 → meter 3/4" in lines[0]
    assert "ignored: 'kazoo'" in lines[0]
    first, second = (load_project(p) for p in outs)
    assert first.key == "D:minor" and str(first.time_signature) == "3/4" and first.tempo == pytest.approx(72.0)
    assert {t.program for t in first.tracks if not t.is_drum and t.role != Role.BASS} == {0}
    assert [t.notes for t in first.tracks] == [t.notes for t in second.tracks], "same seed, same music"


def test_command_line_prompt_of_unknown_words_still_generates(tmp_path, capsys):
    out = tmp_path / "u.partita"
    assert main(["generate", "-o", str(out), "--prompt", "zzz qqq", "--seconds", "4"]) == 0
    assert "prompt: ignored: 'zzz', 'qqq'" in capsys.readouterr().err
    assert len(load_project(out).tracks) == 4


def test_a_new_project_ends_where_the_controls_or_seconds_end_and_keeps_that_end(generate, tmp_path):
    project = applied(generate, Project(name="s"), GenerateRequest(seconds=10.0, tempo=100.0, seed=1))
    assert project.duration == pytest.approx(10.0, abs=0.01) and project.length_bars == 5, "4 bars + 0.4 s"
    ends = [project.tick_to_seconds(n.end) for t in project.midi_tracks() for n in t.notes]
    assert 9.5 < max(ends) <= 10.0 + 1e-6, "the music plays to the end and no further"
    save_project(project, tmp_path / "s.partita")
    again = load_project(tmp_path / "s.partita")
    assert again.last_bar_ticks == project.last_bar_ticks and again.duration == pytest.approx(10.0, abs=0.01)
    whole = applied(generate, Project(name="w"), GenerateRequest(seconds=9.6, tempo=100.0, seed=1))
    assert whole.last_bar_ticks == 0 and whole.length_bars == 4, "9.6 s at 100 BPM is 4 whole bars"
