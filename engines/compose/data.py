"""Training pieces: compact arrays, packing to one dict of arrays, splits by piece.

A ``Piece`` is one piece of music as lanes × steps on the 16th grid (see
``grid``; drum tracks as one lane per family, see ``drums``). ``pack`` turns a
list of pieces into a dict of flat numpy arrays (for ``np.savez``) and
``unpack`` reverses it exactly; packs written before velocities, ranks,
tempo, style and programs existed read back with those unknown.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from engines.compose.grid import REST, ROLES

SPLITS = ("train", "valid", "test")


@dataclass(frozen=True)
class Piece:
    """One piece for training or evaluation.

    pitch: uint8 (L, T), MIDI pitch or ``REST``. onset: bool (L, T).
    roles: int8 (L,), indices into ``ROLES``. pos: uint8 (T,), step within
    the bar. bar_len: uint8 (T,), steps in the current bar. key: 0-23 or -1
    (see ``keys``). name: "SOURCE:ID", unique, e.g. "bach:bach/bwv66.6".
    velocity: uint8 (L, T) velocity at onsets, or None (unknown). ranks:
    int8 (L,) rank of each lane among its role (the family for drum lanes),
    or None (order of appearance, ``lane_ranks``). tempo: quarter-note BPM,
    0 = unknown. style: class of ``config.STYLES`` (1 + index), 0 = unknown.
    programs: int16 (L,) GM program per lane, -1 unknown; or None.
    """

    name: str
    pitch: np.ndarray
    onset: np.ndarray
    roles: np.ndarray
    pos: np.ndarray
    bar_len: np.ndarray
    key: int = -1
    velocity: np.ndarray | None = None
    ranks: np.ndarray | None = None
    tempo: float = 0.0
    style: int = 0
    programs: np.ndarray | None = None

    @property
    def lane_rank(self) -> np.ndarray:
        """int64 (L,): ``ranks`` when given, else how many earlier lanes share each lane's role."""
        if self.ranks is not None:
            return self.ranks.astype(np.int64)
        return lane_ranks(self.roles)

    @property
    def n_lanes(self) -> int:
        return int(self.pitch.shape[0])

    @property
    def n_steps(self) -> int:
        return int(self.pitch.shape[1])

    @property
    def source(self) -> str:
        return self.name.split(":", 1)[0]


def lane_ranks(roles: np.ndarray) -> np.ndarray:
    """For each lane, how many earlier lanes share its role: int64 (L,)."""
    return np.array([int((roles[:i] == r).sum()) for i, r in enumerate(roles)], dtype=np.int64)


DERIVED = ("accomp", "band")
"""Sources of pieces made from another piece, named "SOURCE:ORIGINAL NAME", with "@N" after
it for the N-th copy beyond the first (see ``accompany``)."""


def origin(name: str) -> str:
    """The name of the piece a derived piece was made from (the name itself otherwise)."""
    source, _, rest = name.partition(":")
    if source not in DERIVED or ":" not in rest:
        return name
    base, at, copy = rest.rpartition("@")
    return origin(base if at and copy.isdigit() else rest)


def split_of(name: str, *, valid: float = 0.1, test: float = 0.1) -> str:
    """The split a piece belongs to, fixed by a hash of its name (stable across runs).

    A derived piece (``DERIVED``) goes where the piece it was made from goes.
    """
    name = origin(name)
    h = int.from_bytes(hashlib.sha1(name.encode()).digest()[:4], "big") / 2**32
    if h < test:
        return "test"
    if h < test + valid:
        return "valid"
    return "train"


