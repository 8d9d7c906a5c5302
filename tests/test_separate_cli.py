"""``partita separate``: four stems with the input's rate, channels and length, summing to it;
bounded streaming; clear errors; the Hybrid Demucs model through the store (import, download)."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest
import soundfile as sf

from app import models
from app import separate as app_separate
from app.cli import main
from app.separate_files import FileReader
from engines.separate import SOURCES
from engines.separate.hdemucs import tiny_config
from tests.separate_helpers import known_mix, tiny_demucs_file, tiny_separator_file
from tests.test_model_store import server, store  # noqa: F401 (fixtures)


def _write(path, mix, rate):
    sf.write(str(path), mix.T, rate, subtype="FLOAT")
    return path


def _stems(folder):
    out = {name: sf.read(str(folder / f"{name}.wav"), dtype="float32", always_2d=True) for name in SOURCES}
    return {name: (data.T, rate) for name, (data, rate) in out.items()}


@pytest.mark.parametrize("rate,channels", [(44100, 2), (48000, 1), (22050, 2)])
def test_stems_match_the_input_and_sum_to_it(tmp_path, capsys, rate, channels):
    mix, _ = known_mix(1.5, rate, channels)
    src = _write(tmp_path / "song.wav", mix, rate)
    assert main(["separate", str(src), "-o", str(tmp_path / "stems"), "--model", "dsp"]) == 0
    stems = _stems(tmp_path / "stems")
    for audio, got_rate in stems.values():
        assert got_rate == rate and audio.shape == mix.shape
    total = sum(audio for audio, _ in stems.values())
    assert np.abs(total - mix).max() < 1e-5
    assert all(np.abs(audio).max() > 1e-3 for audio, _ in stems.values())
    out = capsys.readouterr()
    assert out.out.count("wrote ") == 4 and "separated 1.5 s" in out.err


def test_the_embedded_model_runs_from_the_store(tmp_path, store, monkeypatch, capsys):  # noqa: F811
    weights = tiny_separator_file(tmp_path / "separator.safetensors")
    monkeypatch.setitem(models.REGISTRY, "separator", models.ModelInfo(
        name="separator", kind="separator", file="separator.safetensors", url=None, size=weights.stat().st_size,
        sha256=hashlib.sha256(weights.read_bytes()).hexdigest(), description="tiny", fallback="dsp runs",
        formats=("partita.separator/1",)))
    assert main(["models", "import", str(weights), "--name", "separator"]) == 0
    mix, _ = known_mix(1.0)
    src = _write(tmp_path / "song.wav", mix, 44100)
    assert main(["separate", str(src), "-o", str(tmp_path / "out"), "--model", "embedded"]) == 0
    total = sum(audio for audio, _ in _stems(tmp_path / "out").values())
    assert np.abs(total - mix).max() < 1e-5
    assert "embedded" in capsys.readouterr().err


def test_bad_input_is_one_line_and_nothing_is_overwritten(tmp_path, capsys):
    mix, _ = known_mix(0.5)
    src = _write(tmp_path / "drums.wav", mix, 44100)
    (tmp_path / "notes.txt").write_text("not audio")
    (tmp_path / "afile").write_text("x")
    cases = [
        (["separate", str(tmp_path / "missing.wav"), "-o", str(tmp_path / "o")], "no such file"),
        (["separate", str(tmp_path / "notes.txt"), "-o", str(tmp_path / "o")], "not a readable audio file"),
        (["separate", str(src), "-o", str(tmp_path / "afile")], "not a folder"),
        (["separate", str(src), "-o", str(tmp_path)], "would be overwritten"),
        (["separate", str(src), "-o", str(tmp_path / "o"), "--model", "nonesuch"], "invalid choice"),
    ]
    for argv, words in cases:
        capsys.readouterr()
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("partita: error:") and words in err[0]
    assert np.array_equal(sf.read(str(src), dtype="float32", always_2d=True)[0].T, mix)


def test_a_cancelled_run_leaves_earlier_stems_alone(tmp_path):
    from app.separate import load_separator
    from app.separate_files import separate_file
    from engines.common import CancelToken, Cancelled

    mix, _ = known_mix(1.0)
    src = _write(tmp_path / "song.wav", mix, 44100)
    out = tmp_path / "out"
    out.mkdir()
    (out / "drums.wav").write_bytes(b"keep me")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        separate_file(src, out, load_separator("dsp")[0], cancel=token)
    assert sorted(p.name for p in out.iterdir()) == ["drums.wav"]
    assert (out / "drums.wav").read_bytes() == b"keep me"


def test_the_file_reader_streams_forward_and_restarts(tmp_path):
    mix, _ = known_mix(3.0, 48000)
    src = _write(tmp_path / "s.wav", mix, 48000)
    same = FileReader(src, 48000)
    np.testing.assert_array_equal(same(1000, 5000), mix[:, 1000:5000])
    np.testing.assert_array_equal(same(4000, 9000), mix[:, 4000:9000])
    np.testing.assert_array_equal(same(0, 100), mix[:, :100])  # a second pass restarts
    assert same(len(mix[0]) - 10, len(mix[0]) + 10)[:, 10:].max() == 0.0  # zeros past the end
    assert same._buf.shape[1] < 4 * 2 ** 17
    resampled = FileReader(src, 44100)
    assert resampled.total == int(np.ceil(mix.shape[1] * 44100 / 48000))
    whole = np.concatenate([resampled(a, min(a + 30000, resampled.total))
                            for a in range(0, resampled.total, 30000)], axis=1)
    t = np.arange(whole.shape[1]) / 44100
    assert whole.shape == (2, resampled.total) and np.abs(whole).max() > 0.1 and len(t)


# -- Hybrid Demucs through the model store ---------------------------------------------------------------------
@pytest.fixture
def tiny_demucs(monkeypatch):
    monkeypatch.setattr(app_separate, "DEMUCS_CONFIG", tiny_config())
    app_separate._cache.clear()
    yield
    app_separate._cache.clear()


def test_hdemucs_missing_names_the_embedded_separator(tmp_path, store, capsys):  # noqa: F811
    mix, _ = known_mix(0.5)
    src = _write(tmp_path / "song.wav", mix, 44100)
    assert main(["separate", str(src), "-o", str(tmp_path / "o"), "--model", "hdemucs"]) == 2
    err = capsys.readouterr().err
    assert "partita models download hdemucs" in err and "embedded separator" in err
    assert main(["separate", str(src), "-o", str(tmp_path / "o")]) == 0  # auto falls back, and says so
    assert "Hybrid Demucs is not installed" in capsys.readouterr().err


def test_an_empty_file_fails_without_claiming_a_separation_ran(tmp_path, store, capsys):  # noqa: F811
    src = _write(tmp_path / "empty.wav", np.zeros((2, 0), dtype=np.float32), 44100)
    assert main(["separate", str(src), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "contains no audio" in err and "separator ran" not in err
    assert not (tmp_path / "o" / "drums.wav").exists()


def test_an_imported_hdemucs_separates_at_any_rate(tmp_path, store, tiny_demucs, capsys):  # noqa: F811
    weights = tiny_demucs_file(tmp_path / "hdemucs_high_trained.pt")
    assert main(["models", "import", str(weights), "--name", "hdemucs"]) == 0
    mix, _ = known_mix(0.8, 48000, 1)
    src = _write(tmp_path / "song.wav", mix, 48000)
    assert main(["separate", str(src), "-o", str(tmp_path / "o"), "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert "hdemucs separated 0.8 s" in err
    for audio, rate in _stems(tmp_path / "o").values():
        assert rate == 48000 and audio.shape == mix.shape and np.isfinite(audio).all()


def test_a_pickled_class_is_refused(tmp_path, store, tiny_demucs, capsys):  # noqa: F811
    import torch

    bad = tmp_path / "hdemucs_high_trained.pt"
    torch.save({"weights": torch.nn.Linear(2, 2)}, bad)  # a module object, not a state dict
    assert main(["models", "import", str(bad), "--name", "hdemucs"]) == 0
    mix, _ = known_mix(0.3)
    src = _write(tmp_path / "song.wav", mix, 44100)
    assert main(["separate", str(src), "-o", str(tmp_path / "o"), "--model", "hdemucs"]) == 2
    assert "not a Hybrid Demucs state dict" in capsys.readouterr().err


def test_hdemucs_downloads_with_progress_resumes_and_refuses_a_bad_hash(
        tmp_path, store, server, tiny_demucs, monkeypatch, capsys):  # noqa: F811
    state, url = server
    body = tiny_demucs_file(tmp_path / "served.pt").read_bytes()
    real = models.REGISTRY["hdemucs"]
    entry = models.ModelInfo(name="hdemucs", kind="separator", file=real.file, url=url, size=len(body),
                             sha256=hashlib.sha256(body).hexdigest(), description=real.description,
                             fallback=real.fallback)
    monkeypatch.setitem(models.REGISTRY, "hdemucs", entry)
    monkeypatch.delenv("PARTITA_OFFLINE", raising=False)
    state["body"] = body
    # A connection that drops half-way keeps what came, and the next try resumes from there.
    state["fail_after"] = len(body) // 2
    assert main(["models", "download", "hdemucs"]) == 2
    assert "embedded separator" in capsys.readouterr().err
    state["fail_after"] = None
    assert main(["models", "download", "hdemucs"]) == 0
    assert state["ranges"] == [len(body) // 2]
    assert "downloading" in capsys.readouterr().err
    mix, _ = known_mix(0.5)
    src = _write(tmp_path / "song.wav", mix, 44100)
    assert main(["separate", str(src), "-o", str(tmp_path / "o")]) == 0
    assert "hdemucs separated" in capsys.readouterr().err
    # A file that does not match the registered hash is deleted, and nothing is installed.
    monkeypatch.setitem(models.REGISTRY, "hdemucs", models.ModelInfo(
        **{**entry.__dict__, "file": "other.pt", "sha256": "0" * 64}))
    assert main(["models", "download", "hdemucs"]) == 2
    assert "sha256" in capsys.readouterr().err
    assert not (models.download_dir() / "other.pt").exists()
    # Offline: one line naming what runs instead.
    monkeypatch.setenv("PARTITA_OFFLINE", "1")
    assert main(["models", "download", "hdemucs"]) == 2
    assert "embedded separator runs instead" in capsys.readouterr().err
