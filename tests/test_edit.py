"""Editing by instruction end to end on the demo project: each instruction changes exactly
what it says and nothing else, rendered audio follows, one undo restores the project exactly;
and `partita edit` per the contract."""
from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import numpy as np
import pytest

from app.cli import main
from app.commands import UndoStack
from app.edit import EditSettings, plan_command, plan_instruction
from app.projectfile import load_project, project_to_json
from engines.common import CONTROL_FRAME_RATE, CancelToken, Cancelled
from engines.instruct import Plan, Refusal

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo" / "demo.partita"
BAR = 1920


@pytest.fixture
def demo():
    return load_project(DEMO)


def state(project) -> dict:
    """Everything a project holds, audio and curves to the bit."""
    doc = project_to_json(project)
    doc["audio"] = {t.id: hashlib.sha1(t.samples.tobytes()).hexdigest() for t in project.audio_tracks()}
    doc["curves"] = {k: v.tobytes() for k, v in project.curves.items()}
    return doc


def tracks_by_name(doc: dict) -> dict:
    return {t["name"]: t for t in doc["tracks"]}


def edit(project, text: str):
    """Plan and apply ``text`` through an undo stack; return the stack."""
    plan = plan_instruction(project, text)
    assert isinstance(plan, Plan), plan.message
    command = plan_command(project, plan, settings=EditSettings(seed=1))
    stack = UndoStack(project)
    stack.push(command)
    return stack


