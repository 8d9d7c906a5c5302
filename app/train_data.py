"""Training data for the composer: cached corpus pieces, MIDI folders, data specs.

Parsing music21's corpus takes minutes, so parsed pieces are cached as
``.npz`` files in the user cache (``cache_dir()``), never in the repository.
A data spec (``partita train --data``) is a comma-separated list whose items
are a corpus name (see ``engines.compose.corpus.CORPORA``, or ``corpus`` for
all of them), ``accomp`` (the Essen and O'Neill tunes with a synthetic
accompaniment, ``accompanied_tunes``), a folder of MIDI files, a MIDI file,
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
    """One MIDI file as a training piece (drum tracks left out); None when it has no notes."""
    from app.infill import grid_note
    from app.midi_io import read_midi
    from engines.compose.data import role_index
    from engines.compose.grid import assign_lanes, bar_positions, encode_lane
    from engines.compose.keys import find_key, pitch_class_histogram

    content = read_midi(path)
    tracks = [t for t in content.tracks if not t.is_drum and t.notes]
    if not tracks:
        return None
    steps_per_bar = max(1, content.time_signature.ticks_per_bar // 120)
    lanes, roles = [], []
    for track in tracks:
        for lane in assign_lanes([grid_note(n) for n in track.notes]):
            lanes.append(lane)
            roles.append(role_index(str(track.role)))
    n_steps = min(4096, max(n.end for lane in lanes for n in lane))
    order = sorted(range(len(lanes)), key=lambda i: -np.mean([n.pitch for n in lanes[i]]))[:8]
    pitch = np.stack([encode_lane(lanes[i], n_steps)[0] for i in order])
    onset = np.stack([encode_lane(lanes[i], n_steps)[1] for i in order])
    return Piece(name, pitch, onset, np.array([roles[i] for i in order], dtype=np.int8),
                 bar_positions(n_steps, steps_per_bar), np.full(n_steps, min(steps_per_bar, 255), np.uint8),
                 key=find_key(pitch_class_histogram(pitch)))


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
        elif path.is_dir():
            pieces += midi_folder_pieces(path, progress=progress)
        elif path.is_file() and path.suffix.lower() == ".npz":
            pieces += load_pieces(path)
        elif path.is_file() and path.suffix.lower() in MIDI_SUFFIXES:
            piece = midi_piece(path, f"user:{path.name}")
            pieces += [piece] if piece else []
        else:
            raise InputError(f"--data item {item!r} is neither a corpus ({', '.join(CORPORA)}, corpus, accomp), "
                             "a folder of MIDI files, a MIDI file nor an .npz of pieces")
    if not pieces:
        raise InputError(f"--data {spec!r} holds no notes to train on")
    return pieces
