"""The `partita` command per CONTRACT.md: new, import, info --json, export; exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mido
import pytest

from app.cli import main
from app.midi_io import write_midi
from tests.helpers import small_project, write_wav

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_import_info_export(tmp_path, capsys):
    proj = tmp_path / "song.partita"
    assert run(capsys, "new", proj, "--bars", 16, "--tempo", 90, "--time-signature", "3/4",
               "--key", "D:minor")[0] == 0
    code, out, _ = run(capsys, "info", proj, "--json")
    info = json.loads(out)
    assert (info["tempo"], info["time_signature"], info["key"], info["bars"]) == (90, "3/4", "D:minor", 16)
    assert info["duration"] == pytest.approx(16 * 3 * 60 / 90)
    write_midi(small_project(), tmp_path / "parts.mid")
    write_wav(tmp_path / "drums.wav", 2.0)
    assert run(capsys, "import", proj, tmp_path / "parts.mid", tmp_path / "drums.wav")[0] == 0
    info = json.loads(run(capsys, "info", proj, "--json")[1])
    kinds = [(t["name"], t["kind"], t["role"]) for t in info["tracks"]]
    assert kinds == [("Lead", "midi", "melody"), ("Bass", "midi", "bass"),
                     ("Drums", "midi", "drums"), ("drums 2", "audio", "drums")]
    lead = info["tracks"][0]
    assert lead["notes"][0] == [72, 0.0, 0.5, 90] and lead["instrument"] == "Flute"
    assert info["tracks"][3]["seconds"] == pytest.approx(2.0)
    assert set(info["curves"]) == {"melody", "dynamics", "rhythm"}
    assert run(capsys, "export", proj, "--midi", tmp_path / "out.mid")[0] == 0
    names = [t.name for t in mido.MidiFile(tmp_path / "out.mid").tracks]
    assert names[1:] == ["Lead", "Bass", "Drums"]


def tempo_map_only(path: Path) -> Path:
    """A DAW's tempo-map export: 100 BPM in 3/4, D minor, eight bars long, no notes."""
    midi = mido.MidiFile(ticks_per_beat=480)
    meta = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100)),
                           mido.MetaMessage("time_signature", numerator=3, denominator=4),
                           mido.MetaMessage("key_signature", key="Dm"),
                           mido.MetaMessage("end_of_track", time=8 * 3 * 480)])
    midi.tracks.append(meta)
    midi.save(path)
    return path


def test_info_describes_a_midi_tempo_map_without_notes_and_import_still_refuses_it(tmp_path, capsys):
    path = tempo_map_only(tmp_path / "tempo.mid")
    code, out, _ = run(capsys, "info", path, "--json")
    info = json.loads(out)
    assert code == 0 and info["tracks"] == []
    assert (info["tempo"], info["time_signature"], info["key"], info["bars"]) == (100, "3/4", "D:minor", 8)
    proj = tmp_path / "song.partita"
    assert run(capsys, "new", proj)[0] == 0
    code, _, err = run(capsys, "import", proj, path)
    assert code == 2 and "has no notes" in err


def test_import_into_an_empty_project_says_which_grid_it_took(tmp_path, capsys):
    proj = tmp_path / "song.partita"
    assert run(capsys, "new", proj, "--tempo", 132)[0] == 0
    write_midi(small_project(), tmp_path / "parts.mid")
    code, _, err = run(capsys, "import", proj, tmp_path / "parts.mid")
    assert code == 0 and "took 120 BPM, 4/4, no key from parts.mid (was 132 BPM, 4/4, no key" in err
    code, _, err = run(capsys, "import", proj, tmp_path / "parts.mid")
    assert code == 0 and "took" not in err, "a project with tracks keeps its grid"


def test_import_with_output_leaves_the_input_alone(tmp_path, capsys):
    proj = tmp_path / "a.partita"
    run(capsys, "new", proj)
    before = proj.read_bytes()
    write_wav(tmp_path / "x.wav", 0.5)
    assert run(capsys, "import", proj, tmp_path / "x.wav", "-o", tmp_path / "b.partita")[0] == 0
    assert proj.read_bytes() == before
    assert len(json.loads(run(capsys, "info", tmp_path / "b.partita", "--json")[1])["tracks"]) == 1


def test_info_reads_midi_and_audio_files_directly(tmp_path, capsys):
    write_midi(small_project(), tmp_path / "m.mid")
    info = json.loads(run(capsys, "info", tmp_path / "m.mid", "--json")[1])
    assert [t["role"] for t in info["tracks"]] == ["melody", "bass", "drums"]
    write_wav(tmp_path / "bass.wav", 1.5, rate=48000)
    info = json.loads(run(capsys, "info", tmp_path / "bass.wav", "--json")[1])
    assert info["tracks"][0]["kind"] == "audio" and info["duration"] == pytest.approx(1.5)


@pytest.mark.parametrize("argv, words", [
    (["info", "missing.partita"], "no such file"),
    (["new", "x.txt"], "must end in"),
    (["export", "{proj}"], "nothing to export"),
    (["import", "{proj}", "{bad}"], "not a readable"),
    (["info", "{bad}"], "not a readable"),
    (["frobnicate"], "invalid choice"),
    (["new", "{proj}", "--key", "H:major"], "key"),
    (["new", "{proj}", "--time-signature", "4/5"], "time signature"),
    (["new", "{existing}"], "already exists"),
])
def test_errors_are_one_line_and_exit_2(tmp_path, capsys, argv, words):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF....WAVEjunk")
    existing = tmp_path / "existing.partita"
    run(capsys, "new", existing)
    fill = {"proj": existing, "bad": bad, "existing": existing}
    argv = [a.format(**fill) for a in argv]
    before = existing.read_bytes()
    code, out, err = run(capsys, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("partita: error:") and words in lines[0]
    assert existing.read_bytes() == before


def test_console_script_exit_codes_and_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "app", "info", str(tmp_path / "nope.mid")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("partita: error:")
    done = subprocess.run([sys.executable, "-m", "app", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "export" in done.stdout
