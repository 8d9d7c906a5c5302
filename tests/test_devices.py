"""Devices: auto/cpu/cuda, the thread policy set once per process, and the CPU path end to end."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from app import devices
from app.cli import main
from app.errors import PartitaError
from app.projectfile import load_project, save_project
from tests.test_infill import chorale_project, notes_of

ROOT = Path(__file__).resolve().parents[1]


def test_auto_follows_what_torch_sees(monkeypatch):
    assert devices.resolve_device("cpu") == "cpu"
    assert devices.resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    monkeypatch.setattr(devices, "cuda_available", lambda: False)
    assert devices.resolve_device("auto") == "cpu"
    with pytest.raises(PartitaError, match="torch sees none here; use --device cpu or auto"):
        devices.resolve_device("cuda")
    with pytest.raises(PartitaError, match="not one of auto, cpu, cuda"):
        devices.resolve_device("tpu")


def test_threads_are_set_once_per_process_and_engine_calls_leave_them(tmp_path):
    code = ("import torch\nfrom app import devices\nfrom app.infill import InfillRequest, Infiller\n"
            "from tests.test_infill import chorale_project\n"
            "print(devices.threads_in_force(), devices.configure_threads(), torch.get_num_threads())\n"
            "torch.set_num_threads(1)\n"  # something else changes it afterwards: nobody moves it back
            "p = chorale_project()\n"
            "Infiller(device='cpu').run(p, InfillRequest(track_ids=(p.tracks[1].id,), bars=(2, 2)))\n"
            "print(devices.configure_threads(4), torch.get_num_threads())\n")
    env = {"PATH": "/usr/bin:/bin", "PARTITA_THREADS": "2", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.split("\n")[:2]
    assert first == "None 2 2" and second == "2 1"


def test_a_bad_thread_setting_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("PARTITA_THREADS", "many")
    with pytest.raises(PartitaError, match="PARTITA_THREADS='many' is not a whole number"):
        devices.default_threads()
    monkeypatch.setenv("PARTITA_THREADS", "0")
    with pytest.raises(PartitaError, match="at least 1"):
        devices.default_threads()


def test_infill_on_the_cpu_writes_the_bars_and_matches_auto_on_a_cpu_machine(tmp_path):
    src = tmp_path / "in.partita"
    save_project(chorale_project(), src)
    args = ["infill", str(src), "--tracks", "Alto", "--bars", "3-4", "--seed", "2"]
    assert main([*args, "--device", "cpu", "-o", str(tmp_path / "cpu.partita")]) == 0
    written = [n for n in notes_of(load_project(tmp_path / "cpu.partita"), "Alto") if 3840 <= n.start < 7680]
    assert written and all(40 <= n.pitch <= 90 for n in written)
    if not torch.cuda.is_available():
        assert main([*args, "--device", "auto", "-o", str(tmp_path / "auto.partita")]) == 0
        assert notes_of(load_project(tmp_path / "auto.partita"), "Alto") == notes_of(
            load_project(tmp_path / "cpu.partita"), "Alto")


def test_asking_for_a_missing_gpu_is_exit_2_with_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(devices, "cuda_available", lambda: False)
    src = tmp_path / "in.partita"
    save_project(chorale_project(), src)
    assert main(["infill", str(src), "-o", str(tmp_path / "o.partita"), "--tracks", "Alto",
                 "--device", "cuda"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["partita: error: the GPU (cuda) was asked for but torch sees none here; use --device cpu "
                   "or auto (in the window: Engines ▸ Run engines on)"]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_infill_on_the_gpu_writes_the_same_kind_of_notes(tmp_path):
    from app.infill import InfillRequest, Infiller

    project = chorale_project()
    infiller = Infiller(device="cuda")
    assert next(infiller.engine.model.parameters()).device.type == "cuda"
    command = infiller.run(project, InfillRequest(track_ids=(project.tracks[1].id,), bars=(3, 4)))[0]
    command.do(project)
    assert [n for n in project.tracks[1].notes if 3840 <= n.start < 7680]


def test_training_on_a_missing_gpu_fails_before_reading_any_data(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(devices, "cuda_available", lambda: False)
    (tmp_path / "songs").mkdir()  # not even a song in it: the device is checked first
    assert main(["train", "--data", str(tmp_path / "songs"), "-o", str(tmp_path / "model"), "--device", "cuda"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["partita: error: the GPU (cuda) was asked for but torch sees none here; use --device cpu "
                   "or auto (in the window: Engines ▸ Run engines on)"]
    assert not (tmp_path / "model").exists()
