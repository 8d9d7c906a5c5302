"""The port of basic-pitch against basic-pitch 0.4.0's own code, on a clip made here.

``tests/data/basic_pitch_golden.npz`` holds what basic-pitch's ``predict`` (its
ONNX model, default thresholds) returned for ``golden_clip()`` written as a
22050 Hz float WAV: the notes, and the per-frame sums of its note and onset
posteriors. The port must give the same posteriors (to float32 rounding) and
the same notes (times to 0.1 ms, amplitudes to 1e-4).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from engines.common import Note
from engines.transcribe import nmp
from engines.transcribe.poly_notes import PolyConfig, decode_poly
from tests import synth

SAMPLE_RATE = nmp.SAMPLE_RATE
GOLDEN = Path(__file__).parent / "data" / "basic_pitch_golden.npz"


def golden_clip() -> np.ndarray:
    """4.5 s at 22050 Hz: a piano-like C major arpeggio over a low C, then an F chord."""
    notes = [Note(48, 0.2, 2.0, 90)] + [Note(p, 0.2 + 0.3 * i, 0.5, 100) for i, p in enumerate((60, 64, 67, 72))]
    notes += [Note(p, 2.5, 1.5, 80) for p in (53, 57, 60, 65)]
    return synth.render(notes, SAMPLE_RATE, 4.5, timbre=synth.PIANO, gain=0.4)


def test_posteriors_and_notes_match_basic_pitch(basic_pitch_session):
    gold = np.load(GOLDEN)
    post = nmp.run_network(basic_pitch_session, golden_clip())
    np.testing.assert_allclose(post.note.sum(axis=1), gold["note_sum"], atol=2e-4)
    np.testing.assert_allclose(post.onset.sum(axis=1), gold["onset_sum"], atol=2e-4)
    notes = sorted(decode_poly(post, PolyConfig()), key=lambda n: (n.start, n.end, n.pitch))
    assert [n.pitch for n in notes] == gold["pitches"].tolist()
    np.testing.assert_allclose([n.start for n in notes], gold["starts"], atol=1e-4)
    np.testing.assert_allclose([n.end for n in notes], gold["ends"], atol=1e-4)
    np.testing.assert_array_equal([n.velocity for n in notes], np.round(127 * gold["amplitudes"]).astype(int))


def test_frame_times_are_basic_pitchs():
    times = nmp.frame_times(400)
    assert times[0] == 0.0 and abs(times[1] - 256 / 22050) < 1e-12
    # basic-pitch subtracts its per-window offset every 172 frames, 1.8 ms included
    offset = (256 / 22050) * (172 - 43844 / 256) + 0.0018
    assert abs((times[172] - times[171]) - (256 / 22050 - offset)) < 1e-12


def test_windows_cover_the_signal_as_basic_pitch_cuts_it():
    signal = np.arange(100_000, dtype=np.float32)
    windows = nmp._windows(signal)
    assert windows.shape == (3, nmp.WINDOW_SAMPLES, 1)
    assert windows[0, nmp.OVERLAP_SAMPLES // 2, 0] == 0.0 and windows[0, nmp.OVERLAP_SAMPLES // 2 + 1, 0] == 1.0
    assert windows[1, 0, 0] == nmp.WINDOW_HOP - nmp.OVERLAP_SAMPLES // 2
