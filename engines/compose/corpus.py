"""Training pieces from music21's bundled corpus (slow: minutes; cache the result).

Sources (``CORPORA``): Bach's four-part chorales, Palestrina's masses,
Monteverdi's madrigals, string quartets (Haydn, Mozart, Beethoven) and folk
melodies (Essen collection, O'Neill's 1850). Roles: the chorales' soprano is
the melody, alto and tenor harmony, bass the bass; in vocal polyphony the top
voice is the melody, the lowest the bass, the rest counter-lines; quartets
give violin 1 the melody, violin 2 and viola harmony, the cello the bass; folk
tunes are melodies.

Quantisation: offsets and lengths are rounded to the nearest 16th, grace notes
(no length) are dropped, tied notes are merged, and the meter of each bar
comes from its time signature (pickup bars keep their place in the bar).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from engines.common import CancelToken, Progress, no_progress
from engines.compose.config import MAX_LANES
from engines.compose.data import Piece, role_index
from engines.compose.grid import GridNote, STEPS_PER_QUARTER, assign_lanes, encode_lane
from engines.compose.keys import find_key, pitch_class_histogram

if TYPE_CHECKING:
    from music21 import stream

CORPORA = ("bach", "palestrina", "monteverdi", "quartets", "essen", "oneills")
MAX_STEPS = 4096


def corpus_paths(name: str) -> list[str]:
    """The music21 corpus files of one of ``CORPORA``, sorted."""
    from music21 import corpus

    core = [str(p) for p in corpus.corpora.CoreCorpus().getPaths()]
    folders = {"bach": ["/bach/"], "palestrina": ["/palestrina/"], "monteverdi": ["/monteverdi/"],
               "quartets": ["/haydn/", "/mozart/", "/beethoven/"], "essen": ["/essenFolksong/"],
               "oneills": ["/oneills1850/"]}[name]
    paths = [p for p in core if any(f in p for f in folders)]
    if name == "monteverdi":
        paths = [p for p in paths if p.endswith(".mxl")]
    if name == "essen":
        paths = [p for p in paths if "/test" not in p]
    return sorted(paths)


def _scores(path: str) -> Iterator[tuple[str, stream.Score]]:
    """(suffix, score) for each score in a file (abc files hold many tunes)."""
    from music21 import converter, stream

    parsed = converter.parse(path)
    if isinstance(parsed, stream.Opus):
        for i, score in enumerate(parsed.scores):
            yield f"#{i}", score
    elif isinstance(parsed, stream.Score):
        yield "", parsed
    else:
        raise TypeError(f"a {type(parsed).__name__}, not a score")


def _part_notes(part: stream.Part) -> list[GridNote]:
    notes = []
    for el in part.stripTies().flatten().notes:
        start = int(np.floor(float(el.offset) * STEPS_PER_QUARTER + 0.5))
        dur = int(np.floor(float(el.quarterLength) * STEPS_PER_QUARTER + 0.5))
        if float(el.quarterLength) <= 0:
            continue
        for p in el.pitches:
            if 0 <= p.midi <= 127:
                notes.append(GridNote(int(p.midi), start, max(1, dur)))
    return notes


def _meter(part: stream.Part, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """(pos, bar_len) uint8 (T,) from the part's measures and time signatures."""
    from music21 import meter

    pos = np.zeros(n_steps, dtype=np.uint8)
    bar_len = np.full(n_steps, 16, dtype=np.uint8)
    measures = list(part.getElementsByClass("Measure"))
    ts = None
    for i, m in enumerate(measures):
        ts = m.timeSignature or ts or m.getContextByClass(meter.TimeSignature)
        full = int(round(ts.barDuration.quarterLength * STEPS_PER_QUARTER)) if ts else 16
        start = int(round(float(m.offset) * STEPS_PER_QUARTER))
        length = int(round(float(m.duration.quarterLength) * STEPS_PER_QUARTER)) or full
        stop = n_steps if i == len(measures) - 1 else int(round(float(measures[i + 1].offset) * STEPS_PER_QUARTER))
        skip = full - length if i == 0 and length < full else 0
        span = np.arange(max(0, start), min(stop, n_steps))
        pos[span] = np.minimum((span - start + skip) % max(full, 1), 255)
        bar_len[span] = min(full, 255)
    return pos, bar_len


def _roles(source: str, n_parts: int) -> list[str]:
    if n_parts == 1:
        return ["melody"]
    inner = {"bach": "harmony", "quartets": "harmony"}.get(source, "counter")
    return ["melody"] + [inner] * (n_parts - 2) + ["bass"]


def score_piece(score: stream.Score, name: str, source: str) -> Piece | None:
    """One music21 score to a Piece (None when it has no notes)."""
    parts = list(score.parts)
    part_notes = [_part_notes(p) for p in parts]
    keep = [i for i, n in enumerate(part_notes) if n]
    if not keep or (source == "bach" and len(keep) != 4):
        return None
    n_steps = min(MAX_STEPS, max(n.end for i in keep for n in part_notes[i]))
    rows, roles = [], []
    for role, i in zip(_roles(source, len(keep)), keep):
        for lane in assign_lanes(part_notes[i]):
            rows.append(encode_lane(lane, n_steps)[:2])
            roles.append(role_index(role))
    rows, roles = rows[:MAX_LANES], roles[:MAX_LANES]
    pitch = np.stack([r[0] for r in rows])
    onset = np.stack([r[1] for r in rows])
    pos, bar_len = _meter(parts[keep[0]], n_steps)
    return Piece(name, pitch, onset, np.array(roles, dtype=np.int8), pos, bar_len,
                 key=find_key(pitch_class_histogram(pitch)))


def parse_corpus(name: str, *, progress: Progress = no_progress, cancel: CancelToken | None = None,
                 limit: int | None = None, on_error: Callable[[str, Exception], None] | None = None,
                 ) -> list[Piece]:
    """All pieces of corpus ``name`` (one of ``CORPORA``); ``limit`` caps the files read."""
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}; choose from {', '.join(CORPORA)}")
    paths = corpus_paths(name)[:limit]
    pieces: list[Piece] = []
    for i, path in enumerate(paths):
        if cancel:
            cancel.check()
        stem = path.split("/corpus/")[-1].rsplit(".", 1)[0]
        try:
            for suffix, score in _scores(path):
                piece = score_piece(score, f"{name}:{stem}{suffix}", name)
                if piece is not None:
                    pieces.append(piece)
        except Exception as exc:  # music21 fails on a few corpus files; skip them
            if on_error:
                on_error(path, exc)
        progress((i + 1) / len(paths), f"{name}: {len(pieces)} pieces")
    return pieces
