"""One export routine behind the dialog, `partita export` and `partita render`."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from app.cli import main
from app.errors import PartitaError
from app.exporting import ExportRequest, export
from app.project import Project
from app.projectfile import save_project
from engines.common import CancelToken, Cancelled
from tests.helpers import small_project


def test_render_and_export_write_the_same_files(tmp_path, capsys):
    save_project(small_project(), tmp_path / "song.partita")
    assert main(["render", str(tmp_path / "song.partita"), "-o", str(tmp_path / "a.wav"),
                 "--stems", str(tmp_path / "a"), "--bit-depth", "16"]) == 0
    assert main(["export", str(tmp_path / "song.partita"), "--wav", str(tmp_path / "b.wav"),
                 "--stems", str(tmp_path / "b"), "--bit-depth", "16", "--midi",
                 str(tmp_path / "b.mid")]) == 0
    out, err = capsys.readouterr()
    assert err.count("played by the built-in synthesiser") == 2 and "wrote" in out
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    a, b = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [p.name for p in a] == [p.name for p in b] == ["01 Lead.wav", "02 Bass.wav", "03 Drums.wav"]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b))


def test_a_cancelled_export_writes_nothing(tmp_path):
    token = CancelToken()
    request = ExportRequest(midi=tmp_path / "song.mid", wav=tmp_path / "mix.wav",
                            stems_dir=tmp_path / "stems")

    def progress(fraction, message=""):
        if fraction > 0.3:
            token.cancel()

    with pytest.raises(Cancelled):
        export(small_project(), request, progress=progress, cancel=token)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("request_args,words", [
    ({}, "nothing to export"),
    ({"midi": "song.mid", "bit_depth": "8"}, "bit depth 8"),
    ({"wav": "mix.wav", "sample_rate": 22050}, "22050"),
    ({"midi": "song.mid", "project": Project()}, "no MIDI tracks"),
    ({"wav": "mix.wav", "project": Project()}, "no tracks"),
    ({"stems_dir": "taken"}, "not a folder"),
])
def test_bad_requests_are_refused_before_anything_is_written(tmp_path, request_args, words):
    (tmp_path / "taken").write_text("a file")
    project = request_args.pop("project", small_project())
    paths = {k: tmp_path / v for k, v in request_args.items() if k in ("midi", "wav", "stems_dir")}
    request = ExportRequest(**{**request_args, **paths})
    with pytest.raises(PartitaError, match=words):
        export(project, request)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_stems_sum_to_the_mix_at_48_khz_in_float(tmp_path):
    result = export(small_project(), ExportRequest(wav=tmp_path / "mix.wav", stems_dir=tmp_path / "s",
                                                   sample_rate=48000, bit_depth="32f"))
    assert result.backend == "builtin" and len(result.written) == 4
    mix, rate = sf.read(tmp_path / "mix.wav", always_2d=True)
    stems = sum(sf.read(p, always_2d=True)[0] for p in sorted((tmp_path / "s").iterdir()))
    assert rate == 48000 and np.abs(stems - mix).max() < 1e-6
