"""The operation catalogue against the real command line, and its plain edits as undoable commands."""
from __future__ import annotations

import argparse
import inspect

import numpy as np
import pytest

from app import catalogue
from app.cli import build_parser, main
from app.commands import UndoStack
from app.errors import PartitaError
from app.project import MidiTrack, Note, Project, Role
from app.projectfile import load_project, save_project
from engines.common import CONTROL_FRAME_RATE

BAR = 1920


def cli_tree() -> dict[str, argparse.ArgumentParser]:
    """Every (sub)command path of `partita` ("infill", "apply transpose", "models import") -> parser."""
    ui_open = pytest.importorskip("ui.cmd_open")
    out: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    out[f"{prefix}{name}"] = sub
                    walk(sub, f"{prefix}{name} ")

    walk(build_parser([ui_open]), "")
    return out


def song() -> Project:
    p = Project(name="Song", length_bars=4, key="C:major")
    p.tracks.append(MidiTrack("Lead", [Note(60 + i % 5, 480 * i + (i % 3) * 17, 240, 90) for i in range(16)],
                              role=Role.MELODY))
    p.tracks.append(MidiTrack("Bass", [Note(36, BAR * b, BAR, 80) for b in range(4)], role=Role.BASS))
    p.tracks.append(MidiTrack("Drums", [Note(36, 480 * i, 60, 100) for i in range(16)], role=Role.DRUMS,
                              is_drum=True))
    return p


def test_every_operation_is_on_the_command_line_with_its_parameters():
    tree = cli_tree()
    for op in catalogue.operations().values():
        if op.cli is None:
            assert op.why_not, op.name
            continue
        assert op.cli in tree, f"{op.name}: `partita {op.cli}` does not exist"
        parser = tree[op.cli]
        flags = {s: a for a in parser._actions for s in a.option_strings}
        positionals = {a.dest for a in parser._actions if not a.option_strings}
        for param in op.params:
            if param.positional:
                assert param.name in positionals, f"{op.name}: no positional {param.name}"
                continue
            assert param.flag in flags, f"`partita {op.cli}` has no {param.flag}"
            action = flags[param.flag]
            if action.choices is not None and param.choices is not None:
                assert {str(c) for c in action.choices} == set(param.choices), f"{op.cli} {param.flag}"


def test_plain_edits_take_exactly_their_catalogue_parameters_and_defaults():
    for op in catalogue.operations().values():
        if op.build is None:
            continue
        signature = inspect.signature(op.builder())
        kwargs = {n: p for n, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY}
        assert set(kwargs) == {p.name for p in op.params}, op.name
        for param in op.params:
            default = kwargs[param.name].default
            if param.required:
                assert default is inspect.Parameter.empty, f"{op.name}.{param.name}"
            else:
                assert default == param.default, f"{op.name}.{param.name}: {default!r} != {param.default!r}"


def test_an_entry_without_a_menu_or_cli_must_say_why():
    with pytest.raises(ValueError, match="says not why"):
        catalogue.Operation("x", "X", "x", (), (), (), cli=None, menu="Edit/X")
    with pytest.raises(ValueError, match="not one of"):
        catalogue.Param("x", "colour", "x")


def apply(op_name: str, project: Project, **texts: str):
    """Parse ``texts`` like the command line, build the command, run it on an undo stack."""
    op = catalogue.get(op_name)
    values = {k: catalogue.parse_value(op.param(k), v, project) for k, v in texts.items()}
    stack = UndoStack(project)
    stack.push(op.command(project, values))
    return stack


def test_transpose_moves_only_the_chosen_tracks_and_bars_and_undoes():
    p = song()
    lead, bass = list(p.tracks[0].notes), list(p.tracks[1].notes)
    stack = apply("transpose", p, tracks="lead", semitones="3", bars="2-3")
    moved = {(n.start, n.pitch) for n in p.tracks[0].notes}
    for n in lead:
        inside = BAR <= n.start < 3 * BAR
        assert (n.start, n.pitch + (3 if inside else 0)) in moved
    assert p.tracks[1].notes == bass
    stack.undo()
    assert sorted(p.tracks[0].notes, key=lambda n: n.start) == lead
    with pytest.raises(PartitaError, match="drum track"):
        apply("transpose", song(), tracks="drums", semitones="1")
    with pytest.raises(PartitaError, match="MIDI range"):
        apply("transpose", song(), tracks="bass", semitones="-48", bars="1")


