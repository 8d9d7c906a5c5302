"""The transcription engine's parts on tiny inputs with exact answers: the single-line Viterbi,
re-attacks in an envelope, velocities, the kind chooser, and the drum classifier (a tiny one
fitted here, its weights' layout checks)."""
from __future__ import annotations

import numpy as np
import pytest

from engines.transcribe import drum_model, drums
from engines.transcribe.kinds import KindEvidence, choose_kind
from engines.transcribe.mono import viterbi_line
from engines.transcribe.repeats import reattacks
from engines.transcribe.velocity import VelocityConfig, note_levels, velocities


def test_viterbi_keeps_one_line_and_ignores_a_one_frame_blip():
    scores = np.zeros((18, 3))
    scores[5:9, 0] = 0.9
    scores[6, 2] = 1.0          # a louder blip for one frame: not worth two changes
    scores[9:13, 1] = 0.8
    expected = [-1] * 5 + [0] * 4 + [1] * 4 + [-1] * 5
    assert viterbi_line(scores, silence=0.3, switch_cost=1.0).tolist() == expected


def test_viterbi_of_nothing_is_empty():
    assert viterbi_line(np.zeros((0, 4)), silence=0.3, switch_cost=1.0).size == 0


def test_dips_and_rises_are_repeats_but_a_wobble_is_not():
    env = np.full(60, 20.0)
    env[10:14] = [18, 14, 12, 15]          # fell 8 dB, came back: a legato repeat
    env[30:34] = [19, 18.5, 19, 20]        # 1.5 dB wobble
    env[45:50] = [0, -40, -40, -40, 10]    # a silence between two notes
    found = reattacks(env, drop_db=6.0, rise_db=3.0, window=8)
    # where the (3-frame smoothed) level began to fall, its lowest frame, how far it fell
    assert [(fall, low) for fall, low, _ in found] == [(9, 12), (43, 47)]
    assert 6.0 < found[0][2] < 7.0 and found[1][2] > 50


def test_velocities_invert_the_gm_curve_and_pin_the_loudest():
    config = VelocityConfig(top=110, floor=16)
    # amplitude ratio 1/4 (-12 dB) is velocity ratio 1/2
    assert velocities(np.array([0.0, -12.0, -120.0]), config).tolist() == [110, 55, 16]
    assert velocities(np.zeros(0)).size == 0


def test_note_levels_read_each_attack():
    level = np.array([-60.0, -10, -20, -30, -60, -5, -6, -60])
    assert note_levels(level, np.array([1, 5]), np.array([4, 7])).tolist() == [-10.0, -5.0]


@pytest.mark.parametrize("evidence,kind", [
    (KindEvidence(0.05, 0.0, 60.0, 100), "drums"), (KindEvidence(0.9, 0.6, 60.0, 100), "poly"),
    (KindEvidence(0.9, 0.05, 40.0, 100), "bass"), (KindEvidence(0.9, 0.05, 70.0, 100), "melody"),
    (KindEvidence(0.0, 0.0, 0.0, 0), "melody")])
def test_the_kind_follows_the_evidence(evidence, kind):
    chosen, reason = choose_kind(evidence)
    assert chosen == kind and reason


def hit_set(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of synthetic kicks (low thumps) and hats (noise) at known frames."""
    rng = np.random.default_rng(seed)
    n_frames, frames, labels = 400, [], []
    mel = np.full((n_frames, drums.N_MELS), -80.0, np.float32)
    for k, frame in enumerate(range(10, n_frames - 12, 12)):
        low = k % 2 == 0
        bands = slice(0, 6) if low else slice(20, 32)
        for j in range(8):
            mel[frame + j, bands] = np.maximum(mel[frame + j, bands], -10.0 - 6.0 * j + rng.normal(0, 1.0))
        frames.append(frame)
        labels.append([1.0, 0, 0, 0, 0] if low else [0, 0, 1.0, 0, 0])
    return drums.hit_features(mel, np.array(frames)), np.array(labels, np.float32)


def test_a_tiny_classifier_fitted_here_tells_kicks_from_hats():
    features, labels = hit_set(0)
    model = drum_model.fit(features, labels, hidden=8, epochs=200)
    test_features, test_labels = hit_set(1)
    chosen = drums.classify(model, test_features)
    assert (chosen == (test_labels > 0)).all()


def test_weights_round_trip_and_refuse_other_layouts():
    features, labels = hit_set(0)
    model = drum_model.fit(features, labels, hidden=3, epochs=5)
    arrays, meta = drum_model.to_arrays(model)
    again = drum_model.from_arrays(arrays, meta)
    np.testing.assert_array_equal(again.probabilities(features), model.probabilities(features))
    with pytest.raises(drum_model.DrumWeightsError, match="not drum classifier weights"):
        drum_model.from_arrays(arrays, {"format": "partita.composer/1"})
    with pytest.raises(drum_model.DrumWeightsError, match="other features"):
        drum_model.from_arrays(arrays, {**meta, "layout": "{}"})
    with pytest.raises(drum_model.DrumWeightsError, match="wrong shapes"):
        drum_model.from_arrays({**arrays, "b2": np.zeros(3, np.float32)}, meta)


def test_hit_labels_match_hits_within_40_ms():
    labels = drums.hit_labels(np.array([1.0, 2.0]), np.array([1.03, 1.0, 2.2]), np.array([36, 42, 38]))
    assert labels.tolist() == [[1, 0, 1, 0, 0], [0, 0, 0, 0, 0]]
