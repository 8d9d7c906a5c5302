"""The beat grid: beats and downbeats (seconds) -> a metre and a tempo that may drift.

A ``BeatGrid`` puts beat ``k`` at ``times[k]`` seconds; ``times[0]`` is 0:00, so
the grid starts on a bar line and can become a project's tempo map (one tempo
per beat) and bar lines. Between beats, time is linear (a constant tempo per
beat). Grid positions are counted in 16th steps (``STEPS_PER_QUARTER`` a
quarter note); a beat is the meter's note, or a dotted one in compound meters
(6/8 has two beats of six 16ths), as a listener taps it.

``grid_from_beats`` reads extracted or tapped beats: it drops doubled beats,
fills missed ones (also across spans where no beats were given), finds the
bar phase that puts most downbeats on bar lines, and leads in from 0:00 to the
first beat with as many beats as fit the first tempo best. A lead-in of a
bar or more at that tempo carries on the beat (the beats were left out, not
absent); a shorter or squeezed one is ``first_beat`` beats nobody asked for.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STEPS_PER_QUARTER = 4
"""16th steps per quarter note (the composer's grid)."""
MIN_BPM, MAX_BPM = 10.0, 999.0
"""Tempo range a project accepts (quarter notes per minute)."""
SNAP_S = 0.03
"""A first beat closer than this to 0:00 is taken to be at 0:00."""


def is_compound(numerator: int, denominator: int) -> bool:
    """Whether a meter counts dotted beats (6/8, 9/8, 12/8, 6/16...)."""
    return denominator >= 8 and numerator % 3 == 0 and numerator > 3


def meter_beats(numerator: int, denominator: int) -> tuple[int, int]:
    """(beats per bar, 16th steps per beat) of a meter; raises ValueError off the 16th grid."""
    steps_per_note = STEPS_PER_QUARTER * 4 // denominator if denominator <= 16 else 0
    if steps_per_note == 0 or 16 % denominator:
        raise ValueError(f"meter {numerator}/{denominator} does not fit a 16th-note grid")
    if is_compound(numerator, denominator):
        return numerator // 3, 3 * steps_per_note
    return numerator, steps_per_note


@dataclass(frozen=True, eq=False)
class BeatGrid:
    """Beats in seconds and the meter they make.

    times: float64 (n + 1,) seconds of beats 0..n, strictly increasing,
    ``times[0] == 0``; the last entry closes the last beat. numerator,
    denominator: the meter. first_beat: beats before this one are a lead-in
    nobody asked for (no drums play there).
    """

    times: np.ndarray
    numerator: int = 4
    denominator: int = 4
    first_beat: int = 0

    def __post_init__(self) -> None:
        times = np.asarray(self.times, dtype=np.float64)
        if len(times) < 2 or times[0] != 0.0 or np.any(np.diff(times) <= 0):
            raise ValueError("beat times must start at 0 and increase")
        times.setflags(write=False)
        object.__setattr__(self, "times", times)

    @property
    def beats_per_bar(self) -> int:
        return meter_beats(self.numerator, self.denominator)[0]

    @property
    def steps_per_beat(self) -> int:
        return meter_beats(self.numerator, self.denominator)[1]

    @property
    def steps_per_bar(self) -> int:
        return self.beats_per_bar * self.steps_per_beat

    @property
    def n_beats(self) -> int:
        return len(self.times) - 1

    @property
    def n_steps(self) -> int:
        return self.n_beats * self.steps_per_beat

    @property
    def n_bars(self) -> int:
        return self.n_beats // self.beats_per_bar

    def beat_seconds(self, beats: np.ndarray | float) -> np.ndarray:
        """Beat positions (float, may be fractional) -> seconds, float64 (same shape).

        Past the last beat the last beat's tempo continues.
        """
        b = np.asarray(beats, dtype=np.float64)
        n = self.n_beats
        last = self.times[-1] - self.times[-2]
        inside = np.interp(b, np.arange(n + 1), self.times)
        return np.where(b > n, self.times[-1] + (b - n) * last, inside)

    def step_seconds(self, steps: np.ndarray | float) -> np.ndarray:
        """16th steps (float) -> seconds, float64."""
        return self.beat_seconds(np.asarray(steps, dtype=np.float64) / self.steps_per_beat)

    def seconds_to_steps(self, seconds: np.ndarray | float) -> np.ndarray:
        """Seconds -> fractional 16th steps, float64 (linear past the last beat)."""
        s = np.asarray(seconds, dtype=np.float64)
        n = self.n_beats
        last = self.times[-1] - self.times[-2]
        beats = np.interp(s, self.times, np.arange(n + 1))
        beats = np.where(s > self.times[-1], n + (s - self.times[-1]) / last, beats)
        return beats * self.steps_per_beat

    def steps_for(self, seconds: float) -> int:
        """Whole bars of steps that cover ``seconds`` (at least one bar)."""
        steps = float(self.seconds_to_steps(seconds))
        bars = max(1, int(np.ceil(steps / self.steps_per_bar - 1e-6)))
        return bars * self.steps_per_bar

    def bpm(self) -> np.ndarray:
        """Tempo of each beat in quarter notes per minute, float64 (n,)."""
        quarters = self.steps_per_beat / STEPS_PER_QUARTER
        return 60.0 * quarters / np.diff(self.times)

    def extended(self, seconds: float) -> "BeatGrid":
        """This grid continued at its last tempo until it covers ``seconds`` in whole bars."""
        bars = -(-self.steps_for(seconds) // self.steps_per_bar)
        want = max(bars * self.beats_per_bar, self.n_beats)
        if want == self.n_beats:
            return self
        times = self.beat_seconds(np.arange(want + 1))
        return BeatGrid(times, self.numerator, self.denominator, self.first_beat)


def grid_from_tempo(bpm: float, numerator: int, denominator: int, seconds: float) -> BeatGrid:
    """A constant tempo (quarter notes per minute) covering ``seconds`` in whole bars."""
    if not MIN_BPM <= bpm <= MAX_BPM:
        raise ValueError(f"tempo {bpm:g} BPM is outside {MIN_BPM:g}-{MAX_BPM:g}")
    bpb, spb = meter_beats(numerator, denominator)
    beat = 60.0 / bpm * spb / STEPS_PER_QUARTER
    bars = max(1, int(np.ceil(seconds / (beat * bpb) - 1e-6)))
    return BeatGrid(np.arange(bars * bpb + 1) * beat, numerator, denominator)


def clean_beats(beats: np.ndarray) -> np.ndarray:
    """Sorted beats (seconds) without doubles (a beat under 40% of the local beat after another)."""
    b = np.unique(np.asarray(beats, dtype=np.float64))
    b = b[b >= 0]
    if len(b) < 3:
        return b
    local = np.median(np.diff(b))
    kept = [b[0]]
    for t in b[1:]:
        if t - kept[-1] >= 0.4 * local:
            kept.append(t)
    return np.asarray(kept)


def beat_increments(beats: np.ndarray) -> np.ndarray:
    """How many beats each gap between given beats spans (int (n-1,), >= 1).

    A gap is measured against the median of the regular gaps near it, so a
    missed beat or a span where none were given counts as several beats.
    """
    gaps = np.diff(beats)
    out = np.ones(len(gaps), dtype=np.int64)
    for j, gap in enumerate(gaps):
        near = gaps[max(0, j - 4): j + 5]
        local = float(np.median(near[near < 1.6 * np.min(near)])) if len(near) else gap
        out[j] = max(1, int(round(gap / local)))
    return out


def bar_length(index: np.ndarray, down: np.ndarray) -> int | None:
    """Beats per bar (2-7) that the downbeats' beat indices agree with, None under two downbeats.

    Downbeats given in separate spans lie whole bars apart, so each distance is
    some multiple of the bar: the longest bar that divides the most distances
    wins (8 beats between downbeats two bars apart is two bars of 4).
    """
    if len(down) < 2:
        return None
    gaps = np.diff(index[down])
    gaps = gaps[gaps >= 2]
    if len(gaps) == 0:
        return None
    scores = {bpb: float(np.mean(gaps % bpb == 0)) for bpb in range(2, 8)}
    best = max(scores.values())
    return max(bpb for bpb, score in scores.items() if score == best)


def _phase(index: np.ndarray, down: np.ndarray, bpb: int) -> int:
    """The bar phase (0..bpb-1) that puts the most downbeats on bar lines."""
    if len(down) == 0:
        return 0
    votes = np.bincount(index[down] % bpb, minlength=bpb)
    return int(np.argmax(votes))


def _matched(beats: np.ndarray, downbeats: np.ndarray) -> np.ndarray:
    """Indices of the beats nearest each downbeat (within a third of a beat)."""
    if len(downbeats) == 0 or len(beats) < 2:
        return np.zeros(0, dtype=np.int64)
    j = np.clip(np.searchsorted(beats, downbeats), 1, len(beats) - 1)
    j = np.where(np.abs(beats[j - 1] - downbeats) < np.abs(beats[j] - downbeats), j - 1, j)
    tol = np.median(np.diff(beats)) / 3
    return np.unique(j[np.abs(beats[j] - downbeats) <= tol])


def grid_from_beats(beats: np.ndarray, downbeats: np.ndarray | None, seconds: float, *,
                    meter: tuple[int, int] | None = None) -> BeatGrid | None:
    """A grid through the given beats (seconds), None when fewer than two are given.

    downbeats: seconds (may be None or empty). meter: used when its beats per
    bar agree with the downbeats (or none are given); otherwise the bar length
    the downbeats show, as 2/4, 3/4, 4/4, 5/4... ``seconds``: the grid covers
    this much in whole bars.
    """
    b = clean_beats(beats)
    if len(b) < 2:
        return None
    index = np.concatenate([[0], np.cumsum(beat_increments(b))])
    down = _matched(b, np.asarray(downbeats if downbeats is not None else [], dtype=np.float64))
    num, den = _meter(bar_length(index, down), meter)
    bpb = meter_beats(num, den)[0]
    index = index - _phase(index, down, bpb)  # bar lines at multiples of bpb
    return _with_lead_in(b, index, bpb, num, den).extended(seconds)


def _meter(voted: int | None, meter: tuple[int, int] | None) -> tuple[int, int]:
    if meter is not None and (voted is None or meter_beats(*meter)[0] == voted):
        return meter
    return (voted, 4) if voted else (4, 4)


def _with_lead_in(b: np.ndarray, index: np.ndarray, bpb: int, num: int, den: int) -> BeatGrid:
    """Beats 0.. with the given ones at ``index``, led in from 0:00 (see the module docstring).

    The lead-in's beats go back from the first given beat at its tempo; the
    first few of them share whatever time is left so that beat 0 is 0:00 and
    a bar line (squeezed, or one beat stretched). A first beat too early for
    its place in the bar (a beat would pass ``MAX_BPM``) is dropped, and the
    next one tried.
    """
    spb = meter_beats(num, den)[1]
    fastest = 60.0 / MAX_BPM * spb / STEPS_PER_QUARTER
    while True:
        if b[0] <= SNAP_S and index[0] % bpb == 0:
            return _grid(np.concatenate([[0.0], b[1:]]), index - index[0], num, den, first_beat=0)
        gap = (b[1] - b[0]) / max(1, index[1] - index[0])
        plan = _lead_plan(float(b[0]), gap, int(index[0] % bpb), bpb, fastest)
        if plan is not None or len(b) <= 2:
            lead, odd, odd_s = plan or (max(1, int(index[0] % bpb)), 1, float(b[0]))
            break
        b, index = b[1:], index[1:]
    natural = b[0] - gap * np.arange(lead - odd, 0, -1)  # the lead-in beats at the first tempo
    lead_in = np.concatenate([np.arange(odd) * odd_s / odd, natural])
    times = _grid(np.concatenate([lead_in, b]), np.concatenate([np.arange(lead), index - index[0] + lead]),
                  num, den, first_beat=0).times
    steady = abs(odd_s / odd / gap - 1.0) < 0.1
    return BeatGrid(times, num, den, first_beat=lead if lead < bpb else (0 if steady else odd))


def _lead_plan(first: float, gap: float, phase: int, bpb: int, fastest: float) -> tuple[int, int, float] | None:
    """(lead-in beats, how many of them share the odd time at the start, that time) for a first
    beat at ``first`` s with beat ``gap`` s at bar position ``phase``; None when none fits."""
    whole = max(0, int(np.floor(first / gap - 0.5)))  # lead-in beats at the first tempo
    rest = first - whole * gap
    best: tuple[float, tuple[int, int, float]] | None = None
    for lead in range(phase or bpb, whole + 2 * bpb + 1, bpb):
        extra = lead - (whole + 1)
        odd, odd_s = (extra + 1, rest) if extra >= 0 else (1, rest - extra * gap)
        if lead > whole + 1 + bpb or odd_s / odd < fastest:
            continue
        cost = abs(float(np.log(odd_s / odd / gap)))
        if best is None or cost < best[0]:
            best = (cost, (lead, odd, odd_s))
    return None if best is None else best[1]


def _grid(times: np.ndarray, index: np.ndarray, num: int, den: int, *, first_beat: int) -> BeatGrid:
    """A grid whose beat ``index[k]`` is at ``times[k]``, beats between them evenly spaced."""
    full = np.interp(np.arange(int(index[-1]) + 1), index, times)
    return BeatGrid(full, num, den, first_beat=first_beat)
