"""Small mixes with known stems, and tiny separator weights, for the separation tests."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from tests import synth


def known_mix(seconds: float = 2.0, rate: int = 44100, channels: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """(mix float32 (channels, n), stems float32 (4, channels, n)): drums, bass, chords, a lead line."""
    rng = np.random.default_rng(7)
    n = int(seconds * rate)
    stems = np.zeros((4, n))
    beat = int(0.25 * rate)
    for i, start in enumerate(range(0, n - beat, beat)):
        hit = synth.drum((synth.KICK, synth.HIHAT, synth.SNARE, synth.HIHAT)[i % 4], rate, rng)[:beat]
        stems[0, start:start + len(hit)] += 0.4 * hit
        for s, (pitch, timbre, gain) in enumerate(((36 + i % 3, synth.BASS, 0.3), (60 + i % 5, synth.PAD, 0.15),
                                                   (72 + (i * 2) % 7, synth.Timbre(8, 1.0, 0.0), 0.2)), 1):
            stems[s, start:start + beat] += gain * synth.tone(pitch, beat / rate, rate, timbre)[:beat]
    pans = np.linspace(0.7, 1.0, channels)[:, None]
    stereo = (stems[:, None, :] * pans[None]).astype(np.float32)
    return stereo.sum(axis=0), stereo


def tiny_separator_file(path: Path, seed: int = 0) -> Path:
    """A randomly initialised tiny embedded separator as .safetensors (format partita.separator/1)."""
    import torch
    from safetensors.torch import save_file

    from engines.separate.mask_config import tiny
    from engines.separate.mask_torch import MaskModule, to_tensors

    torch.manual_seed(seed)
    tensors, meta = to_tensors(MaskModule(tiny()))
    save_file(tensors, str(path), metadata=meta)
    return path


def tiny_demucs_file(path: Path) -> Path:
    """A randomly initialised tiny HDemucs state dict, saved as torchaudio's weights are (torch.save)."""
    import torch

    from engines.separate.hdemucs import build_model, tiny_config

    torch.manual_seed(0)
    torch.save(build_model(tiny_config()).state_dict(), path)
    return path
