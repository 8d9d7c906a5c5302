"""Figures for the composer: one-voice likelihood and accuracy, and how musical a part is.

``voice_chain_scores`` is the model's joint likelihood of a hidden voice given
the other voices, by the chain rule left to right (one network pass per step,
batched), so it compares exactly with the n-gram baseline's. ``part_stats``
describes a part by its share of notes in key, share of chord tones of the
other voices, mean melodic interval and onset positions in the bar.
"""
from __future__ import annotations

import numpy as np
import torch

from engines.compose.baselines import states
from engines.compose.config import MASK_PITCH, ONSET_UNKNOWN, ModelConfig
from engines.compose.data import Piece
from engines.compose.grid import REST, GridNote, decode_lane
from engines.compose.keys import UNKNOWN_KEY, scale_mask
from engines.compose.model import Composer, ModelInput


def piece_input(piece: Piece, lo: int, hi: int, n: int, cfg: ModelConfig) -> ModelInput:
    """``n`` copies of the view [lo, hi) of a piece as model input for a model of config ``cfg``
    (no attribute or control given)."""
    t, l = hi - lo, piece.n_lanes
    rep = lambda a: torch.as_tensor(a.astype(np.int64))[None].repeat(n, *([1] * a.ndim))  # noqa: E731
    return ModelInput(pitch=rep(piece.pitch[:, lo:hi]), onset=rep(piece.onset[:, lo:hi]),
                      role=rep(piece.roles), rank=rep(piece.lane_rank),
                      lane_valid=torch.ones(n, l, dtype=torch.bool), pos=rep(piece.pos[lo:hi]),
                      bar_len=rep(piece.bar_len[lo:hi]), step_valid=torch.ones(n, t, dtype=torch.bool),
                      attrs=torch.zeros(n, len(cfg.attributes), dtype=torch.long),
                      controls=torch.zeros(n, t, 2 * len(cfg.controls)))


def _log_state_probs(logits: torch.Tensor, onset_logits: torch.Tensor) -> torch.Tensor:
    """log p of each state 2 * pitch + onset: float (..., 258) from pitch logits (..., 129)."""
    lp = torch.log_softmax(logits.float(), -1)
    lo = torch.nn.functional.logsigmoid(torch.stack([-onset_logits.float(), onset_logits.float()], -1))
    out = (lp[..., :, None] + lo[..., None, :]).flatten(-2)
    out[..., 2 * REST] = lp[..., REST]
    out[..., 2 * REST + 1] = -torch.inf
    return out


