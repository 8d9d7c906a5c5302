"""partita.controls/1 files: round trip, NaN <-> null, and clear errors for bad input."""
from __future__ import annotations

import json

import numpy as np
import pytest

from app.controls_io import FORMAT, controls_from_json, controls_to_json, read_controls, write_controls
from app.errors import InputError
from engines.controls import Controls

nan = np.nan


def sample() -> Controls:
    n = 20
    return Controls.build(n / 86.1328125, melody=np.where(np.arange(n) % 5 == 0, nan, 60 + np.arange(n)),
                          dynamics=-np.linspace(0, 12, n), rhythm=np.full(n, 2.5),
                          beats=[0.0, 0.1, 0.2], downbeats=[0.0])


def test_round_trip_keeps_values_and_unspecified_frames(tmp_path):
    path = tmp_path / "c.json"
    original = sample()
    write_controls(original, path)
    doc = json.loads(path.read_text())
    assert doc["format"] == FORMAT and doc["frame_rate"] == 86.1328125
    assert doc["melody"][0] is None and doc["melody"][1] == 61.0
    assert doc["melody_chroma"][1] == 1 and isinstance(doc["melody_chroma"][1], int)
    back = read_controls(path)
    np.testing.assert_array_equal(np.isnan(back.melody), np.isnan(original.melody))
    np.testing.assert_allclose(back.melody, original.melody, atol=1e-3)
    np.testing.assert_allclose(back.dynamics, original.dynamics, atol=0.01)
    np.testing.assert_allclose(back.rhythm, 2.5)
    assert back.beats.tolist() == [0.0, 0.1, 0.2] and back.downbeats.tolist() == [0.0]
    assert back.duration == pytest.approx(original.duration)


def test_unspecified_curves_and_beats_are_left_out():
    bare = Controls.build(2.0, dynamics=np.full(10, -3.0))
    doc = controls_to_json(bare)
    assert set(doc) == {"format", "frame_rate", "duration", "dynamics"}
    back = controls_from_json(doc)
    assert back.beats is None and np.all(np.isnan(back.melody))
    assert back.n_frames == 173 and np.isnan(back.dynamics[50])


def test_minimal_file_from_another_tool():
    back = controls_from_json({"format": FORMAT, "duration": 1.0, "melody_chroma": [0, None, 11]})
    assert back.melody_chroma[:3].tolist()[0] == 0.0 and back.melody_chroma[2] == 11.0
    assert np.isnan(back.melody_chroma[1]) and back.pitch_classes()[2] == 11.0


@pytest.mark.parametrize("doc,message", [
    ([1, 2], "expected a JSON object"),
    ({"duration": 1.0}, "format"),
    ({"format": "partita.controls/2", "duration": 1.0}, "newer"),
    ({"format": FORMAT, "frame_rate": 100, "duration": 1.0}, "frame_rate must be 86.1328125"),
    ({"format": FORMAT}, "duration must be"),
    ({"format": FORMAT, "duration": -1}, "duration must be"),
    ({"format": FORMAT, "duration": 1.0, "melody": "C4"}, "melody must be a list"),
    ({"format": FORMAT, "duration": 1.0, "melody": [60, "x"]}, r"melody\[1\] is 'x'"),
    ({"format": FORMAT, "duration": 1.0, "melody": [200]}, "from 0 to 127"),
    ({"format": FORMAT, "duration": 1.0, "melody_chroma": [1.5]}, "integer"),
    ({"format": FORMAT, "duration": 1.0, "dynamics": [3.0]}, "from -inf to 0"),
    ({"format": FORMAT, "duration": 1.0, "onset_density": [-1]}, "onset_density"),
    ({"format": FORMAT, "duration": 0.1, "dynamics": [0.0] * 50}, "has 50 frames"),
    ({"format": FORMAT, "duration": 1.0, "beats": [0.5, "x"]}, "beats must be a list"),
    ({"format": FORMAT, "duration": 1.0, "downbeats": [5.0]}, "between 0 and the duration"),
    ({"format": FORMAT, "duration": 1.0, "dynamics": [True]}, "not a number"),
])
def test_bad_documents_say_what_is_wrong(doc, message):
    with pytest.raises(InputError, match=message):
        controls_from_json(doc)


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_controls(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ')
    with pytest.raises(InputError, match=r"broken.json: not a controls file \(invalid JSON"):
        read_controls(broken)


def test_json_nan_tokens_read_as_unspecified(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"format": "%s", "duration": 0.05, "dynamics": [NaN, -1.0]}' % FORMAT)
    back = read_controls(path)
    assert np.isnan(back.dynamics[0]) and back.dynamics[1] == -1.0
    path.write_text('{"format": "%s", "duration": 0.05, "dynamics": [-Infinity]}' % FORMAT)
    with pytest.raises(InputError, match="not a number"):
        read_controls(path)
