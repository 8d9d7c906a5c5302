"""The one-voice chorale benchmark: likelihood beside baselines, and musicality of infilled parts.

``likelihood_table`` scores each held-out piece's voices with the model (chain
rule, see ``metrics``) and with the three baselines fitted on the training
pieces, all as joint NLL per 16th step and argmax accuracy. ``musicality``
infills each voice of each piece (the whole voice removed) and compares the
written parts with the real ones.
"""
from __future__ import annotations

import time

import numpy as np

from engines.common import Progress, no_progress
from engines.compose import baselines as bl
from engines.compose.api import ROLE_RANGES
from engines.compose.conditions import attribute_vector
from engines.compose.config import SampleConfig
from engines.compose.data import Piece
from engines.compose.grid import REST, ROLES, decode_lane
from engines.compose.keys import find_key, pitch_class_histogram
from engines.compose.metrics import histogram_distance, part_stats, voice_chain_scores
from engines.compose.model import Composer
from engines.compose.sample import GridProblem, allowed_pitches, refine

VOICES = ("soprano", "alto", "tenor", "bass")


def fit_baselines(train: list[Piece], voice: int) -> dict[str, bl.Uniform | bl.Histogram | bl.NGram]:
    """Uniform (over the voice's training range), histogram and 3-gram for one voice."""
    seqs = [(p.pitch[voice], p.onset[voice]) for p in train]
    sounding = np.concatenate([s[0][s[0] != REST] for s in seqs])
    augmented = [s for shift in range(-5, 7) for s in bl.transposed(seqs, shift)]
    return {"uniform": bl.Uniform(int(sounding.min()), int(sounding.max())),
            "histogram": bl.Histogram(bl.transposed(seqs, 0)), "3-gram": bl.NGram(augmented, order=3)}


def likelihood_table(model: Composer, train: list[Piece], test: list[Piece], *, view: int = 128,
                     progress: Progress = no_progress) -> dict[str, dict[str, dict[str, float]]]:
    """{method: {voice: {"nll", "acc"}}} plus "mean" per method, over the test pieces."""
    sums: dict[str, dict[str, list[float]]] = {}
    for v, name in enumerate(VOICES):
        fitted = fit_baselines(train, v)
        for i, piece in enumerate(test):
            seq = bl.states(piece.pitch[v], piece.onset[v])
            for method, base in fitted.items():
                _add(sums, method, name, bl.score(base.probs(seq), seq))
            _add(sums, "model", name, voice_chain_scores(model, piece, v, view=view, batch=128))
            progress((v * len(test) + i + 1) / (4 * len(test)), f"{name} {i + 1}/{len(test)}")
    table = {m: {voice: {"nll": s[0] / s[2], "acc": s[1] / s[2]} for voice, s in per.items()}
             for m, per in sums.items()}
    for m, per in sums.items():
        tot = np.sum(list(per.values()), axis=0)
        table[m]["mean"] = {"nll": tot[0] / tot[2], "acc": tot[1] / tot[2]}
    return table


def _add(sums: dict, method: str, voice: str, score: tuple[float, int, int]) -> None:
    acc = sums.setdefault(method, {}).setdefault(voice, [0.0, 0, 0])
    for k in range(3):
        acc[k] += score[k]


def infill_voice(model: Composer, piece: Piece, voice: int, *, seed: int, cfg: SampleConfig
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The piece with one voice removed and written again: (pitch uint8 (T,), onset bool (T,))."""
    target = np.zeros(piece.pitch.shape, dtype=bool)
    target[voice] = True
    roles = piece.roles.astype(np.int64)
    allowed = np.stack([allowed_pitches(*ROLE_RANGES[ROLES[r]]) for r in roles])
    prob = GridProblem(pitch=piece.pitch, onset=piece.onset, target=target, allowed=allowed, role=roles,
                       rank=piece.lane_rank, pos=piece.pos.astype(np.int64),
                       bar_len=piece.bar_len.astype(np.int64), attrs=attribute_vector(model.cfg, {}))
    pitch, onset = refine(model, prob, cfg=cfg, seed=seed)
    return pitch[0, voice], onset[0, voice]


def musicality(model: Composer, test: list[Piece], *, cfg: SampleConfig | None = None, seed: int = 0,
               progress: Progress = no_progress) -> dict[str, dict[str, float]]:
    """Figures of infilled parts beside the real ones, pooled over every voice of every piece."""
    cfg = cfg or SampleConfig()
    rows: dict[str, list] = {"real": [], "infilled": []}
    started = time.perf_counter()
    for i, piece in enumerate(test):
        key = find_key(pitch_class_histogram(piece.pitch))
        for v in range(piece.n_lanes):
            others = np.delete(piece.pitch, v, axis=0)
            pitch, onset = infill_voice(model, piece, v, seed=seed + i, cfg=cfg)
            for kind, (p, o) in (("real", (piece.pitch[v], piece.onset[v])), ("infilled", (pitch, onset))):
                rows[kind].append(part_stats(decode_lane(p, o), others, key, piece.pos, 16))
        progress((i + 1) / len(test), f"infilled {i + 1}/{len(test)}")
    out = {kind: _pool(r) for kind, r in rows.items()}
    out["infilled"]["onset_hist_distance"] = histogram_distance(out["infilled"].pop("onset_hist"),
                                                                out["real"].pop("onset_hist"))
    out["infilled"]["seconds_per_voice"] = (time.perf_counter() - started) / max(1, len(rows["real"]))
    return out


def _pool(rows: list[dict]) -> dict:
    w = np.array([r["n_notes"] for r in rows])
    mean = lambda k: float(np.nansum([r[k] * n for r, n in zip(rows, w)]) / w[[not np.isnan(r[k]) for r in rows]].sum())  # noqa: E731
    hist = np.sum([r["onset_hist"] * n for r, n in zip(rows, w)], axis=0)
    return {"in_key": mean("in_key"), "chord_tone": mean("chord_tone"), "mean_interval": mean("mean_interval"),
            "notes": float(w.sum()), "onset_hist": hist / hist.sum()}
