"""Speed and memory of control extraction on a long stereo file.

Renders a band arrangement with the built-in synthesiser, repeats it to
``--minutes`` (default 10) of 44.1 kHz stereo, writes it as a 16-bit WAV, then
times reading + extraction through ``app.controls_project.file_controls`` and
prints the real-time factor, the peak memory the extraction added, and the
progress it reported.

    python tests/bench/bench_controls.py [--minutes 10] [--tracker madmom|librosa]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.audio_io import write_audio  # noqa: E402
from app.cli.common import StderrProgress  # noqa: E402
from app.controls_project import file_controls  # noqa: E402
from engines.controls import ControlsConfig  # noqa: E402
from tests import pieces  # noqa: E402


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def long_file(folder: Path, minutes: float) -> Path:
    piece = pieces.arrangement(8, 126, (4, 4), bars=16)
    loop = pieces.audio(piece)
    reps = int(np.ceil(minutes * 60 * 44100 / loop.shape[1]))
    audio = np.tile(loop, (1, reps))[:, : int(minutes * 60 * 44100)]
    path = folder / "long.wav"
    write_audio(path, audio, 44100, bit_depth="16")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--tracker", default="auto", choices=["auto", "madmom", "librosa"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = long_file(Path(folder), args.minutes)
        seconds = args.minutes * 60
        reports: list[tuple[float, float, str]] = []
        bar = StderrProgress("controls")

        def progress(fraction: float, message: str = "") -> None:
            reports.append((time.perf_counter(), fraction, message))
            bar(fraction, message)

        before = _rss_mb("VmRSS")
        peak_ok = _reset_peak()
        start = time.perf_counter()
        controls = file_controls(path, config=ControlsConfig(beat_tracker=args.tracker),
                                 progress=progress)
        elapsed = time.perf_counter() - start
        peak = _rss_mb("VmHWM")
    print(f"input: {args.minutes:g} min stereo 44.1 kHz 16-bit WAV ({seconds:.0f} s of audio)")
    print(f"read + extract: {elapsed:.1f} s = {seconds / elapsed:.1f}x real time "
          f"(tracker {args.tracker})")
    if peak_ok:
        print(f"memory: {before:.0f} MB before, peak {peak:.0f} MB during "
              f"(+{peak - before:.0f} MB; the decoded stereo input alone is "
              f"{seconds * 44100 * 2 * 4 / 2**20:.0f} MB)")
    print(f"progress reports: {len(reports)}; steps:")
    last = None
    for t, fraction, message in reports:
        if message != last:
            print(f"  {t - start:6.1f} s  {fraction:4.0%}  {message}")
            last = message
    print(f"result: {controls.n_frames} frames, {len(controls.beats)} beats, "
          f"{len(controls.downbeats)} downbeats, median tempo "
          f"{60 / np.median(np.diff(controls.beats)):.1f} BPM (rendered at 126)")


if __name__ == "__main__":
    main()
