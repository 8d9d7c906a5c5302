"""Songs with known stems, for training and benchmarking the embedded separator.

A band song (``app.band_data``: a corpus tune over mma drums, bass and
comping) is rendered track by track through Partita's renderer, with a
SoundFont or the built-in synthesiser, and its tracks are summed into the
four stems: drums (drum tracks), bass (bass tracks), vocals (the tune, played
by a voice-like lead patch standing in for a singer) and other (everything
else). Levels and pans vary per song so no stem always dominates.

Splits follow the tune (``engines.compose.data.split_of``): a song is train,
valid or test with its tune, so a benchmark song's tune was never heard in
training. Run ``python -m app.separate_data --split train --count N --out DIR``
to write excerpts as 4-channel FLAC files (one mono stem per channel).
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

import numpy as np

from app.project import MidiTrack, Project, Role, Track
from engines.render import SoundFont
from engines.separate import SOURCES

LEAD_PROGRAMS = (52, 53, 54, 56, 64, 65, 66, 67, 68, 71, 73, 74, 75, 79, 80, 81, 82, 85)
"""GM patches the lead line is played with: choir and voice, trumpet, saxes, oboe, clarinet,
flutes, ocarina, and the square, saw, calliope and voice synth leads."""
FONTS = {"fluid": "/usr/share/sounds/sf2/FluidR3_GM.sf2", "timgm": "/usr/share/sounds/sf2/TimGM6mb.sf2",
         "musescore": "/usr/share/sounds/sf3/MuseScore_General_Full.sf3", "builtin": ""}
"""Timbre sources by short name ("builtin": Partita's own synthesiser)."""
TRAIN_FONTS = ("fluid", "timgm", "builtin")
UNSEEN_FONT = "musescore"
"""Kept out of training, to measure how the separator does on timbres it never heard."""
GAIN_DB = 8.0
"""Training songs: each stem's level moves by a uniform random +-this many dB."""
OTHER_PROGRAMS = (0, 1, 2, 4, 5, 6, 7, 11, 16, 17, 18, 19, 21, 24, 25, 26, 27, 28, 29, 30, 46, 48, 49, 50,
                  51, 61, 62, 88, 89, 90, 91, 92, 94, 95)
"""Pianos, electric pianos, vibraphone, organs, accordion, guitars, harp, strings, brass sections, pads."""
BASS_PROGRAMS = tuple(range(32, 40))
SWAP = 0.3
"""Training songs: chance that a bass or comping track gets a random patch of its family list."""


def stem_of(track: MidiTrack) -> str:
    """Which of ``SOURCES`` a band track belongs to."""
    if track.is_drum:
        return "drums"
    if track.role == Role.BASS:
        return "bass"
    if track.role == Role.MELODY:
        return "vocals"
    return "other"


def restyle(project: Project, rng: np.random.Generator, *, vary: bool = True) -> Project:
    """A copy whose lead plays a voice-like patch. With ``vary`` (training songs) the stems'
    levels and the tracks' pans are random, and some bass and comping patches change."""
    gains = {name: rng.uniform(-GAIN_DB, GAIN_DB) if vary else 0.0 for name in SOURCES}
    tracks: list[Track] = []
    for track in project.midi_tracks():
        stem = stem_of(track)
        program = track.program
        if stem == "vocals":
            program = int(rng.choice(LEAD_PROGRAMS))
        elif vary and stem in ("bass", "other") and rng.random() < SWAP:
            program = int(rng.choice(BASS_PROGRAMS if stem == "bass" else OTHER_PROGRAMS))
        pan = float(rng.uniform(-0.6, 0.6)) if vary else track.pan
        tracks.append(replace(track, program=program, gain_db=track.gain_db + gains[stem], pan=pan,
                              muted=False, solo=False))
    return replace(project, tracks=tracks)


def render_stems(project: Project, sound_font: SoundFont | None, sample_rate: int = 44100) -> np.ndarray:
    """float32 (4, 2, n): the project's tracks rendered and summed per stem (``SOURCES`` order)."""
    from app.mixdown import render_project

    mixdown = render_project(project, sample_rate=sample_rate, sound_font=sound_font)
    n = mixdown.mix.shape[1]
    out = np.zeros((len(SOURCES), 2, n), dtype=np.float32)
    for track in project.midi_tracks():
        out[SOURCES.index(stem_of(track))] += mixdown.stems[track.id][:, :n]
    return out


def excerpt(stems: np.ndarray, seconds: float, rng: np.random.Generator, sample_rate: int) -> np.ndarray | None:
    """A random ``seconds`` window (…, n) of ``stems`` in which every stem sounds, or None."""
    n = int(seconds * sample_rate)
    if stems.shape[-1] < n:
        return None
    for _ in range(8):
        start = int(rng.integers(0, stems.shape[-1] - n + 1))
        window = stems[..., start:start + n]
        energy = (window.reshape(len(SOURCES), -1) ** 2).mean(axis=1)
        if energy.min() > 1e-7:
            return window
    return None


def load_font(name: str) -> SoundFont | None:
    if not FONTS[name]:
        return None
    from app.soundfonts import load_soundfont

    return load_soundfont(FONTS[name])


def band_songs(split: str, seed: int, corpora: tuple[str, ...] = ("essen", "oneills"),
               ) -> Iterator[tuple[str, Project]]:
    """(name, project) of band songs whose tunes (from ``corpora``) are in ``split``, in an
    order fixed by ``seed``."""
    from app.band_data import songs
    from app.train_data import corpus_pieces
    from engines.compose.data import split_of

    pool = [t for c in corpora for t in corpus_pieces(c) if split_of(t.name) == split]
    order = np.random.default_rng(seed).permutation(len(pool))
    for name, _arr, project in songs([pool[i] for i in order], seed=seed):
        yield name, project


@dataclass(frozen=True)
class Example:
    """One rendered excerpt: ``stems`` float32 (4, 2, n), the song and the timbre source."""

    name: str
    font: str
    stems: np.ndarray


def render_example(name: str, project: Project, fonts: dict[str, SoundFont | None], rng: np.random.Generator, *,
                   seconds: float, sample_rate: int = 44100, vary: bool = True) -> Example | None:
    """The song restyled, rendered with a font drawn from ``fonts``, cut to a ``seconds`` excerpt
    in which every stem sounds (None when the song has no such window)."""
    font = str(rng.choice(sorted(fonts)))
    stems = render_stems(restyle(project, rng, vary=vary), fonts[font], sample_rate)
    window = excerpt(stems, seconds, rng, sample_rate)
    return None if window is None else Example(name, font, window)


def write_set(out: Path, split: str, count: int, fonts: tuple[str, ...], *, seconds: float, seed: int,
              corpora: tuple[str, ...] = ("essen", "oneills")) -> None:
    """Write ``count`` excerpts as ``NNNNN.flac`` (4 channels: mono stems) plus ``index.jsonl``.

    Resumable: songs already tried (``index.jsonl``) are skipped without rendering; each song's
    random choices depend only on (seed, its position), so a resumed set equals an unbroken one.
    """
    import soundfile as sf

    out.mkdir(parents=True, exist_ok=True)
    index_path = out / "index.jsonl"
    seen = [json.loads(line) for line in index_path.read_text().splitlines()] if index_path.exists() else []
    written = sum(1 for r in seen if r["file"])
    loaded = {name: load_font(name) for name in fonts}
    started = time.monotonic()
    with open(index_path, "a") as index:
        for i, (name, project) in enumerate(band_songs(split, seed, corpora)):
            if written >= count:
                break
            if i < len(seen):
                continue
            ex = render_example(name, project, loaded, np.random.default_rng([seed, i]), seconds=seconds)
            record: dict[str, str | None] = {"song": name, "file": None, "font": None}
            if ex is not None:
                mono = ex.stems.mean(axis=1)
                peak = float(np.abs(mono).max())
                file = f"{written:05d}.flac"
                record |= {"file": file, "font": ex.font}
                sf.write(str(out / file), (mono * (0.99 / max(peak, 0.99))).T, 44100, subtype="PCM_16")
                written += 1
            index.write(json.dumps(record) + "\n")
            index.flush()
            print(f"{written}/{count} {name} {record['font']} {time.monotonic() - started:.0f}s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Render band songs into separator training excerpts.")
    parser.add_argument("--split", choices=("train", "valid", "test"), default="train")
    parser.add_argument("--count", type=int, default=800)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--fonts", default=",".join(TRAIN_FONTS))
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpora", default="essen,oneills")
    args = parser.parse_args()
    write_set(args.out, args.split, args.count, tuple(args.fonts.split(",")), seconds=args.seconds, seed=args.seed,
              corpora=tuple(args.corpora.split(",")))


if __name__ == "__main__":
    main()
