"""Running the real ``partita`` command as a user does, and making fresh inputs for it.

Used by ``tests/test_contract*.py``: every call is ``python -m ui.cli ARGS`` in a
subprocess with the repository root as working directory, and with HOME, the
cache and the user model folder pointed at a private folder, so a test never
reads or writes the user's or the repository's folders.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ERROR_PREFIX = "partita: error:"
PARALLEL = 2
"""Commands run side by side where a test needs many: the machine has two cores."""


@dataclass(frozen=True)
class Run:
    """One finished ``partita`` command: its arguments, exit status and output."""

    argv: tuple[str, ...]
    rc: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith(ERROR_PREFIX)]

    def ok(self) -> Run:
        """Assert success (exit 0, no traceback) and return self."""
        assert self.rc == 0 and "Traceback" not in self.err, self.describe()
        return self

    def usage_error(self) -> str:
        """Assert exit 2 with exactly one ``partita: error:`` line (the last) and no traceback."""
        assert self.rc == 2, self.describe()
        assert "Traceback" not in self.err, self.describe()
        assert len(self.error_lines) == 1, self.describe()
        assert self.err.strip().splitlines()[-1] == self.error_lines[0], self.describe()
        return self.error_lines[0]

    def json(self) -> Any:
        self.ok()
        return json.loads(self.out)

    def describe(self) -> str:
        return f"partita {' '.join(self.argv)}\nexit {self.rc}\nstdout: {self.out[-2000:]}\nstderr: {self.err[-3000:]}"


def make_work(base: Path) -> dict[str, Any]:
    """Private folders, an environment and fresh inputs under ``base``.

    ``in/``: waltz.mid (100 BPM, 3/4, D minor, 12 bars), rock.mid (132 BPM, 4/4,
    A major, 8 bars, the bass from bar 3), jig.mid (120 BPM, 6/8, E major, 4
    bars); waltz.wav (its render, 44.1 kHz stereo) and rock.wav (48 kHz);
    clip_mono48.wav (2 s of the waltz, mono, 48 kHz, 24-bit); corrupt.wav and
    notes.txt. ``waltz_stems/``: the waltz's rendered stems ("01 Lead.wav", ...).
    ``out/``: empty, for outputs. "digest": the inputs' hashes.
    """
    env = user_env(base)
    inputs = base / "in"
    inputs.mkdir()
    write_song(inputs / "waltz.mid", bpm=100, meter=(3, 4), key="Dm", bars=12)
    write_song(inputs / "rock.mid", bpm=132, meter=(4, 4), key="A", bars=8, bass_from_bar=3)
    write_song(inputs / "jig.mid", bpm=120, meter=(6, 8), key="E", bars=4)
    for run in partita_many(env, [
            ["render", inputs / "waltz.mid", "-o", inputs / "waltz.wav", "--stems", base / "waltz_stems"],
            ["render", inputs / "rock.mid", "-o", inputs / "rock.wav", "--sample-rate", 48000]]):
        run.ok()
    derive_audio(inputs / "waltz.wav", inputs / "clip_mono48.wav", seconds=2.0, rate=48000, channels=1,
                 subtype="PCM_24")
    (inputs / "corrupt.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt garbage")
    (inputs / "notes.txt").write_text("not music\n")
    out = base / "out"
    out.mkdir()
    return {"base": base, "env": env, "in": inputs, "out": out, "stems": base / "waltz_stems",
            "digest": digest([inputs])}


def user_env(base: Path) -> dict[str, str]:
    """A user's environment whose home, cache and model folder live under ``base``."""
    env = dict(os.environ)
    for var in list(env):
        if var.startswith(("PARTITA_", "XDG_")):
            del env[var]
    env.update({
        "HOME": str(base / "home"),
        "XDG_CONFIG_HOME": str(base / "home" / ".config"),
        "XDG_DATA_HOME": str(base / "home" / ".local" / "share"),
        "XDG_CACHE_HOME": str(base / "home" / ".cache"),
        "PARTITA_CACHE": str(base / "cache"),
        "PARTITA_MODELS": str(base / "models"),
        "PARTITA_OFFLINE": "1",          # nothing downloads in tests
        "PARTITA_SOUNDFONT": "none",     # a font installed here must not change results
        "PARTITA_THREADS": "1",
        "QT_QPA_PLATFORM": "offscreen",
    })
    for sub in ("home", "cache", "models"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    return env


def partita(env: dict[str, str], *args: object, timeout: float = 300) -> Run:
    """Run ``partita ARGS`` (the installed command's module) from the repository root."""
    argv = tuple(str(a) for a in args)
    done = subprocess.run([sys.executable, "-m", "ui.cli", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return Run(argv, done.returncode, done.stdout, done.stderr)


def partita_many(env: dict[str, str], calls: Sequence[Sequence[object]]) -> list[Run]:
    """Run several independent commands, ``PARALLEL`` at a time, results in order."""
    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(lambda argv: partita(env, *argv), calls))


def digest(paths: Sequence[Path]) -> dict[Path, str]:
    """sha256 of each file (of each file under a folder)."""
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*")))
             if f.is_file()]
    return {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


@contextmanager
def untouched(*paths: Path) -> Iterator[None]:
    """Assert the files (and folders) are byte-identical after the block."""
    before = digest(paths)
    yield
    assert digest(paths) == before, "an input file was modified"


def write_song(path: Path, *, bpm: float, meter: tuple[int, int], key: str, bars: int,
               bass_from_bar: int = 1) -> Path:
    """A three-part MIDI file (Flute lead, bass, drums) in ``key`` ("Dm", "E", ...).

    The lead walks the scale in beats, the bass holds the tonic and fifth a bar
    each from ``bass_from_bar`` (1-based), the drums play kick on the one,
    snare half-way and hi-hats in between, so a beat tracker hears the meter.
    """
    import mido

    num, den = meter
    tonic = 60 + ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"].index(key.rstrip("m"))
    scale = [0, 2, 3, 5, 7, 8, 10] if key.endswith("m") else [0, 2, 4, 5, 7, 9, 11]
    beat = 480 * 4 // den
    bar = beat * num
    lead = [(tonic + 12 + scale[(3 * i) % 7], i * beat, beat, 90) for i in range(bars * num)]
    bass = [(tonic - 24 + (0 if b % 2 == 0 else 7), b * bar, bar - 10, 100)
            for b in range(bass_from_bar - 1, bars)]
    drums = []
    for b in range(bars):
        for k in range(num):
            start = b * bar + k * beat
            drums += [(_drum(k, num), start, 60, 120 if k == 0 else 80), (42, start + beat // 2, 60, 50)]
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    meta = mido.MidiTrack([
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm)),
        mido.MetaMessage("time_signature", numerator=num, denominator=den),
        mido.MetaMessage("key_signature", key=key)])
    mid.tracks.append(meta)
    for name, channel, program, notes in (("Lead", 0, 73, lead), ("Bass", 1, 33, bass),
                                          ("Drums", 9, 0, drums)):
        mid.tracks.append(_midi_track(name, channel, program, notes))
    mid.save(str(path))
    return path


def _drum(beat: int, beats_per_bar: int) -> int:
    """Kick on the one (and the 3 of 4/4), snare on the off-beats of the meter, else hi-hat."""
    if beat == 0 or (beats_per_bar == 4 and beat == 2):
        return 36
    if beats_per_bar % 3 == 0 and beats_per_bar > 3:  # compound: 6/8, 9/8, 12/8
        return 38 if beat % 3 == 0 else 42
    return 38 if beats_per_bar == 3 or beat % 2 else 42


def _midi_track(name: str, channel: int, program: int, notes: list[tuple[int, int, int, int]]):
    import mido

    track = mido.MidiTrack([mido.MetaMessage("track_name", name=name)])
    if channel != 9:
        track.append(mido.Message("program_change", channel=channel, program=program))
    events = sorted([(s, 1, p, v) for p, s, d, v in notes] + [(s + d, 0, p, 0) for p, s, d, v in notes])
    now = 0
    for tick, on, pitch, velocity in events:
        kind = "note_on" if on else "note_off"
        track.append(mido.Message(kind, channel=channel, note=pitch, velocity=velocity, time=tick - now))
        now = tick
    return track


def derive_audio(src: Path, dst: Path, *, seconds: float | None = None, rate: int | None = None,
                 channels: int | None = None, subtype: str = "PCM_16") -> Path:
    """A copy of ``src`` cut to ``seconds``, resampled to ``rate``, folded or spread to ``channels``."""
    import soundfile as sf
    import soxr

    data, sr = sf.read(str(src), dtype="float32", always_2d=True)
    if seconds is not None:
        data = data[: int(round(seconds * sr))]
    if channels is not None and channels != data.shape[1]:
        data = (data.mean(axis=1, keepdims=True) if channels == 1
                else np.repeat(data.mean(axis=1, keepdims=True), channels, axis=1))
    if rate is not None and rate != sr:
        data, sr = soxr.resample(data, sr, rate).astype(np.float32), rate
    sf.write(str(dst), data, sr, subtype=subtype)
    return dst


def write_empty_wav(path: Path) -> Path:
    """A valid stereo 44.1 kHz WAV file with no frames."""
    import soundfile as sf

    sf.write(str(path), np.zeros((0, 2), np.float32), 44100)
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """float64 (frames, channels) and the sample rate."""
    import soundfile as sf

    data, rate = sf.read(str(path), dtype="float64", always_2d=True)
    return data, rate


def track_notes(info: dict[str, Any], name: str) -> list[list[float]]:
    """The ``notes`` of the track called ``name`` in an ``info --json`` object."""
    matches = [t for t in info["tracks"] if t["name"] == name]
    assert len(matches) == 1, [t["name"] for t in info["tracks"]]
    return matches[0]["notes"]
