"""Drum lanes, controls and attributes of the composer's inputs, their training batches, and
growing old weights into a config with more attributes."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from engines.compose import conditions as cond
from engines.compose import drums
from engines.compose.batches import Batcher
from engines.compose.config import CONTROLS, ModelConfig, TrainConfig, tiny
from engines.compose.data import Piece, pack, unpack
from engines.compose.grid import REST, ROLES, GridNote, GridTrack
from engines.compose.model import Composer
from engines.compose.tracks import decode_track, encode_tracks
from engines.compose.weights import fit_state


def test_drum_hits_split_into_family_lanes_ranked_by_family():
    kit = GridTrack("Drums", "drums", is_drum=True, notes=(
        GridNote(36, 0, 2), GridNote(42, 0, 1), GridNote(38, 4, 1), GridNote(39, 4, 1), GridNote(46, 6, 1),
        GridNote(49, 0, 3)))
    lanes = encode_tracks([kit], 16)
    assert lanes.rank.tolist() == [drums.family_rank(f) for f in ("kick", "snare", "hihat", "crash")]
    assert set(lanes.role.tolist()) == {cond.DRUMS}
    snare = lanes.pitch[1][lanes.onset[1]].tolist()
    assert snare == [38], "a clap on the snare's step gives way to the snare"
    assert lanes.pitch[2][lanes.onset[2]].tolist() == [42, 46], "closed and open hi-hat share a lane"
    assert (lanes.pitch[0] != REST).sum() == 1, "a hit is one step long on the grid"
    back = decode_track(lanes, 0)
    assert {(n.pitch, n.start) for n in back} == {(36, 0), (42, 0), (38, 4), (46, 6), (49, 0)}


def test_every_gm_drum_note_has_exactly_one_family():
    for pitch in range(drums.LOWEST, drums.HIGHEST + 1):
        owners = [f for f in drums.FAMILIES if drums.allowed(f)[pitch]]
        assert owners == [drums.family_of(pitch)]


def band_piece(name: str = "band:x", n: int = 64) -> Piece:
    """Melody in 8ths on 60-67, bass on beats, a kick on beats (velocity 100)."""
    steps = np.arange(n)
    pitch = np.full((3, n), REST, dtype=np.uint8)
    pitch[0] = 60 + (steps // 2) % 8
    pitch[1] = np.where(steps % 4 < 2, 40, REST)
    pitch[2] = np.where(steps % 4 == 0, 36, REST)
    onset = np.stack([steps % 2 == 0, steps % 4 == 0, steps % 4 == 0])
    velocity = np.where(onset, 100, 0).astype(np.uint8)
    return Piece(name, pitch, onset, np.array([0, 2, 4], np.int8), (steps % 16).astype(np.uint8),
                 np.full(n, 16, np.uint8), key=0, velocity=velocity, ranks=np.array([0, 0, 0], np.int8),
                 tempo=120.0, style=cond.style_class("rock"), programs=np.array([0, 33, 0], np.int16))


def test_controls_read_melody_pitch_rhythm_per_quarter_and_loudness_below_the_peak():
    p = band_piece()
    c = cond.step_controls(p.pitch, p.onset, p.velocity, p.roles)
    assert c.shape == (64, 2 * len(CONTROLS))
    assert np.allclose(c[:8, 0], [(60 + t // 2 - 60) / 12 for t in range(8)]) and c[:, 1].all()
    assert abs(float(np.median(c[16:48, 4])) - 2.0) < 0.05, "an onset every 8th is 2 per quarter"
    assert c[:, 2].max() == 0.0 and (c[:, 2] >= cond.DYNAMICS_FLOOR_DB / 20).all()
    quiet = dataclasses.replace(p, velocity=(p.velocity // 2).astype(np.uint8))
    louder = cond.loudness_db(p.pitch, p.onset, p.velocity, p.roles)
    assert np.allclose(louder, cond.loudness_db(quiet.pitch, quiet.onset, quiet.velocity, quiet.roles)), \
        "dynamics are relative to the piece's own peak"


def test_attribute_classes_and_vector():
    assert cond.tempo_class(0) == 0 and cond.tempo_class(60) == 1 and cond.tempo_class(200) == 8
    assert cond.emotion_class(12 + 9, 140) == 1 + cond.EMOTIONS.index("tense")
    assert cond.emotion_class(0, 70) == 1 + cond.EMOTIONS.index("calm")
    assert cond.instrument_class(33) == 5 and cond.instrument_class(-1) == 0
    cfg = ModelConfig()
    vec = cond.attribute_vector(cfg, {"style": cond.style_class("funk"), "key": 3})
    assert vec.shape == (len(cfg.attributes),) and vec[0] == 3 and vec[-1] == cond.style_class("funk")
    with pytest.raises(ValueError):
        cond.attribute_vector(cfg, {"tempo": 99})
    attrs = cond.piece_attributes(band_piece())
    assert attrs == {"tempo": cond.tempo_class(120), "instrument": 1, "emotion": 1 + cond.EMOTIONS.index("happy"),
                     "style": cond.style_class("rock")}


def test_packing_keeps_velocity_ranks_tempo_style_and_programs():
    p = band_piece()
    [q] = unpack(pack([p]))
    assert np.array_equal(q.velocity, p.velocity) and q.lane_rank.tolist() == [0, 0, 0]
    assert (q.tempo, q.style) == (120.0, p.style) and q.programs.tolist() == [0, 33, 0]


def test_batches_never_move_or_hide_drum_lanes_and_show_controls_only_where_given():
    cfg = TrainConfig(batch=8, window=32, transpose=6, role_dropout=1.0, control_off=0.0, control_full=0.0)
    batcher = Batcher([band_piece(f"band:{i}") for i in range(4)], cfg, ModelConfig(), seed=1)
    for _ in range(5):
        inp, pitch, _, _ = batcher.batch()
        drum = pitch[:, 2][pitch[:, 2] != REST]
        assert set(drum.tolist()) == {36}, "drums are not transposed"
        assert (inp.role[:, 2] == cond.DRUMS).all() and (inp.role[:, :2] == ROLES.index("other")).all()
        shown = inp.controls[..., 1::2]
        assert ((shown == 0) | (shown == 1)).all() and 0 < float(shown.mean()) < 1, "controls come in spans"
        assert (inp.controls[..., 0::2][shown == 0] == 0).all()
        for i, (_, n) in enumerate(ModelConfig().attributes):
            assert ((inp.attrs[:, i] >= 0) & (inp.attrs[:, i] < n)).all()



def test_old_weights_grow_into_a_config_with_a_new_attribute_and_compute_the_same():
    old_cfg = dataclasses.replace(tiny(), attributes=tiny().attributes[:-1], melody_pitch=False)
    torch.manual_seed(0)
    old = Composer(old_cfg).eval()
    new = Composer(tiny()).eval()
    new.load_state_dict(fit_state(old.state_dict(), new))
    batcher = Batcher([band_piece(f"band:{i}") for i in range(2)], TrainConfig(batch=4, window=32), tiny(), seed=0)
    inp = batcher.batch()[0]
    inp.attrs[:, -1] = 3
    inp.controls[..., :2] = torch.tensor([0.5, 1.0])
    with torch.no_grad():
        a = new(inp)[0]
        inp.attrs = inp.attrs[:, :-1]
        b = old(inp)[0]
    assert torch.allclose(a, b, atol=1e-5)
    assert ModelConfig.from_json(old_cfg.to_json().replace(', "melody_pitch": false', "")) == old_cfg


def test_written_cells_agree_with_their_onsets_and_a_no_onset_lock_holds_the_note_before():
    from engines.compose.guidance import release_onsets, trust_onsets

    pitch = np.array([[[60, 62, 62, REST, 64, 65]]], dtype=np.uint8)
    onset = np.array([[[1, 0, 0, 0, 0, 1]]], dtype=bool)
    target = np.ones((1, 6), dtype=bool)
    trust_onsets(pitch, onset, target)
    assert pitch[0, 0].tolist() == [60, 60, 60, REST, 64, 65], "no onset after a sounding cell: held"
    assert onset[0, 0].tolist() == [1, 0, 0, 0, 1, 1], "a note after a rest starts there"
    lock = np.array([[-1, -1, -1, -1, -1, 0]], dtype=np.int8)
    release_onsets(pitch, onset, target, lock)
    assert pitch[0, 0, 5] == 64 and not onset[0, 0, 5]
