"""Tracks to lanes and back: the one place where a ``GridTrack`` becomes rows of the grid.

A pitched track becomes as many monophonic lanes as it has simultaneous
notes (``grid.assign_lanes``), ranked 0, 1, ... among the lanes of its role
in order. A drum track becomes one lane per drum family it uses
(``drums.split_families``), ranked by family. ``encode_tracks`` does this for
whole pieces (the training data and the composer's view of a task);
``decode_track`` gives a track's notes back.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.compose import drums
from engines.compose.data import role_index
from engines.compose.grid import GridNote, GridTrack, assign_lanes, decode_lane, encode_lane


@dataclass(frozen=True)
class TrackLane:
    """One lane of a track before encoding: its notes, and its rank (a drum family's index, or
    -1 for "in order among its role")."""

    notes: tuple[GridNote, ...]
    rank: int = -1


@dataclass(frozen=True)
class Lanes:
    """Lanes of some tracks over ``n_steps`` steps.

    pitch: uint8 (L, T), MIDI pitch or ``REST``. onset: bool (L, T).
    velocity: uint8 (L, T), nonzero only where ``onset``. track: int64 (L,)
    index of the owning track. role: int64 (L,) index into ``ROLES``. rank:
    int64 (L,) rank of the lane among its role (drum lanes: the family).
    """

    pitch: np.ndarray
    onset: np.ndarray
    velocity: np.ndarray
    track: np.ndarray
    role: np.ndarray
    rank: np.ndarray

    @property
    def n_lanes(self) -> int:
        return int(self.pitch.shape[0])


def track_lanes(track: GridTrack, notes: tuple[GridNote, ...] | list[GridNote] | None = None, *,
                min_lanes: int = 0, families: tuple[str, ...] = ()) -> list[TrackLane]:
    """A track's lanes (of ``notes``, default the track's own).

    Pitched tracks get at least ``min_lanes`` lanes (empty ones added); drum
    tracks get a lane for each family they use plus each of ``families``.
    """
    notes = track.notes if notes is None else notes
    if track.is_drum:
        split = drums.split_families(notes)
        wanted = [f for f in drums.FAMILIES if f in split or f in families]
        return [TrackLane(tuple(split.get(f, ())), drums.family_rank(f)) for f in wanted]
    lanes = [TrackLane(tuple(lane)) for lane in assign_lanes(list(notes))]
    return lanes + [TrackLane(()) for _ in range(min_lanes - len(lanes))]


def ranks_in_order(roles: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Ranks of lanes: ``given`` where >= 0, else how many earlier lanes without a given rank share
    the role. roles, given: int (L,); returns int64 (L,)."""
    out = np.asarray(given, dtype=np.int64).copy()
    for i, r in enumerate(roles):
        if out[i] < 0:
            out[i] = int(((roles[:i] == r) & (np.asarray(given)[:i] < 0)).sum())
    return out


def encode(lanes: list[TrackLane], owners: list[int], roles: list[int], n_steps: int) -> Lanes:
    """Encode lanes (each owned by a track index, with a role index) over ``n_steps`` steps."""
    if not lanes:
        empty = np.zeros((0, n_steps), dtype=np.uint8)
        none = np.zeros(0, dtype=np.int64)
        return Lanes(empty, empty.astype(bool), empty.copy(), none, none, none)
    cols = [encode_lane(list(lane.notes), n_steps) for lane in lanes]
    role = np.asarray(roles, dtype=np.int64)
    rank = ranks_in_order(role, np.array([lane.rank for lane in lanes]))
    return Lanes(np.stack([c[0] for c in cols]), np.stack([c[1] for c in cols]), np.stack([c[2] for c in cols]),
                 np.asarray(owners, dtype=np.int64), role, rank)


def encode_tracks(tracks: list[GridTrack] | tuple[GridTrack, ...], n_steps: int, *,
                  min_lanes: dict[int, int] | None = None) -> Lanes:
    """All tracks to lanes; ``min_lanes`` maps a pitched track's index to the least lanes it gets.

    Every pitched track gets at least one lane, so an empty track can be written into.
    """
    lanes: list[TrackLane] = []
    owners: list[int] = []
    roles: list[int] = []
    for i, track in enumerate(tracks):
        rows = track_lanes(track, min_lanes=max(1, (min_lanes or {}).get(i, 1)))
        lanes += rows
        owners += [i] * len(rows)
        roles += [role_index("drums" if track.is_drum else track.role)] * len(rows)
    return encode(lanes, owners, roles, n_steps)


def decode_track(lanes: Lanes, track_index: int, *, default_velocity: int = 96) -> list[GridNote]:
    """All notes of one track's lanes, sorted by start then pitch."""
    notes: list[GridNote] = []
    for row in np.flatnonzero(lanes.track == track_index):
        notes += decode_lane(lanes.pitch[row], lanes.onset[row], lanes.velocity[row],
                             default_velocity=default_velocity)
    return sorted(notes, key=lambda n: (n.start, n.pitch, n.duration))