def test_quantise_snaps_starts_and_humanise_is_reproducible():
    p = song()
    apply("quantise", p, tracks="Lead", grid="1/8")
    assert all(n.start % 240 == 0 for n in p.tracks[0].notes)
    half = song()
    apply("quantise", half, tracks="Lead", grid="1/8", strength="0.5")
    assert sorted(n.start for n in half.tracks[0].notes)[1] == 480 + 8  # 17 ticks off, halved
    a, b = song(), song()
    apply("humanise", a, tracks="Lead", seed="4")
    apply("humanise", b, tracks="Lead", seed="4")
    assert a.tracks[0].notes == b.tracks[0].notes != song().tracks[0].notes
    shifts = [abs(x.start - y.start) for x, y in zip(sorted(song().tracks[0].notes, key=lambda n: n.pitch * 10**6 + n.start),
                                                      sorted(a.tracks[0].notes, key=lambda n: n.pitch * 10**6 + n.start))]
    assert max(shifts) <= round(10 * 120 * 480 / 60000) + 1  # at most ±10 ms at 120 BPM


def test_song_edits_tempo_key_meter():
    p = song()
    apply("change_tempo", p, bpm="90")
    assert p.tempo == 90
    stack = apply("change_key", p, key="D:major", transpose_notes="yes")
    assert p.key == "D:major" and p.tracks[0].notes[0].pitch == 62 and p.tracks[2].notes[0].pitch == 36
    stack.undo()
    assert p.key == "C:major" and p.tracks[0].notes[0].pitch == 60
    apply("change_meter", p, time_signature="3/4")
    assert str(p.time_signature) == "3/4"


def test_a_curve_span_is_set_as_a_ramp_or_erased():
    p = song()
    apply("set_curve", p, curve="dynamics", start="1", end="2", value="-6", end_value="-18")
    curve = p.curve("dynamics")
    a, b = round(CONTROL_FRAME_RATE), round(2 * CONTROL_FRAME_RATE)
    assert np.isnan(curve[:a]).all() and np.isnan(curve[b:]).all()
    assert curve[a] == -6 and curve[b - 1] == -18 and np.all(np.diff(curve[a:b]) < 0)
    apply("set_curve", p, curve="dynamics", start="1", end="1.5")
    assert np.isnan(p.curve("dynamics")[a:round(1.5 * CONTROL_FRAME_RATE)]).all()
    with pytest.raises(PartitaError, match="dynamics value is between -120 and 0"):
        apply("set_curve", p, curve="dynamics", start="0", end="1", value="5")


def test_tracks_are_added_removed_muted_and_soloed_by_name():
    p = song()
    apply("add_track", p, name="Lead", role="harmony")
    assert p.tracks[-1].name == "Lead 2" and p.tracks[-1].role == Role.HARMONY
    apply("mute", p, track="bass")
    apply("solo", p, track="lead")
    assert p.tracks[1].muted and p.tracks[0].solo and not p.audible(p.tracks[1])
    stack = apply("remove_track", p, track="drums")
    assert [t.name for t in p.tracks] == ["Lead", "Bass", "Lead 2"]
    stack.undo()
    assert p.tracks[2].name == "Drums"


def test_partita_apply_writes_the_output_and_leaves_the_input(tmp_path, capsys):
    src = tmp_path / "song.partita"
    save_project(song(), src)
    before = src.read_bytes()
    assert main(["apply", "transpose", str(src), "-o", str(tmp_path / "up.partita"), "--tracks", "Lead,Bass",
                 "--semitones", "-2"]) == 0
    assert "Transpose -2" in capsys.readouterr().out
    out = load_project(tmp_path / "up.partita")
    assert [n.pitch for n in out.tracks[1].notes] == [34] * 4 and src.read_bytes() == before
    assert main(["apply", "tempo", str(src), "-o", str(tmp_path / "t.partita"), "--bpm", "5"]) == 2
    assert main(["apply", "transpose", str(src), "-o", str(tmp_path / "t.partita"), "--tracks", "Nobody",
                 "--semitones", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["partita: error: --bpm must be between 10 and 999 (not 5)",
                   "partita: error: --tracks: no track named 'Nobody' (tracks: Lead, Bass, Drums)"]
    assert not (tmp_path / "t.partita").exists()
