"""How lively a written part is, beside the real part it replaces.

A part over a span of bars is described by its rhythm and motion:

- ``onsets``: attack points (distinct onset steps; a chord is one attack);
- ``repeated``: attacks of the top line whose pitch is the previous attack's;
- ``distinct``: distinct pitches in each bar, summed over the bars;
- ``intervals``: |semitones| between successive attacks of the top line;
- ``onset_hist``: attacks per position in the bar.

``pool`` adds up many parts and ``compare`` gives the figures of written parts
beside the real ones: onsets per bar relative to the real part, the share of
repeated-pitch onsets, distinct pitches per bar, mean |interval| and the
total-variation distance of the onset-position histograms. The top line of a
polyphonic part is its highest note at each attack; a monophonic part is its
own top line.

``span_problem`` and ``corpus_spans`` make the corpus contexts the benchmark
infills: a melody over a few bars in the middle of a held-out piece, with the
piece's other parts (if any) and the bars around it as context.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from engines.compose.api import ROLE_RANGES
from engines.compose.conditions import attribute_vector
from engines.compose.config import ModelConfig, SampleConfig
from engines.compose.data import Piece
from engines.compose.grid import REST, ROLES, GridNote, decode_lane
from engines.compose.keys import UNKNOWN_KEY
from engines.compose.metrics import histogram_distance
from engines.compose.model import Composer
from engines.compose.sample import GridProblem, allowed_pitches, refine

HIST_BINS = 64
"""Onset-position histogram bins: steps 0-63 of a bar (longer bars wrap)."""
MELODY = ROLES.index("melody")


@dataclass
class Counts:
    """Sums over one or more parts (see the module docstring)."""

    bars: float = 0.0
    onsets: float = 0.0
    repeated: float = 0.0
    attacks_after_first: float = 0.0
    distinct: float = 0.0
    interval_sum: float = 0.0
    onset_hist: np.ndarray | None = None

    def __add__(self, other: Counts) -> Counts:
        hist = _hist_sum(self.onset_hist, other.onset_hist)
        return Counts(self.bars + other.bars, self.onsets + other.onsets, self.repeated + other.repeated,
                      self.attacks_after_first + other.attacks_after_first, self.distinct + other.distinct,
                      self.interval_sum + other.interval_sum, hist)


def _hist_sum(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None or b is None:
        return b if a is None else a
    return a + b


def part_counts(notes: Sequence[GridNote], start: int, stop: int, pos: np.ndarray) -> Counts:
    """Counts of the notes starting in [start, stop); ``pos``: uint8 (T,) step in bar of each step.

    Bars are the steps in the span with ``pos == 0`` (at least one).
    """
    inside = [n for n in notes if start <= n.start < stop]
    span_pos = np.asarray(pos[start:stop]).astype(np.int64)
    bar_of = np.cumsum(span_pos == 0)
    n_bars = max(1, int((span_pos == 0).sum()))
    attacks = sorted({n.start for n in inside})
    top = [max(n.pitch for n in inside if n.start == t) for t in attacks]
    steps = np.diff(np.array(top, dtype=np.int64))
    distinct = sum(len({n.pitch for n in inside if bar_of[n.start - start] == b}) for b in set(bar_of.tolist()))
    hist = np.bincount([int(pos[t]) % HIST_BINS for t in attacks], minlength=HIST_BINS).astype(np.float64)
    return Counts(float(n_bars), float(len(attacks)), float((steps == 0).sum()), float(len(steps)),
                  float(distinct), float(np.abs(steps).sum()), hist)


def figures(c: Counts) -> dict[str, float]:
    """Per-bar and per-attack figures of pooled counts."""
    return {"onsets_per_bar": c.onsets / max(c.bars, 1.0),
            "repeated": c.repeated / max(c.attacks_after_first, 1.0),
            "distinct_per_bar": c.distinct / max(c.bars, 1.0),
            "mean_interval": c.interval_sum / max(c.attacks_after_first, 1.0)}


def compare(real: Counts, written: Counts) -> dict[str, dict[str, float]]:
    """{"real": figures, "written": figures + onset_ratio + onset_hist_distance}."""
    out = {"real": figures(real), "written": figures(written)}
    out["written"]["onset_ratio"] = written.onsets / max(real.onsets, 1.0)
    if real.onset_hist is not None and written.onset_hist is not None:
        out["written"]["onset_hist_distance"] = histogram_distance(written.onset_hist, real.onset_hist)
    return out


def span_problem(piece: Piece, lanes: Sequence[int], start: int, stop: int, cfg: ModelConfig) -> GridProblem:
    """The piece with ``lanes`` hidden over [start, stop), everything else given, key shown.

    Written lanes may use their own range widened by 4 semitones (as the app
    does for a track with notes), other lanes their role's default range.
    """
    target = np.zeros(piece.pitch.shape, dtype=bool)
    target[list(lanes), start:stop] = True
    roles = piece.roles.astype(np.int64)
    allowed = []
    for lane, role in enumerate(roles):
        sounding = piece.pitch[lane][piece.pitch[lane] != REST]
        lo, hi = ROLE_RANGES[ROLES[role]]
        if lane in lanes and len(sounding) >= 4:
            lo, hi = int(sounding.min()) - 4, int(sounding.max()) + 4
        allowed.append(allowed_pitches(lo, hi))
    attrs = attribute_vector(cfg, {"key": piece.key + 1 if piece.key != UNKNOWN_KEY else 0})
    return GridProblem(pitch=piece.pitch, onset=piece.onset, target=target, allowed=np.stack(allowed),
                       role=roles, rank=piece.lane_rank, pos=piece.pos.astype(np.int64),
                       bar_len=piece.bar_len.astype(np.int64), attrs=attrs)


def span_bars(bar_len: int) -> int:
    """Bars in a benchmark span: about 64 steps, 1 to 8 bars."""
    return int(np.clip(round(64 / max(bar_len, 1)), 1, 8))


def corpus_spans(piece: Piece, *, every: int = 0, margin: int = 32) -> list[tuple[int, int]]:
    """Bar-aligned spans [start, stop) to infill: one in the middle, or one each ``every`` steps.

    A span keeps ``margin`` steps of context on each side and holds at least
    two notes of the melody lane.
    """
    downbeats = np.flatnonzero(piece.pos == 0)
    centres = [piece.n_steps // 2] if not every else list(range(every // 2, piece.n_steps, every))
    spans: list[tuple[int, int]] = []
    for centre in centres:
        if not len(downbeats):
            break
        i = int(np.argmin(np.abs(downbeats - (centre - 32))))
        j = i + span_bars(int(piece.bar_len[downbeats[i]]))
        if j >= len(downbeats):
            continue
        start, stop = int(downbeats[i]), int(downbeats[j])
        if start < margin or stop > piece.n_steps - margin or (start, stop) in spans:
            continue
        if int(piece.onset[0, start:stop].sum()) >= 2:
            spans.append((start, stop))
    return spans


def melody_lanes(piece: Piece) -> list[int]:
    """The lanes to write: those with the melody role (lane 0 when none has it)."""
    lanes = [i for i, r in enumerate(piece.roles) if int(r) == MELODY]
    return lanes or [0]


def role_lanes(role: str) -> Callable[[Piece], list[int]]:
    """A ``lanes_of`` for ``contexts``: the lanes with ``role`` (one of ``ROLES``)."""
    index = ROLES.index(role)
    return lambda piece: [i for i, r in enumerate(piece.roles) if int(r) == index]


def lane_notes(pitch: np.ndarray, onset: np.ndarray, lanes: Sequence[int]) -> list[GridNote]:
    """Notes of some lanes: pitch uint8 (L, T), onset bool (L, T)."""
    return [n for lane in lanes for n in decode_lane(pitch[lane], onset[lane])]


@dataclass(frozen=True)
class SpanContext:
    """A piece with ``lanes`` to write over [start, stop) (steps)."""

    piece: Piece
    lanes: tuple[int, ...]
    start: int
    stop: int


def contexts(pieces: Sequence[Piece], n: int, *, every: int = 0,
             lanes_of: Callable[[Piece], list[int]] = melody_lanes) -> list[SpanContext]:
    """Up to ``n`` spans of the pieces (see ``corpus_spans``), in order; pieces where
    ``lanes_of`` finds no lane are skipped."""
    out: list[SpanContext] = []
    for piece in pieces:
        lanes = tuple(lanes_of(piece))
        if lanes:
            out += [SpanContext(piece, lanes, a, b) for a, b in corpus_spans(piece, every=every)]
        if len(out) >= n:
            break
    return out[:n]


def infill_contexts(model: Composer, spans: Sequence[SpanContext], cfg: SampleConfig, *,
                    seed: int = 0) -> tuple[Counts, Counts]:
    """(real, written) counts pooled over the spans, span i written with seed ``seed + i``."""
    real, written = Counts(), Counts()
    for i, c in enumerate(spans):
        pitch, onset = refine(model, span_problem(c.piece, c.lanes, c.start, c.stop, model.cfg), cfg=cfg, seed=seed + i)
        real = real + part_counts(lane_notes(c.piece.pitch, c.piece.onset, c.lanes), c.start, c.stop, c.piece.pos)
        written = written + part_counts(lane_notes(pitch[0], onset[0], c.lanes), c.start, c.stop, c.piece.pos)
    return real, written
