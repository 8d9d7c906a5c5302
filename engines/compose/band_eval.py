"""The band benchmark: bass and drums infilled over 4-bar spans of held-out band songs, beside the
real parts, per style; and one-lane likelihood per role beside baselines.

``span_rows`` turns each song into tracks (lanes grouped by role; drum lanes
make one drum track), picks bar-aligned spans where the real bass and drums
play, has the engine write the bass, then the drums, there (exactly as the
app asks: the key given, nothing else) and measures both parts:

- onsets per bar (a drum hit of any family counts; a chord counts once);
- whether the written span is empty where the real one plays;
- bass: share of notes in the key's scale, and of chord tones of the
  comping at the note's onset (``metrics.part_stats``);
- drums: share of beats with a hit, share of bars with a kick on beat 1.

``summary`` gives medians and shares per style and overall.
``role_likelihood`` scores each lane of a role given all the other lanes
(chain rule, ``metrics.voice_chain_scores``) with the model and the
baselines of the chorale table, fitted on the training songs' lanes of
that role.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from engines.compose import baselines as bl
from engines.compose import drums
from engines.compose.api import ComposeEngine, InfillTask
from engines.compose.band import STYLE_TABLE
from engines.compose.config import STYLES
from engines.compose.data import Piece
from engines.compose.grid import REST, ROLES, GridNote, GridTrack, decode_lane
from engines.compose.metrics import part_stats, voice_chain_scores

if TYPE_CHECKING:
    from engines.compose.model import Composer

SPAN_BARS = 4
WRITTEN = ("bass", "drums")


def piece_tracks(piece: Piece) -> tuple[list[GridTrack], dict[str, int]]:
    """The piece's lanes as one track per role (drum lanes: one drum track), and each role's index."""
    tracks: list[GridTrack] = []
    index: dict[str, int] = {}
    for r in sorted(set(piece.roles.tolist())):
        role = ROLES[r]
        notes = [n for lane in np.flatnonzero(piece.roles == r)
                 for n in decode_lane(piece.pitch[lane], piece.onset[lane])]
        index[role] = len(tracks)
        tracks.append(GridTrack(role, role, is_drum=role == "drums", notes=tuple(notes)))
    return tracks, index


def beat_steps(piece: Piece) -> int:
    """Steps per beat: a dotted quarter (6) in 6/8 styles, else a quarter (4)."""
    style = STYLES[piece.style - 1] if piece.style else ""
    return 6 if style in STYLE_TABLE and STYLE_TABLE[style].beats == 6 else 4


def spans(piece: Piece, bar: int, count: int) -> list[tuple[int, int]]:
    """Up to ``count`` bar-aligned spans of ``SPAN_BARS`` bars, spread over the piece, where the
    real bass and drums both play."""
    length = SPAN_BARS * bar
    starts = [t for t in range(bar, piece.n_steps - length - bar + 1, bar)
              if _plays(piece, "bass", t, t + length) and _plays(piece, "drums", t, t + length)]
    if not starts:
        return []
    pick = np.linspace(0, len(starts) - 1, min(count, len(starts))).round().astype(int)
    return [(starts[i], starts[i] + length) for i in sorted(set(pick.tolist()))]


def _plays(piece: Piece, role: str, a: int, b: int) -> bool:
    lanes = piece.roles == ROLES.index(role)
    return bool(piece.onset[lanes, a:b].any())


def drum_figures(notes: list[GridNote] | tuple[GridNote, ...], a: int, b: int, bar: int,
                 beat: int) -> dict[str, float]:
    """Share of beats (``beat`` steps apart) with a hit and of bars with a kick on beat 1, over [a, b)."""
    hits = {n.start for n in notes}
    kicks = {n.start for n in notes if drums.family_of(n.pitch) == "kick"}
    beats = range(a, b, beat)
    bars = range(a, b, bar)
    return {"beats_hit": float(np.mean([t in hits for t in beats])),
            "kick_on_1": float(np.mean([t in kicks for t in bars]))}


def part_figures(role: str, notes: tuple[GridNote, ...], piece: Piece, a: int, b: int,
                 bar: int) -> dict[str, float]:
    """Onsets per bar and the role's own figures of some notes over [a, b)."""
    inside = [n for n in notes if a <= n.start < b]
    out = {"onsets_per_bar": len({n.start for n in inside}) / ((b - a) / bar) if role == "drums"
           else len(inside) / ((b - a) / bar)}
    if role == "drums":
        return {**out, **drum_figures(inside, a, b, bar, beat_steps(piece))}
    comping = piece.pitch[piece.roles == ROLES.index("harmony")]
    stats = part_stats(inside, comping if len(comping) else np.full((1, piece.n_steps), REST, np.uint8),
                       piece.key, piece.pos, bar)
    return {**out, "in_key": float(stats["in_key"]), "chord_tone": float(stats["chord_tone"])}


