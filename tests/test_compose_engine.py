"""The composer engine with a tiny random model: constraints, locks, seeds, cancel."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engines.common import CancelToken, Cancelled
from engines.compose.api import ComposeEngine, InfillTask
from engines.compose.config import SampleConfig, tiny
from engines.compose.grid import GridNote, GridTrack
from engines.compose.keys import key_index, scale_mask
from engines.compose.model import Composer
from engines.compose.weights import WeightsError, from_tensors, to_tensors


@pytest.fixture(scope="module")
def engine() -> ComposeEngine:
    torch.manual_seed(0)
    return ComposeEngine(Composer(tiny()).eval(), SampleConfig(steps=4, window=64, context=16))


def piece() -> tuple[GridTrack, ...]:
    mel = GridTrack("mel", "melody", notes=tuple(GridNote(67 + (i % 5), 4 * i, 4) for i in range(32)))
    harm = GridTrack("harm", "harmony", notes=tuple(GridNote(p, 16 * i, 16) for i in range(8) for p in (55, 59, 62)))
    bass = GridTrack("bass", "bass", notes=tuple(GridNote(43, 8 * i, 8) for i in range(16)))
    drums = GridTrack("drums", "drums", is_drum=True, notes=(GridNote(36, 0, 1), GridNote(38, 4, 1)))
    return mel, harm, bass, drums


def test_written_notes_stay_in_the_span_and_range_and_kept_notes_survive(engine):
    keep = (GridNote(50, 40, 4),)
    task = InfillTask(piece(), write=(2,), start=32, stop=96, n_steps=128, ranges={2: (36, 52)}, keep={2: keep})
    [result] = engine.infill(task, seed=3, temperature=1.5)
    notes = result.notes[0]
    assert notes and all(32 <= n.start and n.end <= 96 for n in notes)
    assert all(36 <= n.pitch <= 52 for n in notes)
    assert not any(n.start < 44 and n.end > 40 for n in notes), "a kept note's cells were written over"


def test_a_seed_reproduces_and_another_seed_differs(engine):
    task = InfillTask(piece(), write=(0, 1), start=0, stop=64, n_steps=128)
    a = engine.infill(task, seed=7)
    assert engine.infill(task, seed=7) == a
    assert engine.infill(task, seed=8) != a


def test_variations_differ_and_scale_lock_keeps_every_note_in_key(engine):
    key = key_index(2, "minor")
    task = InfillTask(piece(), write=(0,), start=0, stop=128, n_steps=128, key=key, scale_lock=True)
    results = engine.infill(task, seed=1, variations=3, temperature=2.0)
    assert len({r.notes for r in results}) == 3
    scale = scale_mask(key)
    assert all(scale[n.pitch] for r in results for n in r.notes[0])


def test_generation_from_nothing_over_a_long_span_uses_chunks(engine):
    empty = tuple(GridTrack(n, r) for n, r in (("a", "melody"), ("b", "bass")))
    [result] = engine.infill(InfillTask(empty, write=(0, 1), start=0, stop=200, n_steps=200), seed=0)
    assert max(n.end for track in result.notes for n in track) > 150


def test_a_drum_track_is_written_by_family_with_gm_drum_notes_only(engine):
    from engines.compose import drums

    tracks = piece()
    kit = GridTrack("drums", "drums", is_drum=True, notes=tuple(
        GridNote(p, t, 1) for b in range(8) for p, t in ((36, 16 * b), (38, 16 * b + 4), (36, 16 * b + 8),
                                                         (38, 16 * b + 12))))
    task = InfillTask((*tracks[:3], kit), write=(3,), start=32, stop=64, n_steps=128)
    [result] = engine.infill(task, seed=2, temperature=1.5)
    hits = result.notes[0]
    assert hits and all(32 <= n.start < 64 for n in hits)
    assert {drums.family_of(n.pitch) for n in hits} <= {"kick", "snare"}, "only the families the kit uses"
    empty = InfillTask((*tracks[:3], GridTrack("kit", "drums", is_drum=True)), write=(3,), start=0, stop=32,
                       n_steps=128)
    [result] = engine.infill(empty, seed=2, temperature=1.5)
    assert all(drums.family_of(n.pitch) in drums.DEFAULT_FAMILIES for n in result.notes[0])


def test_pitch_and_onset_locks_are_obeyed(engine):
    n = 128
    pitch_lock = np.full(n, -1, dtype=np.int16)
    pitch_lock[40:44] = 72
    onset_lock = np.full(n, -1, dtype=np.int8)
    onset_lock[32:64:4] = 1
    onset_lock[33:64:4] = 0
    task = InfillTask(piece(), write=(0,), start=32, stop=64, n_steps=n, pitch_lock={0: pitch_lock},
                      onset_lock={0: onset_lock})
    [result] = engine.infill(task, seed=5, temperature=2.0)
    notes = result.notes[0]
    starts = {x.start for x in notes}
    assert set(range(32, 64, 4)) <= starts and not starts & set(range(33, 64, 4))
    assert all(any(x.pitch == 72 and x.start <= t < x.end for x in notes) for t in range(40, 44))
    with pytest.raises(ValueError, match="not written"):
        engine.infill(InfillTask(piece(), write=(1,), start=0, stop=16, n_steps=n, pitch_lock={0: pitch_lock}))


@pytest.mark.parametrize("per_bar", [2.0, 12.0])
def test_a_density_target_sets_how_busy_the_written_part_is(engine, per_bar):
    empty = (GridTrack("lead", "melody"), *piece()[1:3])
    task = InfillTask(empty, write=(0,), start=0, stop=128, n_steps=128, density={0: per_bar})
    counts = [len(r.notes[0]) / 8 for r in engine.infill(task, seed=0, variations=3)]
    assert 0.6 * per_bar <= float(np.median(counts)) <= 1.5 * per_bar


def test_without_a_target_a_busy_part_stays_busy_and_a_silent_one_may_rest(engine):
    busy = GridTrack("bass", "bass", notes=tuple(GridNote(40 + (i % 3), 2 * i, 2) for i in range(64)))
    tracks = (piece()[0], busy)
    task = InfillTask(tracks, write=(1,), start=48, stop=80, n_steps=128)
    counts = [len(r.notes[0]) / 2 for r in engine.infill(task, seed=0, variations=3)]
    assert float(np.median(counts)) >= 8 / 1.6, "the bass plays 8 notes a bar around the span"


def test_controls_and_attributes_reach_the_model_and_bad_shapes_are_refused(engine):
    from engines.compose.conditions import style_class

    n = 128
    controls = np.zeros((n, 2 * len(engine.config.controls)), dtype=np.float32)
    controls[:, 0], controls[:, 1] = 1.0, 1.0
    task = InfillTask(piece(), write=(0,), start=0, stop=64, n_steps=n, controls=controls,
                      attributes={"style": style_class("funk"), "tempo": 5})
    a = engine.infill(task, seed=4)
    b = engine.infill(InfillTask(piece(), write=(0,), start=0, stop=64, n_steps=n), seed=4)
    assert a != b, "controls and attributes change what is written"
    with pytest.raises(ValueError, match="controls"):
        engine.infill(InfillTask(piece(), write=(0,), start=0, stop=64, n_steps=n, controls=controls[:, :2]))


def test_cancel_stops_between_passes(engine):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        engine.infill(InfillTask(piece(), write=(0,), start=0, stop=16, n_steps=128), cancel=token)


def test_weights_round_trip_through_tensors_and_metadata():
    model = Composer(tiny())
    tensors, meta = to_tensors(model, half=False)
    back = from_tensors(tensors, meta)
    for k, v in model.state_dict().items():
        assert torch.equal(back.state_dict()[k], v)
    with pytest.raises(WeightsError):
        from_tensors(tensors, {"format": "something else"})
    with pytest.raises(WeightsError):
        from_tensors({k: v for k, v in list(tensors.items())[1:]}, meta)


def test_weights_say_whether_they_were_trained_on_controls_and_attributes():
    from engines.compose.weights import conditioned_info

    model = Composer(tiny())
    tensors, meta = to_tensors(model, info=conditioned_info(model.cfg))
    trained = from_tensors(tensors, meta).trained_conditions
    assert "melody" in trained and "key" in trained and len(trained) == len(model.cfg.controls) + len(model.cfg.attributes)
    tensors, meta = to_tensors(model)
    assert from_tensors(tensors, meta).trained_conditions == ()


def test_the_model_sees_a_bar_of_three_quarters(engine):
    task = InfillTask(piece()[:3], write=(0,), start=0, stop=48, n_steps=96, steps_per_bar=12)
    [result] = engine.infill(task, seed=0)
    assert np.all([n.start < 48 for n in result.notes[0]])


def test_a_track_without_notes_of_its_own_gets_its_roles_usual_density():
    from engines.compose.api import build_problem
    from engines.compose.density import FAMILY_DENSITY, ROLE_DENSITY

    mel, _, bass, _ = piece()
    kit = GridTrack("drums", "drums", is_drum=True)
    whole = InfillTask((mel, bass, kit), write=(1, 2), start=0, stop=128, n_steps=128)
    prob, owners = build_problem(whole, tiny())
    assert prob.density is not None
    assert prob.density[owners.index(1)] == pytest.approx(ROLE_DENSITY["bass"] / 16)
    drum_rows = [j for j, o in enumerate(owners) if o == 2]
    assert prob.density[drum_rows[0]] == pytest.approx(FAMILY_DENSITY["kick"] / 16)
    assert prob.density[drum_rows[2]] == pytest.approx(FAMILY_DENSITY["hihat"] / 16)
    assert np.isnan(prob.density[drum_rows[-1]]), "crashes are left to the model"
    around = InfillTask((mel, bass, kit), write=(1,), start=32, stop=64, n_steps=128)
    prob, owners = build_problem(around, tiny())
    assert prob.density[owners.index(1)] == pytest.approx(2 / 16), "a bass of 2 notes a bar keeps its rate"
