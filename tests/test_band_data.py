"""Band songs: a tune laid out in whole bars, a chord chart for mma, mma's tracks sorted into
Melody, Bass, comping and Drums, and the training piece made from them."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from app.band_data import render_song, song_piece, write_songs
from engines.compose import drums
from engines.compose.band import STYLE_TABLE, arrange, is_compound, mma_script, regular_tune, tune_meter
from engines.compose.config import STYLES
from engines.compose.data import Piece, split_of
from engines.compose.grid import REST, GridNote, decode_lane, encode_lane

needs_mma = pytest.mark.skipif(shutil.which("mma") is None, reason="needs mma (apt-get install mma)")


def tune(notes: list[tuple[int, int, int]], bar: int = 16, pickup: int = 0, name: str = "essen:t") -> Piece:
    """A one-lane tune from (pitch, start, duration) in steps, C major, a pickup of ``pickup`` steps."""
    n = max(s + d for _, s, d in notes)
    pitch, onset, _ = encode_lane([GridNote(p, s, d) for p, s, d in notes], n)
    pos = ((np.arange(n) + (bar - pickup) % bar) % bar).astype(np.uint8)
    return Piece(name, pitch[None], onset[None], np.array([0], np.int8), pos, np.full(n, bar, np.uint8), key=0)


def scale_tune(bars: int = 8, bar: int = 16, step: int = 4) -> Piece:
    return tune([(60 + (i % 8), step * i, step) for i in range(bars * bar // step)], bar)


def test_short_bars_at_a_repeat_are_joined_or_filled_so_every_bar_is_whole():
    # pickup of 4, two bars, a short bar of 12 + a pickup of 4 (= one bar), two bars, a short end
    notes = [(67, 0, 4)] + [(60 + i, 4 + 4 * i, 4) for i in range(8)] + [(64, 36, 12), (65, 48, 4)]
    notes += [(62 + i, 52 + 4 * i, 4) for i in range(8)] + [(60, 84, 8)]
    t = tune(notes, pickup=4)
    pos = t.pos.copy()
    pos[48:52] = (12, 13, 14, 15)  # the second part's pickup: the bar restarts at step 52
    pos[52:] = np.arange(len(pos) - 52) % 16
    t = Piece(t.name, t.pitch, t.onset, t.roles, pos, t.bar_len, key=0)
    r = regular_tune(t)
    assert r is not None and tune_meter(r) == 4
    assert (r.pos == (np.arange(r.n_steps) + 12) % 16).all()
    assert [(n.pitch, n.duration) for n in decode_lane(r.pitch[0], r.onset[0])] == \
        [(n.pitch, n.duration) for n in decode_lane(t.pitch[0], t.onset[0])], "no note is lost or moved"


def test_three_four_and_six_eight_are_told_apart_by_where_notes_start():
    waltz = tune([(60 + i % 3, 4 * i, 4) for i in range(24)], bar=12)
    jig = tune([(60 + i % 3, 6 * i + d, 2 if d == 4 else 4) for i in range(12) for d in (0, 4)], bar=12)
    assert not is_compound(waltz) and is_compound(jig)
    assert (tune_meter(waltz), tune_meter(jig)) == (3, 6)


def test_an_arrangement_fits_the_metre_and_its_chart_has_a_chord_line_per_bar():
    rng = np.random.default_rng(0)
    arr = arrange(scale_tune(), rng, style="funk")
    assert arr is not None and arr.style == "funk" and arr.steps_per_bar == 16
    assert STYLE_TABLE["funk"].bpm[0] <= arr.bpm <= STYLE_TABLE["funk"].bpm[1]
    assert arr.n_steps >= arr.shift + arr.repeats * arr.tune_steps
    script = mma_script(arr)
    lines = [ln for ln in script.splitlines() if ln.split()[0].isdigit()]
    assert [int(ln.split()[0]) for ln in lines] == list(range(1, len(arr.chords) + 1))
    assert f"Groove {arr.groove}" in script and "RndSeed" in script
    assert arrange(scale_tune(bar=12), rng, style="funk") is None, "a 3/4 tune takes no 4/4 style"


@needs_mma
@pytest.mark.parametrize("style", ["rock", "halftime", "reggae", "ballad68"])
def test_a_rendered_song_has_melody_bass_comping_and_drums_and_becomes_a_piece(style):
    t = scale_tune()
    if style == "ballad68":
        t = tune([(60 + i % 5, 6 * i + d, 2 if d == 4 else 4) for i in range(16) for d in (0, 4)], bar=12)
    rng = np.random.default_rng(1)
    arr = arrange(t, rng, style=style)
    project = render_song(arr, rng)
    names = [tr.name for tr in project.midi_tracks()]
    assert names[0] == "Melody" and "Bass" in names and names[-1] == "Drums" and len(names) >= 4
    kit = project.track_named("Drums")
    bar = project.ticks_per_bar
    downbeats = {n.start // bar for n in kit.notes if n.pitch in drums.FAMILY_NOTES["kick"] and n.start % bar == 0}
    if style != "ballad68":
        assert len(downbeats) >= project.length_bars // 2, "the kick plays on beat 1 of most bars"
    piece = song_piece(project, arr, "band:" + t.name)
    assert piece.style == 1 + STYLES.index(style) and piece.tempo == arr.bpm
    drum_lanes = piece.roles == 4
    assert drum_lanes.any() and set(piece.lane_rank[drum_lanes].tolist()) <= set(range(len(drums.FAMILIES)))
    assert (piece.pitch[piece.roles == 2] != REST).any(), "the bass plays"


@needs_mma
def test_written_songs_come_from_the_asked_split_with_their_description(tmp_path, monkeypatch):
    pool = [Piece(f"essen:tune{i}", *(lambda t: (t.pitch, t.onset, t.roles, t.pos, t.bar_len))(scale_tune()),
                  key=0) for i in range(40)]
    monkeypatch.setattr("app.band_data.tunes", lambda corpora=(), progress=None: pool)
    paths = write_songs(tmp_path, split="test", count=2, seed=3)
    assert len(paths) == 2
    for path in paths:
        info = json.loads(path.with_suffix(".json").read_text())
        assert info["split"] == "test" and split_of(info["name"]) == "test"
        assert info["style"] in STYLE_TABLE and [t["name"] for t in info["tracks"]][0] == "Melody"
