"""Benchmark parts for ``bench_separate.py``: segment/overlap choice, peak memory on long files.

Run through ``python tests/bench/bench_separate.py --only chunks,memory``.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from engines.separate.api import separate
from engines.separate.config import ChunkConfig
from engines.separate.metrics import sdr

ROOT = Path(__file__).resolve().parents[2]
RATE = 44100


def _mean_sdr(pieces: list, sep: object) -> float:
    scores = []
    for _, _, stems in pieces:
        est = separate(sep, stems.sum(axis=0), RATE).audio  # type: ignore[arg-type]
        scores += [sdr(stems[s], est[s]) for s in range(len(stems))]
    return float(np.mean(scores))


def chunks(pieces: list) -> None:
    """Embedded: SDR and time by segment and overlap. Hybrid Demucs (random weights): how far a
    chunked pass strays from one pass over the whole input, by overlap; time by segment."""
    import torch

    from app.separate import load_separator
    from engines.separate.embedded import EmbeddedConfig, EmbeddedSeparator
    from engines.separate.hdemucs import DemucsConfig, DemucsSeparator, build_model

    print(f"\n## Segments and overlaps (load {os.getloadavg()[0]:.1f})")
    net = load_separator("embedded")[0].net  # type: ignore[attr-defined]
    for segment, overlap in ((5, 1), (10, 1), (20, 1), (40, 1), (10, 0), (10, 0.25), (10, 0.5), (10, 2)):
        sep = EmbeddedSeparator(net, EmbeddedConfig(chunk=ChunkConfig(segment, overlap)))
        t0 = time.perf_counter()
        score = _mean_sdr(pieces, sep)
        print(f"embedded, segment {segment:>2} s, overlap {overlap:>4} s: mean SDR {score:+.2f} dB, "
              f"{time.perf_counter() - t0:.1f} s for {len(pieces)} pieces")
    torch.manual_seed(0)
    model = build_model(DemucsConfig())
    mix = pieces[0][2].sum(axis=0)[:, : 20 * RATE]
    whole = separate(DemucsSeparator(model, DemucsConfig(chunk=ChunkConfig(30.0, 0.0))), mix, RATE).audio
    for segment, overlap in ((5, 0.0), (5, 0.1), (5, 0.25), (5, 0.5), (5, 1.0), (10, 1.0)):
        t0 = time.perf_counter()
        cut = separate(DemucsSeparator(model, DemucsConfig(chunk=ChunkConfig(segment, overlap))), mix, RATE).audio
        dt = time.perf_counter() - t0
        print(f"hdemucs (random weights), segment {segment:>2} s, overlap {overlap:>4} s: differs from one pass "
              f"by {sdr(whole, cut):.1f} dB SDR, real-time factor {dt / 20:.2f}")


def _peak_run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(peak RSS in MiB, wall seconds) of one command run to completion."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return usage.ru_maxrss / 1024, time.perf_counter() - t0


def _long_file(path: Path, minutes: float, seed: int = 0) -> None:
    """A stereo 16-bit WAV of ``minutes``: a test song's mix, repeated with varying gain."""
    from tests.bench.bench_separate import pieces

    mix = pieces(1, None)[0][2].sum(axis=0)
    rng = np.random.default_rng(seed)
    total = int(minutes * 60 * RATE)
    with sf.SoundFile(str(path), "w", samplerate=RATE, channels=2, subtype="PCM_16") as fh:
        done = 0
        while done < total:
            block = mix[:, : total - done] * np.float32(rng.uniform(0.5, 1.0))
            fh.write(block.T)
            done += block.shape[1]


def memory(minutes: float, *, hour: bool, demucs: bool) -> None:
    """Peak RSS of ``partita separate`` (a fresh process each) on long stereo files."""
    print(f"\n## Memory (load {os.getloadavg()[0]:.1f})")
    models = ["embedded"] + (["hdemucs"] if demucs else [])
    runs = [(length, model) for length in [minutes] + ([60.0] if hour else []) for model in models]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PARTITA_MODELS=str(Path(tmp) / "models"))
        if demucs:
            _random_demucs(Path(tmp), env)
        for length, model in runs:
            wav = Path(tmp) / f"long-{length:g}.wav"
            if not wav.exists():
                _long_file(wav, length)
            peak, wall = _peak_run([sys.executable, "-m", "app", "separate", str(wav), "-o", str(Path(tmp) / "out"),
                                    "--model", model, "--device", "cpu"], env)
            print(f"{model}: {length:g}-minute stereo file: peak {peak:.0f} MiB, {wall:.0f} s "
                  f"({length * 60 / wall:.1f}x real time)")


def _random_demucs(tmp: Path, env: dict[str, str]) -> None:
    """Hybrid Demucs with random weights, imported as "hdemucs" (its memory does not depend on the weights)."""
    import torch

    from engines.separate.hdemucs import DemucsConfig, build_model

    path = tmp / "hdemucs_high_trained.pt"
    torch.save(build_model(DemucsConfig()).state_dict(), path)
    subprocess.run([sys.executable, "-m", "app", "models", "import", str(path), "--name", "hdemucs"], cwd=ROOT,
                   env=env, check=True, capture_output=True)