@torch.inference_mode()
def voice_chain_scores(model: Composer, piece: Piece, voice: int, *, view: int = 128, batch: int = 64,
                       device: torch.device | str = "cpu") -> tuple[float, int, int]:
    """(total NLL in nats, correct argmax steps, steps) of one voice, chain rule left to right."""
    model.eval()
    seq = states(piece.pitch[voice], piece.onset[voice])
    nll, correct, t_total = 0.0, 0, piece.n_steps
    for b0 in range(0, t_total, batch):
        ts = np.arange(b0, min(t_total, b0 + batch))
        lo = np.clip(ts - view // 2, 0, max(0, t_total - view))
        hi = np.minimum(lo + view, t_total)
        width = int((hi - lo).max())
        inp = piece_input(piece, 0, t_total, len(ts), model.cfg)
        idx = torch.as_tensor(lo)[:, None] + torch.arange(width)[None]
        gather = lambda x: torch.stack([x[i, ..., idx[i]] for i in range(len(ts))])  # noqa: E731
        inp = ModelInput(pitch=gather(inp.pitch), onset=gather(inp.onset), role=inp.role, rank=inp.rank,
                         lane_valid=inp.lane_valid, pos=gather(inp.pos), bar_len=gather(inp.bar_len),
                         step_valid=inp.step_valid[:, :width], attrs=inp.attrs, controls=inp.controls[:, :width])
        rel = torch.as_tensor(ts - lo)
        future = torch.arange(width)[None] >= rel[:, None]
        inp.pitch[:, voice][future] = MASK_PITCH
        inp.onset[:, voice][future] = ONSET_UNKNOWN
        logits, onset_logits = model(inp.to(device))
        rows = torch.arange(len(ts))
        lsp = _log_state_probs(logits[rows, voice, rel], onset_logits[rows, voice, rel]).cpu()
        truth = torch.as_tensor(seq[ts])
        nll -= float(lsp[rows, truth].sum())
        correct += int((lsp.argmax(-1) == truth).sum())
    return nll, correct, t_total


@torch.inference_mode()
def voice_blind_accuracy(model: Composer, piece: Piece, voice: int, *,
                         device: torch.device | str = "cpu") -> tuple[int, int]:
    """(correct, steps): the whole voice hidden, one pass, argmax pitch (rest counts) vs the truth."""
    inp = piece_input(piece, 0, piece.n_steps, 1, model.cfg)
    inp.pitch[0, voice], inp.onset[0, voice] = MASK_PITCH, ONSET_UNKNOWN
    logits, _ = model(inp.to(device))
    guess = logits[0, voice].argmax(-1).cpu().numpy()
    return int((guess == piece.pitch[voice]).sum()), piece.n_steps


def part_notes(pitch: np.ndarray, onset: np.ndarray) -> list[GridNote]:
    return decode_lane(pitch, onset)


def part_stats(notes: list[GridNote], others: np.ndarray, key: int, pos: np.ndarray,
               bar_len: int = 16) -> dict[str, float | np.ndarray]:
    """Musical figures of a part against the other voices.

    notes: the part. others: uint8 (L, T) pitch grid of the other voices.
    key: 0-23. pos: uint8 (T,) step in bar. Returns in_key (share of notes
    in the key's scale), chord_tone (share of notes whose pitch class sounds
    in another voice at their onset, among notes where any other voice
    sounds), mean_interval (semitones between successive notes), and
    onset_hist (float (bar_len,), share of onsets at each step of the bar).
    """
    scale = scale_mask(key) if key != UNKNOWN_KEY else np.ones(128, bool)
    in_key = np.mean([scale[n.pitch] for n in notes]) if notes else np.nan
    tones = []
    for n in notes:
        sounding = others[:, n.start][others[:, n.start] != REST]
        if len(sounding):
            tones.append(is_chord_tone(n.pitch % 12, set((sounding % 12).tolist())))
    pitches = np.array([n.pitch for n in sorted(notes, key=lambda n: n.start)])
    hist = np.bincount([int(pos[n.start]) % bar_len for n in notes], minlength=bar_len)[:bar_len].astype(float)
    return {"in_key": float(in_key), "chord_tone": float(np.mean(tones)) if tones else np.nan,
            "mean_interval": float(np.abs(np.diff(pitches)).mean()) if len(pitches) > 1 else np.nan,
            "onset_hist": hist / max(1.0, hist.sum()), "n_notes": float(len(notes))}


CHORDS = ((0, 4, 7), (0, 3, 7), (0, 3, 6), (0, 4, 7, 10), (0, 3, 7, 10), (0, 4, 7, 11), (0, 3, 6, 10),
          (0, 3, 6, 9), (0, 4, 8))
"""Chord templates from C: major, minor, diminished, augmented triads and the usual sevenths."""


def is_chord_tone(pc: int, others: set[int]) -> bool:
    """Whether pitch class ``pc`` belongs to a chord (``CHORDS``, any root) that holds all the
    other voices' pitch classes; when no chord holds them all (another voice has a passing
    note), all but one of them."""
    chords = [{(root + i) % 12 for i in shape} for root in range(12) for shape in CHORDS]
    if any(others <= c for c in chords):
        return any(others <= c and pc in c for c in chords)
    return any(len(others - c) <= 1 and pc in c for c in chords)


def histogram_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Total-variation distance between two histograms (each normalised to sum 1): 0-1."""
    a, b = a / max(a.sum(), 1e-12), b / max(b.sum(), 1e-12)
    return float(0.5 * np.abs(a - b).sum())
