"""Training the embedded separator: the loss is the masked stems' SDR, the features match the
numpy separator's, a few steps on a fixed batch improve it, and a run exports usable weights."""
from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engines.separate.mask_config import tiny  # noqa: E402
from engines.separate.mask_model import MaskSeparator, from_arrays  # noqa: E402
from engines.separate.mask_torch import MaskModule, to_tensors  # noqa: E402
from engines.separate.mask_train import (TrainConfig, make_batch, optimizer, sdr_loss,  # noqa: E402
                                         train_step)
from engines.separate.stft import stft  # noqa: E402
from tests.separate_helpers import known_mix  # noqa: E402


def test_the_loss_is_the_sdr_of_the_numpy_separators_masks():
    cfg = tiny()
    torch.manual_seed(0)
    module = MaskModule(cfg).eval()
    mix, stems = known_mix(1.0, 44100, 1)
    _, sdr = sdr_loss(module, torch.from_numpy(stems[:, 0])[None], TrainConfig(floor=0.0))
    tensors, meta = to_tensors(module, half=False)
    separator = MaskSeparator(from_arrays({k: v.numpy() for k, v in tensors.items()}, meta), 44100)
    spec = stft(mix[0], cfg.n_fft, cfg.hop)
    truth = stft(stems[:, 0], cfg.n_fft, cfg.hop)
    err = np.abs(separator._masks(np.abs(spec)) * spec - truth) ** 2
    want = 10 * np.log10((np.abs(truth) ** 2).sum(axis=(1, 2)) / err.sum(axis=(1, 2)))
    np.testing.assert_allclose(sdr.numpy(), want, atol=0.01)


def test_a_few_steps_on_one_batch_raise_its_sdr():
    cfg, tcfg = tiny(), TrainConfig(batch=2, crop_s=0.5, lr=1e-2, warmup=1, steps=15, remix=0.0, silence=0.0)
    _, stems = known_mix(2.0, 44100, 1)

    def crop(rng, n):
        start = int(rng.integers(0, stems.shape[-1] - n))
        return stems[:, 0, start:start + n]

    torch.manual_seed(0)
    model = MaskModule(cfg)
    opt = optimizer(model, tcfg)
    batch = make_batch(crop, tcfg, cfg, np.random.default_rng(0))
    first = sdr_loss(model, batch, tcfg)[1].mean()
    for step in range(tcfg.steps):
        train_step(model, opt, batch, tcfg, step)
    assert sdr_loss(model, batch, tcfg)[1].mean() > first + 1.5


def test_a_training_run_resumes_and_exports_weights_the_app_loads(tmp_path, monkeypatch):
    import soundfile as sf

    from app import separate_train
    from app.separate import read_mask_net

    for folder in ("data", "valid"):
        (tmp_path / folder).mkdir()
        for i in range(2):
            _, stems = known_mix(2.0 + i, 44100, 1)
            sf.write(str(tmp_path / folder / f"{i:05d}.flac"), stems[:, 0].T, 44100, subtype="PCM_16")
    args = ["x", "--data", str(tmp_path / "data"), "--valid", str(tmp_path / "valid"), "--out",
            str(tmp_path / "run"), "--hidden", "8", "--batch", "2", "--crop", "0.5", "--eval-every", "2", "--save-every", "2"]
    monkeypatch.setattr("sys.argv", args + ["--steps", "2"])
    separate_train.main()
    monkeypatch.setattr("sys.argv", args + ["--steps", "4"])
    separate_train.main()
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log] == [1, 2, 3, 4] and "valid" in log[-1]
    net = read_mask_net(tmp_path / "run" / "separator.safetensors")
    assert net.config.hidden == 8
