"""Benchmark: stem separation quality, speed and memory.

Quality: 20-s excerpts of band songs whose tunes are in the test split (never
trained on), rendered from MIDI at their own levels (drums, bass, other, and
the tune on a voice-like lead patch standing in for vocals), once with the
training timbres and once with a SoundFont kept out of training. For each
stem: SDR of the embedded separator, the DSP separator, a plain
harmonic/percussive split and the mixture itself, both as whole-signal SDR
(mean over pieces) and museval-style (median over 1-s frames, median over
pieces); the songs at their rendered levels and again with the four stems
brought to equal loudness. Speed: ``partita separate`` on a 20-s song from a cold start, the
embedded separator in process, Hybrid Demucs with random weights on the CPU,
and the segment/overlap measurements behind the defaults. Memory: peak RSS of
``partita separate`` on long files. Run from the repository root:

    python tests/bench/bench_separate.py [--pieces 12] [--only quality,speed,chunks,memory]
                                         [--memory-minutes 10] [--hour] [--demucs-memory]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

from engines.separate import SOURCES  # noqa: E402
from engines.separate.api import separate  # noqa: E402
from engines.separate.metrics import framewise_sdr, sdr  # noqa: E402

RATE = 44100
EXCERPT_S = 20.0
PUBLISHED = {"Demucs v2": 6.3, "Hybrid Demucs": 7.7, "HT Demucs": 9.0}
"""Published museval SDR on MUSDB18 test (mean of the four stems' median SDRs)."""


def load(uptime: bool = True) -> str:
    return os.getloadavg().__repr__() if uptime else ""


# -- pieces --------------------------------------------------------------------------------------------------------
def pieces(count: int, font: str | None) -> list[tuple[str, str, np.ndarray]]:
    """(song, font, stems float32 (4, 2, n)) of ``count`` test songs, rendered once and cached."""
    from app.separate_data import TRAIN_FONTS, band_songs, load_font, render_example
    from app.settings import cache_dir

    folder = cache_dir() / "separate-bench"
    folder.mkdir(parents=True, exist_ok=True)
    out: list[tuple[str, str, np.ndarray]] = []
    fonts: dict[str, object] = {}
    for i, (name, project) in enumerate(band_songs("test", seed=12)):
        if len(out) >= count:
            break
        chosen = font or TRAIN_FONTS[len(out) % len(TRAIN_FONTS)]
        path = folder / f"{i:03d}-{chosen}.flac"
        if not path.exists():
            fonts.setdefault(chosen, load_font(chosen))
            ex = render_example(name, project, {chosen: fonts[chosen]}, np.random.default_rng([12, i]),  # type: ignore[dict-item]
                                seconds=EXCERPT_S, vary=False)
            if ex is None:
                continue
            peak = float(np.abs(ex.stems).max())  # FLAC holds [-1, 1): scale all stems alike if one is louder
            sf.write(str(path), (ex.stems * (0.99 / max(peak, 0.99))).reshape(8, -1).T, RATE, subtype="PCM_24")
        data, _ = sf.read(str(path), dtype="float32", always_2d=True)
        out.append((name, chosen, data.T.reshape(4, 2, -1).copy()))
    return out


# -- quality -------------------------------------------------------------------------------------------------------
def separators() -> dict[str, object]:
    from app.separate import load_separator
    from engines.separate.dsp import DspConfig, DspSeparator

    embedded, note = load_separator("embedded")
    if note or embedded.method != "embedded":
        print(f"note: {note or 'the embedded weights are not installed; embedded = ' + embedded.method}")
    return {"embedded": embedded, "dsp": DspSeparator(), "hpss": DspSeparator(DspConfig(follow_lead=False))}


def score(truth: np.ndarray, estimates: np.ndarray) -> np.ndarray:
    """(4, 2): whole-signal and framewise SDR per stem."""
    return np.array([[sdr(truth[s], estimates[s]), framewise_sdr(truth[s], estimates[s], RATE)]
                     for s in range(len(SOURCES))])


def balanced(stems: np.ndarray) -> np.ndarray:
    """The stems scaled to equal RMS (the mix of a more evenly balanced band)."""
    rms = np.sqrt((stems.reshape(len(stems), -1) ** 2).mean(axis=1))
    return stems * (rms.mean() / np.maximum(rms, 1e-9))[:, None, None].astype(np.float32)


def quality(count: int, font: str | None, title: str, *, even: bool = False) -> None:
    songs = [(n, c, balanced(s) if even else s) for n, c, s in pieces(count, font)]
    methods = separators()
    table: dict[str, list[np.ndarray]] = {name: [] for name in ("mixture", *methods)}
    for name, chosen, stems in songs:
        mix = stems.sum(axis=0)
        table["mixture"].append(score(stems, np.repeat(mix[None], 4, axis=0)))
        for method, sep in methods.items():
            table[method].append(score(stems, separate(sep, mix, RATE).audio))  # type: ignore[arg-type]
    fonts = sorted({c for _, c, _ in songs})
    print(f"\n## Quality, {title}: {len(songs)} test songs, {EXCERPT_S:.0f}-s excerpts, fonts {', '.join(fonts)}")
    for col, label in ((0, "whole-signal SDR (dB), mean over pieces"),
                       (1, "museval-style SDR (dB): median over 1-s frames, median over pieces")):
        print(f"\n{label}\n| method | {' | '.join(SOURCES)} | mean |\n|---|{'---|' * (len(SOURCES) + 1)}")
        for method, rows in table.items():
            arr = np.array(rows)[:, :, col]
            per = np.nanmean(arr, axis=0) if col == 0 else np.nanmedian(arr, axis=0)
            print(f"| {method} | {' | '.join(f'{v:+.1f}' for v in per)} | {per.mean():+.1f} |")
    print("\nPublished museval SDR on MUSDB18 (real recordings), mean of the four stems: "
          + ", ".join(f"{k} {v}" for k, v in PUBLISHED.items()))


# -- speed ---------------------------------------------------------------------------------------------------------
def speed() -> None:
    import torch

    from engines.separate.hdemucs import DemucsConfig, DemucsSeparator, build_model

    name, _, stems = pieces(1, None)[0]
    mix = stems.sum(axis=0)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "song.wav"
        sf.write(str(wav), mix.T, RATE, subtype="PCM_16")
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "app", "separate", str(wav), "-o", str(Path(tmp) / "stems"),
                            "--model", "embedded"], check=True, cwd=ROOT, capture_output=True)
            times.append(time.perf_counter() - t0)
        written, _ = sf.read(str(wav), dtype="float32", always_2d=True)
        total = sum(sf.read(str(Path(tmp) / "stems" / f"{s}.wav"), dtype="float32", always_2d=True)[0]
                    for s in SOURCES)
    err = float(np.abs(total - written).max())
    best = min(times)
    print(f"\n## Speed (load {load()})\n`partita separate` (embedded) of a {EXCERPT_S:.0f}-s song, cold start "
          f"to four files: best {best:.2f} s of 3 = {EXCERPT_S / best:.1f}x real time; the four stems sum to the "
          f"input within {err:.1e} (largest sample difference, full scale 1; SNR {sdr(written.T, total.T):.0f} dB)")
    emb = separators()["embedded"]
    t0 = time.perf_counter()
    separate(emb, mix, RATE)  # type: ignore[arg-type]
    dt = time.perf_counter() - t0
    print(f"embedded separator in process: {dt:.2f} s = {EXCERPT_S / dt:.1f}x real time")
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    model = build_model(DemucsConfig())
    sep = DemucsSeparator(model, DemucsConfig())
    t0 = time.perf_counter()
    separate(sep, mix, RATE)
    dt = time.perf_counter() - t0
    print(f"Hybrid Demucs (random weights, CPU, {torch.get_num_threads()} threads, 10-s segments, 1-s overlap): "
          f"{dt:.1f} s for {EXCERPT_S:.0f} s = real-time factor {dt / EXCERPT_S:.2f} "
          f"({'GPU: ' + torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no GPU here'})")
    if torch.cuda.is_available():
        gpu = DemucsSeparator(build_model(DemucsConfig()), DemucsConfig(), device="cuda")
        separate(gpu, mix[:, : RATE * 2], RATE)
        t0 = time.perf_counter()
        separate(gpu, mix, RATE)
        dt = time.perf_counter() - t0
        print(f"Hybrid Demucs on the GPU: real-time factor {dt / EXCERPT_S:.3f}")


if __name__ == "__main__":
    from tests.bench.bench_separate_chunks import chunks, memory  # noqa: E402

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pieces", type=int, default=12)
    parser.add_argument("--only", default="quality,speed,chunks,memory")
    parser.add_argument("--memory-minutes", type=float, default=10.0)
    parser.add_argument("--hour", action="store_true",
                        help="also separate a 1-hour file (embedded; Hybrid Demucs too with --demucs-memory)")
    parser.add_argument("--demucs-memory", action="store_true",
                        help="also the peak memory of Hybrid Demucs (random weights) on --memory-minutes")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    print(f"# Separation benchmark (load {load()})")
    if "quality" in parts:
        quality(args.pieces, None, "training timbres (FluidR3, TimGM6mb, built-in synth)")
        quality(args.pieces, None, "training timbres, the four stems at equal loudness", even=True)
        quality(args.pieces, "musescore", "unseen timbres (MuseScore General, never trained on)")
    if "speed" in parts:
        speed()
    if "chunks" in parts:
        chunks(pieces(4, None))
    if "memory" in parts:
        memory(args.memory_minutes, hour=args.hour, demucs=args.demucs_memory)
