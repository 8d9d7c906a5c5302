"""``partita render``: files, formats, stems, errors, and which synthesiser played."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from app.cli import main
from app.projectfile import save_project
from app.soundfonts import find_soundfont, user_dir
from engines.render import soundfont as sf_backend
from tests.helpers import small_project
from tests.sf2_tiny import tiny_sf2
from tests.test_render_mixdown import dense_project


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTITA_SOUNDFONT", "none")
    path = tmp_path / "song.partita"
    save_project(small_project(), path)
    return path


def read(path) -> tuple[np.ndarray, int, str]:
    data, rate = sf.read(str(path), dtype="float64", always_2d=True)
    return data.T, rate, sf.info(str(path)).subtype


def test_render_writes_a_mix_and_stems_that_sum_to_it(capsys, tmp_path, project_file):
    code, out, err = run(capsys, "render", project_file, "-o", tmp_path / "mix.wav",
                         "--stems", tmp_path / "stems")
    assert code == 0, err
    assert "built-in synthesiser" in err
    mix, rate, subtype = read(tmp_path / "mix.wav")
    assert (rate, subtype) == (44100, "PCM_24")
    stems = [read(p)[0] for p in sorted((tmp_path / "stems").glob("*.wav"))]
    assert [p.name for p in sorted((tmp_path / "stems").glob("*.wav"))] == [
        "01 Lead.wav", "02 Bass.wav", "03 Drums.wav"]
    assert all(s.shape == mix.shape for s in stems)
    residual = sum(stems) - mix
    assert 10 * np.log10(np.sum(residual ** 2) / np.sum(mix ** 2)) < -60
    assert str(tmp_path / "mix.wav") in out


@pytest.mark.parametrize("rate,depth,subtype", [(48000, "16", "PCM_16"), (44100, "32f", "FLOAT")])
def test_sample_rate_and_bit_depth(capsys, tmp_path, project_file, rate, depth, subtype):
    code, _, err = run(capsys, "render", project_file, "-o", tmp_path / "mix.wav",
                       "--sample-rate", rate, "--bit-depth", depth)
    assert code == 0, err
    _, got_rate, got_subtype = read(tmp_path / "mix.wav")
    assert (got_rate, got_subtype) == (rate, subtype)


def test_a_dense_project_file_peaks_at_most_minus_one_dbfs(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTITA_SOUNDFONT", "none")
    save_project(dense_project(), tmp_path / "dense.partita")
    code, _, err = run(capsys, "render", tmp_path / "dense.partita", "-o", tmp_path / "mix.wav",
                       "--bit-depth", "16", "--stems", tmp_path / "stems")
    assert code == 0, err
    for path in [tmp_path / "mix.wav", *(tmp_path / "stems").glob("*.wav")]:
        assert np.abs(read(path)[0]).max() <= 10 ** (-1 / 20)


def test_render_a_midi_file(capsys, tmp_path, monkeypatch):
    from app.midi_io import write_midi

    monkeypatch.setenv("PARTITA_SOUNDFONT", "none")
    write_midi(small_project(), tmp_path / "song.mid")
    code, _, err = run(capsys, "render", tmp_path / "song.mid", "-o", tmp_path / "mix.wav")
    assert code == 0, err
    assert np.abs(read(tmp_path / "mix.wav")[0]).max() > 0.01


@pytest.mark.parametrize("argv,words", [
    (["missing.partita", "-o", "mix.wav"], "no such file"),
    (["{project}", "-o", "mix.mp3"], ".wav"),
    (["{project}"], "-o"),
    (["{project}", "-o", "mix.wav", "--bit-depth", "8"], "bit-depth"),
    (["{project}", "-o", "mix.wav", "--sample-rate", "22050"], "sample-rate"),
    (["{project}", "-o", "mix.wav", "--soundfont", "nowhere.sf2"], "nowhere.sf2"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, project_file, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    argv = [a.replace("{project}", str(project_file)) for a in argv]
    code, out, err = run(capsys, "render", *argv)
    assert code == 2 and err.startswith("partita: error:") and err.count("\n") == 1
    assert words in err and not (tmp_path / "mix.wav").exists()


def test_an_empty_project_is_an_error(capsys, tmp_path, project_file):
    from app.project import Project

    save_project(Project(), tmp_path / "empty.partita")
    code, _, err = run(capsys, "render", tmp_path / "empty.partita", "-o", tmp_path / "mix.wav")
    assert code == 2 and "no tracks" in err


def test_a_missing_soundfont_setting_is_an_error(capsys, tmp_path, project_file, monkeypatch):
    monkeypatch.setenv("PARTITA_SOUNDFONT", str(tmp_path / "gone.sf2"))
    code, _, err = run(capsys, "render", project_file, "-o", tmp_path / "mix.wav")
    assert code == 2 and "PARTITA_SOUNDFONT" in err


def test_soundfont_lookup_order(tmp_path, monkeypatch):
    monkeypatch.delenv("PARTITA_SOUNDFONT", raising=False)
    folder = user_dir()
    folder.mkdir(parents=True)
    (folder / "zzz.sf2").write_bytes(tiny_sf2())
    (folder / "TimGM6mb.sf2").write_bytes(tiny_sf2())
    assert find_soundfont() == folder / "TimGM6mb.sf2"
    monkeypatch.setenv("PARTITA_SOUNDFONT", str(folder / "zzz.sf2"))
    assert find_soundfont() == folder / "zzz.sf2"
    monkeypatch.setenv("PARTITA_SOUNDFONT", "none")
    assert find_soundfont() is None


def test_render_says_which_soundfont_played(capsys, tmp_path, project_file, monkeypatch):
    (tmp_path / "tiny.sf2").write_bytes(tiny_sf2())
    monkeypatch.setenv("PARTITA_SOUNDFONT", str(tmp_path / "tiny.sf2"))
    code, _, err = run(capsys, "render", project_file, "-o", tmp_path / "mix.wav")
    assert code == 0, err
    if sf_backend.unavailable_reason():
        assert "tiny.sf2 not used" in err and "built-in synthesiser" in err
    else:
        assert "the SoundFont tiny.sf2" in err
