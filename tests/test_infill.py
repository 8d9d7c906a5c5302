"""Infill in the app and on the command line, with the shipped composer."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.commands import UndoStack
from app.infill import InfillRequest, Infiller, parse_bars
from app.project import MidiTrack, Note, Project, Role, TimeSignature
from app.projectfile import load_project, save_project


def chorale_project() -> Project:
    """Eight bars of four voices plus drums, C major."""
    p = Project(name="Chorale", length_bars=8, key="C:major")
    sop = [72, 71, 69, 71, 72, 74, 76, 74] * 4
    alto = [67, 67, 65, 67, 67, 67, 67, 65] * 4
    bass = [48, 43, 45, 43, 48, 43, 48, 43] * 4
    for name, role, pitches in (("Soprano", Role.MELODY, sop), ("Alto", Role.HARMONY, alto),
                                ("Bass", Role.BASS, bass)):
        p.tracks.append(MidiTrack(name, [Note(x, 480 * i, 480, 80) for i, x in enumerate(pitches)], role=role))
    p.tracks.append(MidiTrack("Piano", [Note(x, 1920 * b, 1920, 70) for b in range(8) for x in (60, 64, 67)],
                              role=Role.HARMONY))
    p.tracks.append(MidiTrack("Drums", [Note(36, 480 * i, 60, 100) for i in range(32)], role=Role.DRUMS, is_drum=True))
    return p


@pytest.fixture(scope="module")
def infiller() -> Infiller:
    return Infiller()


def notes_of(project: Project, name: str) -> list[Note]:
    return sorted(project.track_named(name).notes, key=lambda n: (n.start, n.pitch))


def test_infill_is_one_undoable_edit_that_touches_only_the_chosen_bars(infiller):
    project = chorale_project()
    before = {t.name: notes_of(project, t.name) for t in project.tracks}
    alto = project.track_named("Alto")
    keep = (alto.notes[9],)  # bar 3, beat 2
    req = InfillRequest(track_ids=(alto.id, project.track_named("Piano").id), bars=(3, 5), seed=2, keep={alto.id: keep})
    [command] = infiller.run(project, req)
    stack = UndoStack(project)
    stack.push(command)
    lo, hi = 2 * 1920, 5 * 1920
    for name in ("Soprano", "Bass", "Drums"):
        assert notes_of(project, name) == before[name]
    for name in ("Alto", "Piano"):
        after = notes_of(project, name)
        assert [n for n in after if not lo <= n.start < hi] == [n for n in before[name] if not lo <= n.start < hi]
        assert any(lo <= n.start < hi for n in after) and all(n.end <= hi for n in after if lo <= n.start < hi)
    assert keep[0] in project.track_named("Alto").notes
    assert max(len([n for n in notes_of(project, "Piano") if n.start <= t < n.end]) for t in range(lo, hi, 120)) > 1
    stack.undo()
    assert {t.name: notes_of(project, t.name) for t in project.tracks} == before


def test_infill_writes_plausible_chorale_notes(infiller):
    project = chorale_project()
    alto = project.track_named("Alto")
    [command] = infiller.run(project, InfillRequest(track_ids=(alto.id,), bars=(2, 7), seed=0))
    command.do(project)
    new = [n for n in alto.notes if 1920 <= n.start < 7 * 1920]
    assert all(55 <= n.pitch <= 76 for n in new)
    in_c = sum(n.pitch % 12 in (0, 2, 4, 5, 7, 9, 11) for n in new)
    assert in_c / len(new) > 0.8


def jig_project() -> Project:
    """Four bars of 6/8 in E major: a lead in eighths, a bass holding tonic and fifth a bar each, drums."""
    p = Project(name="Jig", length_bars=4, key="E:major", time_signature=TimeSignature(6, 8))
    bar, eighth = 6 * 240, 240
    lead = [Note(76 + (0, 2, 4, 5, 7, 9)[(3 * i) % 6], eighth * i, eighth, 90) for i in range(24)]
    bass = [Note(40 + (0 if b % 2 == 0 else 7), bar * b, bar - 10, 100) for b in range(4)]
    kit = [Note(36 if k == 0 else 38 if k == 3 else 42, bar * b + eighth * k, 60, 100) for b in range(4) for k in range(6)]
    p.tracks += [MidiTrack("Lead", lead, role=Role.MELODY, program=73), MidiTrack("Bass", bass, role=Role.BASS),
                 MidiTrack("Drums", kit, role=Role.DRUMS, is_drum=True)]
    return p


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_part_written_over_the_whole_song_is_not_left_silent(infiller, seed):
    """With none of its own notes around the span, the bass still plays about as often as a bass does."""
    project = jig_project()
    bass = project.track_named("Bass")
    [command] = infiller.run(project, InfillRequest(track_ids=(bass.id,), seed=seed))
    command.do(project)
    bars_with_notes = {n.start // (6 * 240) for n in bass.notes}
    assert len(bass.notes) >= 6 and len(bars_with_notes) >= 3, f"{len(bass.notes)} notes in bars {bars_with_notes}"


def test_parse_bars():
    p = chorale_project()
    assert parse_bars("3-5", p) == (3, 5) and parse_bars("4", p) == (4, 4) and parse_bars(None, p) is None
    for bad in ("0-2", "5-3", "x", "20-22"):
        with pytest.raises(Exception, match="--bars"):
            parse_bars(bad, p)


def test_cli_infill_is_deterministic_and_leaves_other_tracks(tmp_path, capsys):
    src = tmp_path / "in.partita"
    save_project(chorale_project(), src)
    original = src.read_bytes()
    args = ["infill", str(src), "--tracks", "alto,bass", "--bars", "2-4", "--seed", "5"]
    assert main([*args, "-o", str(tmp_path / "a.partita")]) == 0
    assert main([*args, "-o", str(tmp_path / "b.partita"), "--variations", "2"]) == 0
    a, b, b2 = (load_project(tmp_path / f) for f in ("a.partita", "b.partita", "b-2.partita"))
    assert notes_of(a, "Alto") == notes_of(b, "Alto") and notes_of(a, "Bass") == notes_of(b, "Bass")
    assert notes_of(b2, "Alto") != notes_of(b, "Alto")
    assert main([*args[:-1], "6", "-o", str(tmp_path / "c.partita")]) == 0
    assert notes_of(load_project(tmp_path / "c.partita"), "Alto") == notes_of(b2, "Alto")
    assert notes_of(a, "Soprano") == notes_of(load_project(src), "Soprano")
    assert src.read_bytes() == original


def test_cli_infills_drums_with_gm_drum_notes_in_the_bars_only(tmp_path):
    from engines.compose.drums import LOWEST, HIGHEST

    src = tmp_path / "in.partita"
    save_project(chorale_project(), src)
    assert main(["infill", str(src), "-o", str(tmp_path / "d.partita"), "--tracks", "Drums", "--bars", "3-4"]) == 0
    before, after = load_project(src), load_project(tmp_path / "d.partita")
    new = [n for n in notes_of(after, "Drums") if 2 * 1920 <= n.start < 4 * 1920]
    assert new and all(LOWEST <= n.pitch <= HIGHEST for n in new)
    outside = lambda p: [n for n in notes_of(p, "Drums") if not 2 * 1920 <= n.start < 4 * 1920]  # noqa: E731
    assert outside(after) == outside(before)
    assert notes_of(after, "Alto") == notes_of(before, "Alto")


@pytest.mark.parametrize("extra, message", [
    (["--tracks", "Nobody"], "no track named 'Nobody'"),
    (["--tracks", "Alto", "--bars", "9-8"], "--bars"),
    (["--tracks", "Alto", "--variations", "0"], "--variations"),
])
def test_cli_infill_refuses_bad_input_with_one_line(tmp_path, capsys, extra, message):
    src = tmp_path / "in.partita"
    save_project(chorale_project(), src)
    assert main(["infill", str(src), "-o", str(tmp_path / "o.partita"), *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("partita: error:") and message in err[-1]
    assert not Path(tmp_path / "o.partita").exists()
