"""Training data for the composer: cached corpus pieces, MIDI folders, data specs.

Parsing music21's corpus takes minutes, so parsed pieces are cached as
``.npz`` files in the user cache (``cache_dir()``), never in the repository.
A data spec (``partita train --data``) is a comma-separated list whose items
are a corpus name (see ``engines.compose.corpus.CORPORA``, or ``corpus`` for
all of them), ``accomp`` (the Essen and O'Neill tunes with a synthetic
accompaniment, ``accompanied_tunes``), ``band`` (the same tunes over mma's
drums, bass and comping, ``app.band_data``), a folder of MIDI files, a MIDI file,
or an ``.npz`` of packed pieces.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from app.settings import cache_dir
from engines.common import Progress, no_progress
from engines.compose.data import Piece, pack, unpack

CACHE_VERSION = 1


def save_pieces(pieces: list[Piece], path: Path) -> None:
    """Write pieces as a compressed npz, atomically (write aside, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        arrays: dict[str, Any] = pack(pieces)
        np.savez_compressed(fh, **arrays)
    os.replace(tmp, path)


def load_pieces(path: Path) -> list[Piece]:
    with np.load(path, allow_pickle=False) as z:
        return unpack({k: z[k] for k in z.files})


def corpus_pieces(name: str, *, progress: Progress = no_progress) -> list[Piece]:
    """The pieces of one music21 corpus, parsed once and then read from the cache."""
    from engines.compose.corpus import parse_corpus

    path = cache_dir() / "compose" / f"corpus-{name}-v{CACHE_VERSION}.npz"
    if path.exists():
        return load_pieces(path)
    pieces = parse_corpus(name, progress=progress)
    save_pieces(pieces, path)
    return pieces


ACCOMP_SEED = 0
ACCOMP_COPIES = 2


def accompanied_tunes(*, progress: Progress = no_progress) -> list[Piece]:
    """Every Essen and O'Neill tune with ``ACCOMP_COPIES`` synthetic accompaniments
    (``engines.compose.accompany``; the same pieces on every machine)."""
    from engines.compose.accompany import accompanied

    tunes = corpus_pieces("essen", progress=progress) + corpus_pieces("oneills", progress=progress)
    return accompanied(tunes, seed=ACCOMP_SEED, copies=ACCOMP_COPIES)


MIDI_SUFFIXES = (".mid", ".midi", ".smf")


def midi_piece(path: Path, name: str) -> Piece | None:
    """One MIDI file as a training piece (drum tracks by drum family, see
    ``engines.compose.tracks``); None when it has no notes. At most ``MAX_LANES`` lanes: the
    pitched lanes with the highest mean pitch first, then drum lanes."""
    from app.infill import grid_track
    from app.midi_io import read_midi
    from engines.compose.config import MAX_LANES
    from engines.compose.grid import bar_positions
    from engines.compose.keys import find_key, pitch_class_histogram
    from engines.compose.tracks import encode_tracks

    content = read_midi(path)
    tracks = [t for t in content.tracks if t.notes]
    if not tracks:
        return None
    steps_per_bar = max(1, content.time_signature.ticks_per_bar // 120)
    grid = [grid_track(t) for t in tracks]
    n_steps = min(4096, max(n.end for t in grid for n in t.notes))
    lanes = encode_tracks(grid, n_steps)
    drum = np.array([tracks[i].is_drum for i in lanes.track])
    mean = [float(p[p != 128].mean()) if (p != 128).any() else 0.0 for p in lanes.pitch]
    order = sorted(range(lanes.n_lanes), key=lambda i: (drum[i], -mean[i]))[:MAX_LANES]
    pitched = lanes.pitch[[i for i in order if not drum[i]]]
    return Piece(name, lanes.pitch[order], lanes.onset[order], lanes.role[order].astype(np.int8),
                 bar_positions(n_steps, steps_per_bar), np.full(n_steps, min(steps_per_bar, 255), np.uint8),
                 key=find_key(pitch_class_histogram(pitched)), velocity=lanes.velocity[order],
                 ranks=lanes.rank[order].astype(np.int8), tempo=float(content.tempo_map[0].bpm),
                 programs=np.array([tracks[lanes.track[i]].program for i in order], dtype=np.int16))


def midi_folder_pieces(folder: Path, *, progress: Progress = no_progress) -> list[Piece]:
    """Every readable MIDI file under ``folder`` (recursively); unreadable files are skipped."""
    from app.errors import InputError

    files = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in MIDI_SUFFIXES)
    pieces = []
    for i, path in enumerate(files):
        try:
            piece = midi_piece(path, f"user:{path.relative_to(folder)}")
        except InputError:
            piece = None
        if piece is not None:
            pieces.append(piece)
        progress((i + 1) / max(1, len(files)), f"read {path.name}")
    return pieces


def load_spec(spec: str, *, progress: Progress = no_progress) -> list[Piece]:
    """Pieces for a data spec (see the module docstring); ``InputError`` for an unknown item."""
    from app.errors import InputError
    from engines.compose.corpus import CORPORA

    pieces: list[Piece] = []
    for item in [s.strip() for s in spec.split(",") if s.strip()]:
        path = Path(item).expanduser()
        if item in CORPORA or item == "corpus":
            for name in (CORPORA if item == "corpus" else (item,)):
                pieces += corpus_pieces(name, progress=progress)
        elif item == "accomp":
            pieces += accompanied_tunes(progress=progress)
        elif item == "band":
            from app.band_data import band_pieces

            pieces += band_pieces(progress=progress)
        elif path.is_dir():
            pieces += midi_folder_pieces(path, progress=progress)
        elif path.is_file() and path.suffix.lower() == ".npz":
            pieces += load_pieces(path)
        elif path.is_file() and path.suffix.lower() in MIDI_SUFFIXES:
            piece = midi_piece(path, f"user:{path.name}")
            pieces += [piece] if piece else []
        else:
            raise InputError(f"--data item {item!r} is neither a corpus ({', '.join(CORPORA)}, corpus, accomp, band), "
                             "a folder of MIDI files, a MIDI file nor an .npz of pieces")
    if not pieces:
        raise InputError(f"--data {spec!r} holds no notes to train on")
    return pieces
