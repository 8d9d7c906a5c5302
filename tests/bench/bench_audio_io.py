"""Import speed and peak memory for a long stereo file (prints the figures).

    python tests/bench/bench_audio_io.py [--minutes 10]

Reads a 16-bit stereo WAV at 44.1 kHz (no resampling) and at 48 kHz (resampled
to 44.1 kHz); prints seconds, x real time, and peak RSS growth as a multiple of
the decoded array (1.0 = the file is held in memory once).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

CHILD = """
import resource, sys, time
from app.audio_io import read_audio
r0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
a = read_audio(sys.argv[1], 44100)
t = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(t, a.nbytes, (r1 - r0) * 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        for rate in (44100, 48000):
            path = Path(tmp) / f"long-{rate}.wav"
            with sf.SoundFile(str(path), "w", rate, 2, subtype="PCM_16") as f:
                rng = np.random.default_rng(0)
                for _ in range(int(args.minutes * 6)):
                    f.write((rng.standard_normal((rate * 10, 2)) * 0.1).astype(np.float32))
            out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                                 text=True, check=True, cwd=root).stdout.split()
            secs, nbytes, grew = float(out[0]), int(out[1]), int(out[2])
            print(f"{args.minutes:g} min stereo WAV at {rate} Hz -> 44100 Hz: {secs:.2f} s "
                  f"({args.minutes * 60 / secs:.0f}x real time), array {nbytes / 2**20:.0f} MiB, "
                  f"peak RSS growth {grew / nbytes:.2f}x the array")


if __name__ == "__main__":
    main()
