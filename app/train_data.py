"""Training data for the composer: cached corpus pieces, MIDI folders, data specs.

Parsing music21's corpus takes minutes, so parsed pieces are cached as
``.npz`` files in the user cache (``cache_dir()``), never in the repository.
A data spec (``partita train --data``) is a comma-separated list whose items
are a corpus name (see ``engines.compose.corpus.CORPORA``, or ``corpus`` for
all of them), a folder of MIDI files, a MIDI file, or an ``.npz`` of packed
pieces.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from engines.common import Progress, no_progress
from engines.compose.data import Piece, pack, unpack

CACHE_VERSION = 1


def cache_dir() -> Path:
    """Where Partita caches things: $PARTITA_CACHE, else ~/.cache/partita."""
    root = os.environ.get("PARTITA_CACHE") or Path.home() / ".cache" / "partita"
    return Path(root)


def save_pieces(pieces: list[Piece], path: Path) -> None:
    """Write pieces as a compressed npz, atomically (write aside, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        np.savez_compressed(fh, **pack(pieces))
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
