"""`partita train` under torchrun: two CPU processes (gloo) train one model, checkpoint once, resume."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from app import models
from app.cli import main
from tests.test_compose_train import midi_folder  # noqa: F401  (a fixture: three small MIDI songs)

ROOT = Path(__file__).resolve().parents[1]


def torchrun(args: list[str], nproc: int = 2) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PARTITA_THREADS="1", OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
           "-m", "app", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def train_args(data: Path, out: Path, steps: int) -> list[str]:
    return ["train", "--data", str(data), "-o", str(out), "--steps", str(steps), "--batch", "2",
            "--from-scratch", "--size", "tiny", "--device", "cpu"]


@pytest.mark.slow
def test_two_processes_train_one_model_and_resume(midi_folder, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "ddp"
    done = torchrun(train_args(midi_folder, out, 4))
    assert done.returncode == 0, done.stderr[-3000:]
    summaries = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(summaries) == 1  # only the leader reports and writes
    assert summaries[0]["steps"] == 4 and summaries[0]["processes"] == 2
    log = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    checkpoints = [r for r in log if "checkpoint" in r]
    assert checkpoints and all(r["processes"] == 2 and r["replicas_agree"] for r in checkpoints)
    assert checkpoints[-1]["step"] == 4
    two, _ = models.load_safetensors(out / "composer.safetensors")

    resumed = torchrun(train_args(midi_folder, out, 6))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    log = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log if "checkpoint" in r][-1] == 6
    assert "resuming" in resumed.stderr

    single = tmp_path / "one"
    assert main(train_args(midi_folder, single, 4)) == 0
    capsys.readouterr()
    one, _ = models.load_safetensors(single / "composer.safetensors")
    assert two.keys() == one.keys()
    # Both streams' gradients moved the shared model: it is not the model one process trains alone.
    assert any(not torch.equal(two[k], one[k]) for k in one)


def test_outside_torchrun_there_is_no_group(monkeypatch):
    from app.distributed import group_from_env

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    assert group_from_env() is None
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("RANK", "2")
    monkeypatch.setenv("LOCAL_RANK", "0")
    group = group_from_env()
    assert group is not None and group.rank == 2 and group.world == 4 and not group.leader
