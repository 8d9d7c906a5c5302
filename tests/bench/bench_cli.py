"""Benchmark: what `partita` commands cost from process start, as a user runs them.

Each figure is a fresh process (``python -m app ...``), so it includes the
interpreter, the imports and, for render, loading the SoundFont:
- ``import app, engines`` alone;
- ``info``, ``new`` and ``models list`` (they run no engine: well under 0.5 s);
- ``render`` of a 20 s, six-track song (melody, strings, bass, drums, piano,
  pad; a dynamics swell) with the built-in synthesiser and with a SoundFont
  (``--soundfont``, default: the one ``partita render`` would find), as
  seconds and as a multiple of real time (music seconds per wall second).
Prints the median wall time and CPU time (user + system of the child) of
``--runs`` runs, and the load average, since wall times on a shared machine
are only as good as the load lets them be. Run from the repository root:

    python tests/bench/bench_cli.py [--runs 5] [--soundfont FILE|none]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from app.project import PPQ, MidiTrack, Note, Project, Role  # noqa: E402
from bench_render import bench_project  # noqa: E402

SONG_SECONDS = 20.0


def six_track_song() -> Project:
    """bench_render's four tracks over 10 bars at 120 BPM (20 s), plus piano chords and a pad."""
    project = bench_project(10)
    bar = 4 * PPQ
    piano = [Note(60 + o, b * bar + k * PPQ, PPQ, 80) for b in range(10) for k in range(4)
             for o in (0, 4, 7)]
    pad = [Note(48 + o, b * bar, bar, 70) for b in range(10) for o in (0, 7)]
    project.tracks += [MidiTrack("Piano", piano, role=Role.HARMONY, program=0),
                       MidiTrack("Pad", pad, role=Role.HARMONY, program=89)]
    assert abs(project.duration - SONG_SECONDS) < 1e-6
    return project


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(label: str, argv: list[str], env: dict[str, str], runs: int,
            music: float | None = None) -> None:
    run(argv, env)  # warm the file cache
    results = [run(argv, env) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    speed = f"; {music / wall:.0f}x real time ({music / cpu:.0f}x by CPU time)" if music else ""
    print(f"{label:<44} wall {wall:5.2f} s (best {min(r[0] for r in results):.2f}), "
          f"cpu {cpu:5.2f} s{speed}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--soundfont", help="a .sf2/.sf3 for the SoundFont render, or 'none' to skip it")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(folder), XDG_CONFIG_HOME=str(folder),
               XDG_DATA_HOME=str(folder), XDG_CACHE_HOME=str(folder))
    from app.projectfile import save_project
    from app.soundfonts import find_soundfont

    song = folder / "song.partita"
    save_project(six_track_song(), song)
    font = args.soundfont or str(find_soundfont() or "none")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} CPUs; median of {args.runs} runs")
    measure("import app, engines", ["-c", "import app, engines"], env, args.runs)
    measure("partita info SONG --json", ["-m", "app", "info", str(song), "--json"], env, args.runs)
    measure("partita new OUT --bars 16 --force", ["-m", "app", "new", str(folder / "new.partita"),
                                          "--bars", "16", "--force"], env, args.runs)
    measure("partita models list", ["-m", "app", "models", "list"], env, args.runs)
    render = ["-m", "app", "render", str(song), "-o", str(folder / "mix.wav")]
    measure("render 20 s x 6 tracks, built-in synth", [*render, "--soundfont", "none"], env,
            args.runs, SONG_SECONDS)
    if font.lower() == "none":
        print("render with a SoundFont: skipped (none installed; give --soundfont FILE)")
    else:
        measure(f"render 20 s x 6 tracks, {Path(font).name}", [*render, "--soundfont", font], env,
                args.runs, SONG_SECONDS)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