def test_add_a_bass_line_in_bars_1_to_4(demo):
    before = state(demo)
    stack = edit(demo, "add a bass line in bars 1–4")
    after = state(demo)
    new = tracks_by_name(after)["Bass 2"]
    assert (new["role"], new["program"], new["is_drum"]) == ("bass", 33, False)
    assert {start // BAR for _pitch, start, _d, _v in new["notes"]} == {0, 1, 2, 3}, "a line through bars 1-4"
    assert all(28 <= pitch <= 67 for pitch, *_ in new["notes"]), "in the bass's range"
    assert after["tracks"][:-1] == before["tracks"] and after["tracks"][-1] is new
    assert {k: v for k, v in after.items() if k != "tracks"} == {k: v for k, v in before.items() if k != "tracks"}
    stack.undo()
    assert state(demo) == before


def test_remove_the_drums(demo):
    before = state(demo)
    stack = edit(demo, "remove the drums")
    after = state(demo)
    assert [t["name"] for t in after["tracks"]] == [t["name"] for t in before["tracks"] if t["name"] != "Drums"]
    assert {k: v for k, v in after.items() if k != "tracks"} == {k: v for k, v in before.items() if k != "tracks"}
    stack.undo()
    assert state(demo) == before


def _midi_level_db(project, t0: float, t1: float) -> float:
    """RMS (dB) of the MIDI tracks' stems between t0 and t1 seconds (gain staging is fixed)."""
    from app.mixdown import render_project

    mixdown = render_project(project, sound_font=None)
    rate = mixdown.sample_rate
    midi = sum(mixdown.stems[t.id] for t in project.midi_tracks())
    part = midi[:, int(t0 * rate): int(t1 * rate)]
    return float(10 * np.log10(np.mean(part.astype(np.float64) ** 2) + 1e-20))


def test_make_bars_2_to_3_louder_raises_the_curve_and_the_rendered_audio_there(demo):
    before = state(demo)
    curve = demo.curve("dynamics")
    bar_s = float(demo.tick_to_seconds(BAR))
    inside = (bar_s + 0.1, 3 * bar_s - 0.1)
    outside = [(0.0, bar_s - 0.1), (3 * bar_s + 0.1, demo.duration)]
    levels = [_midi_level_db(demo, *span) for span in [inside] + outside]
    stack = edit(demo, "make bars 2–3 louder")
    after = state(demo)
    assert {k: v for k, v in after.items() if k != "curves"} == {k: v for k, v in before.items() if k != "curves"}
    new = demo.curve("dynamics")
    a, b = (int(round(s * CONTROL_FRAME_RATE)) for s in (bar_s, 3 * bar_s))
    np.testing.assert_allclose(new[a:b], np.minimum(curve[a:b] + 6.0, 0.0), atol=1e-4)
    assert np.array_equal(np.isnan(new[:a]), np.isnan(curve[:a])) and np.allclose(new[:a], curve[:a], equal_nan=True)
    assert np.allclose(new[b:], curve[b:], equal_nan=True)
    louder = [_midi_level_db(demo, *span) for span in [inside] + outside]
    assert 4.5 < louder[0] - levels[0] < 8.0, "bars 2-3 sound about 6 dB louder"
    assert all(abs(x - y) < 0.05 for x, y in zip(louder[1:], levels[1:])), "and the rest as before"
    stack.undo()
    assert state(demo) == before


def test_transpose_the_lead_up_an_octave(demo):
    before = state(demo)
    stack = edit(demo, "transpose the lead up an octave")
    after = state(demo)
    lead_before, lead_after = tracks_by_name(before)["Lead"], tracks_by_name(after)["Lead"]
    assert [[p + 12, s, d, v] for p, s, d, v in lead_before["notes"]] == lead_after["notes"]
    others = [t for t in after["tracks"] if t["name"] != "Lead"]
    assert others == [t for t in before["tracks"] if t["name"] != "Lead"]
    stack.undo()
    assert state(demo) == before


def test_extract_the_vocals_from_the_audio_track(demo):
    from app.separate import load_separator, separate_audio

    before = state(demo)
    guitar = demo.track_named("Guitar (audio)")
    stack = edit(demo, "extract the vocals")
    after = state(demo)
    names = [t["name"] for t in after["tracks"]]
    assert names == [t["name"] for t in before["tracks"]] + ["Guitar (audio) vocals"]
    vocals = demo.track_named("Guitar (audio) vocals")
    expected = separate_audio(load_separator("auto")[0], guitar.samples, demo.sample_rate).stem("vocals")
    np.testing.assert_allclose(vocals.samples, expected, atol=1e-6)
    assert (str(vocals.role), vocals.group, vocals.muted, guitar.muted) == ("melody", guitar.id, False, True)
    unchanged = [t for t in after["tracks"] if t["name"] not in ("Guitar (audio)", "Guitar (audio) vocals")]
    assert unchanged == [t for t in before["tracks"] if t["name"] != "Guitar (audio)"]
    assert {k: v for k, v in after.items() if k not in ("tracks", "audio")} == \
        {k: v for k, v in before.items() if k not in ("tracks", "audio")}
    stack.undo()
    assert state(demo) == before


def test_a_plan_needing_an_engine_that_is_missing_is_refused(demo, monkeypatch):
    from app import edit_vocab

    monkeypatch.setitem(edit_vocab.ENGINE_MODULES, "transcribe",
                        ("app.no_such_engine", "transcription to MIDI is not part of this Partita yet"))
    edit_vocab.operation_specs.cache_clear()
    try:
        result = plan_instruction(demo, "transcribe the guitar to midi")
    finally:
        edit_vocab.operation_specs.cache_clear()
    assert isinstance(result, Refusal)
    assert "transcription" in result.message and result.suggestions


def test_remove_the_drums_and_add_a_brushed_shuffle(demo):
    before = state(demo)
    stack = edit(demo, "remove the drums and add a brushed shuffle in bars 1-4")
    drums = demo.track_named("Drums")
    assert drums.id not in {t["id"] for t in before["tracks"]} and drums.is_drum and str(drums.role) == "drums"
    assert len({n.start // BAR for n in drums.notes}) == 4, "a groove in every bar of 1-4, none after"
    assert [t.name for t in demo.tracks] == ["Lead", "Keys", "Bass", "Guitar (audio)", "Drums"]
    stack.undo()
    assert state(demo) == before


def test_a_multi_step_instruction_is_one_undo_step(demo):
    before = state(demo)
    stack = edit(demo, "remove the drums, make it 6/8 and pan the keys hard left")
    after = state(demo)
    assert "Drums" not in tracks_by_name(after) and after["time_signature"] == "6/8"
    assert tracks_by_name(after)["Keys"]["pan"] == -1.0
    assert stack.can_undo and stack.undo() and not stack.can_undo
    assert state(demo) == before


def test_cancel_stops_between_steps_and_changes_nothing(demo):
    before = copy.deepcopy(state(demo))
    plan = plan_instruction(demo, "add a bass line in bars 1-4 and remove the drums")
    assert isinstance(plan, Plan)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        plan_command(demo, plan, cancel=token)
    assert state(demo) == before


def test_cancel_inside_an_engine_step_stops_the_engine_and_changes_nothing(demo):
    before = state(demo)
    plan = plan_instruction(demo, "remove the drums and regenerate the bass in bars 5-8")
    assert isinstance(plan, Plan)
    token, steps, heard = CancelToken(), {s.describe(plan.programs) for s in plan.steps}, []

    def progress(fraction: float, message: str = "") -> None:
        heard.append((fraction, message))
        if message not in steps:  # the composer's own report: it is working
            token.cancel()

    with pytest.raises(Cancelled):
        plan_command(demo, plan, progress=progress, cancel=token)
    engine = [f for f, m in heard if m not in steps]
    assert engine and max(f for f, _ in heard) < 1.0, "stopped inside the engine, before the end"
    assert state(demo) == before


def test_planned_arguments_are_the_catalogues_parameters():
    from app import catalogue
    from app.edit_steps import ENGINE_STEPS
    from engines.instruct import OPERATIONS

    for name, args in OPERATIONS.items():
        if name in ENGINE_STEPS or name in ("generate", "separate", "transcribe"):
            continue
        op = catalogue.get(name)
        assert op.build is not None, name
        assert set(args) <= {p.name for p in op.params}, name


# -- the command line ------------------------------------------------------------------------------
def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dry_run_prints_the_plan_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out.partita"
    code, stdout, err = run(capsys, "edit", DEMO, "remove the drums and make bars 2-3 louder", "-o", out,
                            "--dry-run")
    assert code == 0 and not out.exists()
    assert stdout.splitlines() == ["1. Remove track Drums", "2. Dynamics curve: bars 2-3 louder by 6 dB"]


def test_cli_applies_the_plan_and_leaves_the_input_alone(tmp_path, capsys):
    out = tmp_path / "out.partita"
    digest = hashlib.sha1(DEMO.read_bytes()).hexdigest()
    code, stdout, _ = run(capsys, "edit", DEMO, "transpose the lead up an octave", "-o", out)
    assert code == 0 and f"wrote {out}" in stdout
    lead = load_project(out).track_named("Lead")
    assert sorted(n.pitch for n in lead.notes) == sorted(n.pitch + 12 for n in load_project(DEMO).track_named("Lead").notes)
    assert hashlib.sha1(DEMO.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("argv, says", [
    (["add reverb to the lead", "-o", "OUT"], "no audio effects"),
    (["set the tempo to 5000 bpm", "-o", "OUT"], "out of range"),
    (["remove the drums"], "give -o OUT.partita"),
    (["remove the drums", "-o", "out.wav"], "must end in .partita"),
])
def test_cli_refusals_are_one_line_and_exit_2(tmp_path, capsys, argv, says):
    argv = [str(tmp_path / "out.partita") if a == "OUT" else a for a in argv]
    code, stdout, err = run(capsys, "edit", DEMO, *argv)
    assert code == 2 and err.startswith("partita: error:") and says in err
    assert err.count("\n") == 1 and not (tmp_path / "out.partita").exists()


def test_the_same_seed_gives_the_same_edit(demo):
    plan = plan_instruction(demo, "regenerate the bass in bars 5-8")
    assert isinstance(plan, Plan)
    runs = []
    for _ in range(2):
        command = plan_command(demo, plan, settings=EditSettings(seed=7))
        command.do(demo)
        runs.append(sorted((n.pitch, n.start, n.duration) for n in demo.track_named("Bass").notes))
        command.undo(demo)
    assert runs[0] == runs[1]