def span_rows(engine: ComposeEngine, pieces: list[Piece], *, per_piece: int = 2, seed: int = 0,
              progress: Callable[[float, str], None] | None = None) -> list[dict]:
    """One row per (piece, span, written role): style, real and written figures."""
    rows = []
    for i, piece in enumerate(pieces):
        bar = int(piece.bar_len[0])
        tracks, index = piece_tracks(piece)
        for a, b in spans(piece, bar, per_piece):
            for role in WRITTEN:
                task = InfillTask(tuple(tracks), write=(index[role],), start=a, stop=b, n_steps=piece.n_steps,
                                  steps_per_bar=bar, key=piece.key)
                [result] = engine.infill(task, seed=seed + i)
                real = part_figures(role, tracks[index[role]].notes, piece, a, b, bar)
                written = part_figures(role, result.notes[0], piece, a, b, bar)
                rows.append({"piece": piece.name, "style": STYLES[piece.style - 1] if piece.style else "?",
                             "role": role, "start": a, "real": real, "written": written,
                             "empty": bool(real["onsets_per_bar"] > 0 and written["onsets_per_bar"] == 0)})
        if progress:
            progress((i + 1) / len(pieces), f"band spans {i + 1}/{len(pieces)}")
    return rows


def summary(rows: list[dict]) -> dict[str, dict[str, dict[str, float]]]:
    """{style or "all": {role: figures}}: median onsets-per-bar ratio written/real, share of
    empty spans, and means of the role's figures, real and written."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for style in sorted({r["style"] for r in rows}) + ["all"]:
        for role in WRITTEN:
            mine = [r for r in rows if r["role"] == role and style in (r["style"], "all")]
            if not mine:
                continue
            ratios = [r["written"]["onsets_per_bar"] / r["real"]["onsets_per_bar"] for r in mine
                      if r["real"]["onsets_per_bar"] > 0]
            figures = {"spans": float(len(mine)), "onset_ratio_median": float(np.median(ratios)),
                       "empty_share": float(np.mean([r["empty"] for r in mine]))}
            for key in mine[0]["real"]:
                for kind in ("real", "written"):
                    figures[f"{key} {kind}"] = float(np.nanmean([r[kind][key] for r in mine]))
            out.setdefault(style, {})[role] = figures
    return out


def fit_role_baselines(train: list[Piece], role: str) -> dict[str, object]:
    """Uniform, histogram and 3-gram over the lanes of one role (pitched roles transposed ×12)."""
    r = ROLES.index(role)
    seqs = [(p.pitch[lane], p.onset[lane]) for p in train for lane in np.flatnonzero(p.roles == r)]
    sounding = np.concatenate([s[0][s[0] != REST] for s in seqs])
    shifts = [0] if role == "drums" else range(-5, 7)
    return {"uniform": bl.Uniform(int(sounding.min()), int(sounding.max())),
            "histogram": bl.Histogram(bl.transposed(seqs, 0)),
            "3-gram": bl.NGram([s for shift in shifts for s in bl.transposed(seqs, shift)], order=3)}


def role_likelihood(model: Composer, train: list[Piece], test: list[Piece], roles: tuple[str, ...],
                    *, view: int = 128, lanes_per_role: int = 2) -> dict[str, dict[str, dict[str, float]]]:
    """{method: {role: {"nll", "acc"}}}: the first ``lanes_per_role`` lanes of each role of each
    test piece, each given all the other lanes (the model sees ``view`` steps around each step)."""
    sums: dict[str, dict[str, list[float]]] = {}
    for role in roles:
        fitted = fit_role_baselines(train, role)
        for piece in test:
            for lane in np.flatnonzero(piece.roles == ROLES.index(role))[:lanes_per_role]:
                seq = bl.states(piece.pitch[lane], piece.onset[lane])
                for method, base in fitted.items():
                    _add(sums, method, role, bl.score(base.probs(seq), seq))  # type: ignore[attr-defined]
                _add(sums, "model", role, voice_chain_scores(model, piece, int(lane), view=view, batch=128))
    return {m: {role: {"nll": s[0] / s[2], "acc": s[1] / s[2]} for role, s in per.items()} for m, per in sums.items()}


def _add(sums: dict, method: str, role: str, score: tuple[float, int, int]) -> None:
    acc = sums.setdefault(method, {}).setdefault(role, [0.0, 0, 0])
    for k in range(3):
        acc[k] += score[k]


def control_rows(engine: ComposeEngine, pieces: list[Piece], *, seed: int = 0) -> list[dict]:
    """The melody written over a 4-bar span from controls alone (no lock): per piece, the share of
    steps where it sounds the melody control's pitch (control given over the whole span, then
    over its first half only: the second half is free), and how its onsets per bar follow the
    rhythm control (given alone)."""
    from engines.compose.conditions import step_controls

    rows = []
    for i, piece in enumerate(pieces):
        bar = int(piece.bar_len[0])
        tracks, index = piece_tracks(piece)
        if "melody" not in index:
            continue
        found = spans(piece, bar, 1)
        if not found:
            continue
        a, b = found[0]
        curves = step_controls(piece.pitch, piece.onset, piece.velocity, piece.roles)
        melody = tracks[index["melody"]].notes
        truth = np.full(piece.n_steps, -1)
        for n in melody:
            truth[n.start:n.end] = n.pitch
        row: dict[str, object] = {"piece": piece.name}
        for name, given in (("full", np.arange(a, b)), ("half", np.arange(a, (a + b) // 2))):
            controls = np.zeros_like(curves)
            controls[given, :2] = curves[given, :2]
            written = _written_melody(engine, tracks, index, piece, a, b, controls, seed + i)
            shown = given[truth[given] >= 0]
            row[f"melody_{name}"] = float(np.mean(written[shown] == truth[shown])) if len(shown) else float("nan")
        controls = np.zeros_like(curves)
        controls[a:b, 4:6] = curves[a:b, 4:6]
        notes = engine.infill(InfillTask(tuple(tracks), write=(index["melody"],), start=a, stop=b,
                                         n_steps=piece.n_steps, steps_per_bar=bar, key=piece.key,
                                         controls=controls), seed=seed + i)[0].notes[0]
        row["onsets_real"] = len([n for n in melody if a <= n.start < b]) / ((b - a) / bar)
        row["onsets_written"] = len(notes) / ((b - a) / bar)
        rows.append(row)
    return rows


def _written_melody(engine: ComposeEngine, tracks: list[GridTrack], index: dict[str, int], piece: Piece,
                    a: int, b: int, controls: np.ndarray, seed: int) -> np.ndarray:
    """Pitch per step (-1 silent) of the melody written over [a, b) with these controls."""
    task = InfillTask(tuple(tracks), write=(index["melody"],), start=a, stop=b, n_steps=piece.n_steps,
                      steps_per_bar=int(piece.bar_len[0]), key=piece.key, controls=controls)
    out = np.full(piece.n_steps, -1)
    for n in engine.infill(task, seed=seed)[0].notes[0]:
        out[n.start:n.end] = n.pitch
    return out


def balanced(pieces: list[Piece], n: int) -> list[Piece]:
    """Up to ``n`` pieces taking the styles in turn (in the pieces' order within a style)."""
    by_style: dict[int, list[Piece]] = {}
    for p in pieces:
        by_style.setdefault(p.style, []).append(p)
    queues = [list(v) for _, v in sorted(by_style.items())]
    out: list[Piece] = []
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out