def pack(pieces: list[Piece]) -> dict[str, np.ndarray]:
    """Pieces to flat arrays: cells concatenated lane by lane, steps piece by piece."""
    if not pieces:
        raise ValueError("no pieces to pack")
    return {
        "names": np.array([p.name for p in pieces]),
        "n_lanes": np.array([p.n_lanes for p in pieces], dtype=np.int32),
        "n_steps": np.array([p.n_steps for p in pieces], dtype=np.int32),
        "keys": np.array([p.key for p in pieces], dtype=np.int16),
        "pitch": np.concatenate([p.pitch.reshape(-1) for p in pieces]).astype(np.uint8),
        "onset": np.concatenate([p.onset.reshape(-1) for p in pieces]).astype(bool),
        "roles": np.concatenate([p.roles for p in pieces]).astype(np.int8),
        "pos": np.concatenate([p.pos for p in pieces]).astype(np.uint8),
        "bar_len": np.concatenate([p.bar_len for p in pieces]).astype(np.uint8),
        "velocity": np.concatenate([(p.velocity if p.velocity is not None else np.zeros_like(p.pitch))
                                    .reshape(-1) for p in pieces]).astype(np.uint8),
        "ranks": np.concatenate([p.ranks if p.ranks is not None else np.full(p.n_lanes, -1)
                                 for p in pieces]).astype(np.int8),
        "tempo": np.array([p.tempo for p in pieces], dtype=np.float32),
        "style": np.array([p.style for p in pieces], dtype=np.int16),
        "programs": np.concatenate([p.programs if p.programs is not None else np.full(p.n_lanes, -1)
                                    for p in pieces]).astype(np.int16),
    }


def unpack(arrays: dict[str, np.ndarray]) -> list[Piece]:
    """The inverse of ``pack`` (fields an older pack lacks read back unknown)."""
    pieces = []
    cell = lane = step = 0
    get = arrays.get
    for i, name in enumerate(arrays["names"]):
        n_l, n_t = int(arrays["n_lanes"][i]), int(arrays["n_steps"][i])
        cells, lanes = slice(cell, cell + n_l * n_t), slice(lane, lane + n_l)
        steps = slice(step, step + n_t)
        velocity = get("velocity")
        ranks, programs = get("ranks"), get("programs")
        pieces.append(Piece(
            name=str(name),
            pitch=arrays["pitch"][cells].reshape(n_l, n_t),
            onset=arrays["onset"][cells].reshape(n_l, n_t),
            roles=arrays["roles"][lanes],
            pos=arrays["pos"][steps],
            bar_len=arrays["bar_len"][steps],
            key=int(arrays["keys"][i]),
            velocity=_known(velocity[cells].reshape(n_l, n_t) if velocity is not None else None, 0),
            ranks=_known(ranks[lanes] if ranks is not None else None, -1),
            tempo=float(get("tempo", np.zeros(i + 1))[i]),
            style=int(get("style", np.zeros(i + 1))[i]),
            programs=_known(programs[lanes] if programs is not None else None, -1),
        ))
        cell, lane, step = cell + n_l * n_t, lane + n_l, step + n_t
    return pieces


def _known(values: np.ndarray | None, unknown: int) -> np.ndarray | None:
    """``values``, or None when there are none or they hold only ``unknown``."""
    if values is None or (values == unknown).all():
        return None
    return values


def by_split(pieces: list[Piece]) -> dict[str, list[Piece]]:
    """Pieces grouped by ``split_of`` their name."""
    out: dict[str, list[Piece]] = {s: [] for s in SPLITS}
    for piece in pieces:
        out[split_of(piece.name)].append(piece)
    return out


def role_index(role: str) -> int:
    """Index of ``role`` in ``ROLES``; unknown words count as "other"."""
    return ROLES.index(role) if role in ROLES else ROLES.index("other")


def melody_signature(piece: Piece, n: int = 24) -> tuple[int, ...]:
    """The first ``n`` melodic intervals of the top lane (transposition-free)."""
    top = piece.pitch[0][piece.onset[0]].astype(np.int64)
    return tuple(np.diff(top[: n + 1]).tolist())


def unseen_melodies(test: list[Piece], seen: list[Piece]) -> list[Piece]:
    """Test pieces whose melody does not open like any of ``seen`` (Bach set many hymn
    tunes more than once, so a chorale split by piece still shares tunes)."""
    known = {melody_signature(p) for p in seen}
    return [p for p in test if melody_signature(p) not in known]
