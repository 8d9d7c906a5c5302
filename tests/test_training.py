"""`partita train` options from the old GPU script: a deadline that checkpoints, best-or-last weights, a data mix."""
from __future__ import annotations

import json

import pytest

from app.cli import main
from app.midi_io import write_midi
from app.models import check_safetensors
from tests.test_compose_train import midi_folder, song  # noqa: F401  (a fixture: three small MIDI songs)


@pytest.fixture
def with_valid(tmp_path):
    """Songs whose names put one in the validation split (``engines.compose.data.split_of``)."""
    folder = tmp_path / "valid-lib"
    folder.mkdir()
    for i in (0, 1, 14):
        write_midi(song(i % 5), folder / f"song{i}.mid")
    return folder


def args(data, out, *extra):
    return ["train", "--data", str(data), "-o", str(out), "--batch", "2", "--from-scratch", "--size", "tiny",
            "--device", "cpu", *extra]


def test_a_deadline_stops_with_a_checkpoint_that_resumes(midi_folder, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "m"
    assert main(args(midi_folder, out, "--steps", "100000", "--max-seconds", "5")) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["stopped_early"] and 0 <= summary["steps"] < 100000  # setup counts: a loaded machine may stop at 0
    stopped = summary["steps"]
    assert check_safetensors(out / "checkpoint.safetensors")["format"] == "partita.composer-checkpoint/1"
    assert main(args(midi_folder, out, "--steps", str(stopped + 2))) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["steps"] == stopped + 2 and "resuming" in captured.err


def test_keep_best_writes_weights_only_when_validation_improves(with_valid, tmp_path, capsys):
    out = tmp_path / "m"
    assert main(args(with_valid, out, "--steps", "8", "--keep", "best", "--valid-sources", "user")) == 0
    log = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    best = min(r["valid"] for r in log if r.get("valid") is not None)
    weights = check_safetensors(out / "composer.safetensors")
    assert abs(float(weights["valid_loss"]) - best) < 1e-3
    assert [r["best_valid"] for r in log if "checkpoint" in r][-1] == best


def test_a_bad_mix_is_one_line(midi_folder, tmp_path, capsys):  # noqa: F811
    assert main(args(midi_folder, tmp_path / "m", "--mix", "bach=lots")) == 2
    assert capsys.readouterr().err.strip() == "partita: error: --mix item 'bach=lots' is not like bach=3"
