"""Training: a fine-tune on a tiny MIDI folder, resuming, and the training pieces of MIDI files."""
from __future__ import annotations

import json

import pytest
import torch

from app import models
from app.cli import main
from app.midi_io import write_midi
from app.project import MidiTrack, Note, Project, Role
from app.train_data import load_spec, midi_piece
from engines.compose.config import TrainConfig, tiny
from engines.compose.data import Piece
from engines.compose.train import train


def song(shift: int) -> Project:
    p = Project(name=f"song{shift}", length_bars=4)
    p.tracks.append(MidiTrack("Lead", [Note(67 + shift + (i % 4), 240 * i, 240, 90) for i in range(32)], role=Role.MELODY))
    p.tracks.append(MidiTrack("Keys", [Note(x + shift, 960 * b, 960, 70) for b in range(8) for x in (55, 60, 64)],
                              role=Role.HARMONY))
    p.tracks.append(MidiTrack("Drums", [Note(36, 480 * i, 60, 100) for i in range(16)], role=Role.DRUMS, is_drum=True))
    return p


@pytest.fixture
def midi_folder(tmp_path):
    folder = tmp_path / "library"
    (folder / "sub").mkdir(parents=True)
    for i in range(3):
        write_midi(song(i), folder / ("sub" if i else "") / f"song{i}.mid")
    (folder / "notes.txt").write_text("not music")
    return folder


def test_a_midi_file_becomes_lanes_with_roles_and_drums_by_family(midi_folder):
    piece = midi_piece(midi_folder / "song0.mid", "user:song0")
    assert piece.n_lanes == 5 and piece.n_steps == 64
    assert piece.roles.tolist() == [0, 1, 1, 1, 4]
    assert piece.lane_rank.tolist() == [0, 0, 1, 2, 0], "the kick lane has the kick's rank"
    assert piece.pitch[4][piece.onset[4]].tolist() == [36] * 16
    assert piece.tempo == 120.0 and piece.velocity[4][piece.onset[4]].tolist() == [100] * 16
    assert len(load_spec(str(midi_folder))) == 3


def test_fine_tune_on_a_midi_folder_changes_the_model_and_resumes(midi_folder, tmp_path, capsys):
    out = tmp_path / "mine"
    args = ["train", "--data", str(midi_folder), "-o", str(out), "--batch", "2", "--device", "cpu"]
    assert main([*args, "--steps", "3"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["steps"] == 3
    tuned, _ = models.load_safetensors(out / "composer.safetensors")
    shipped, _ = models.load_safetensors(models.resolve("composer"))
    assert tuned.keys() == shipped.keys()
    assert any(not torch.equal(tuned[k], shipped[k]) for k in shipped)
    assert main([*args, "--steps", "5"]) == 0
    log = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert log[-1]["step"] == 5
    src = tmp_path / "in.partita"
    from app.projectfile import save_project

    save_project(song(0), src)
    assert main(["infill", str(src), "-o", str(tmp_path / "o.partita"), "--tracks", "Lead",
                 "--model", str(out / "composer.safetensors")]) == 0


def test_train_refuses_unknown_data(tmp_path, capsys):
    assert main(["train", "--data", "nowhere", "-o", str(tmp_path / "m")]) == 2
    assert "--data item 'nowhere'" in capsys.readouterr().err


def test_tiny_training_lowers_the_loss_and_checkpoints_resume_exactly():
    import numpy as np

    pieces = [Piece(f"user:{i}", np.tile(np.repeat(np.array([60, 62, 64, 65], np.uint8), 4), (2, 4)) + i,
                    np.tile(np.arange(64) % 4 == 0, (2, 1)), np.array([0, 2], np.int8),
                    (np.arange(64) % 16).astype(np.uint8), np.full(64, 16, np.uint8)) for i in range(4)]
    cfg = TrainConfig(steps=40, batch=4, window=32, warmup=4, log_every=10, checkpoint_every=20)
    states = []
    result = train(pieces, pieces, tiny(), cfg, device=torch.device("cpu"),
                   on_checkpoint=lambda s, r: states.append((s, r)))
    first_valid = states[0][1].valid_loss
    assert result.valid_loss < first_valid
    resumed = train(pieces, [], tiny(), cfg, device=torch.device("cpu"), state=states[0][0])
    assert resumed.step == 40
