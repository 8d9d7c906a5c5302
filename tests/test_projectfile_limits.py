"""A .partita may come from anyone: a zip bomb is refused, in one line, before it is inflated."""
from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile

import numpy as np
import pytest
import soundfile as sf

from app.cli import main
from app.errors import ProjectFileError
from app.project import AudioTrack
from app.projectfile import load_project, project_to_json, save_project
from tests.helpers import small_project

ONE_SECOND = np.zeros((2, 44100), np.float32)
BOMB_BYTES = 64 << 20


def write_zeros(zf: zipfile.ZipFile, name: str, size: int) -> None:
    """An entry of ``size`` zero bytes, deflated (a few hundred KB on disk)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    block = bytes(1 << 20)
    with zf.open(info, "w", force_zip64=True) as fh:
        for _ in range(size // len(block)):
            fh.write(block)


def project_with_stem(tmp_path, *, declared: bool = True) -> tuple[dict, str]:
    project = small_project()
    project.tracks.append(AudioTrack("Stem", ONE_SECOND.copy()))
    save_project(project, tmp_path / "ok.partita")
    doc = project_to_json(project)
    doc["tracks"][-1]["audio"] = name = f"audio/{project.tracks[-1].id}.wav"
    if not declared:
        del doc["tracks"][-1]["frames"], doc["tracks"][-1]["channels"]
    return doc, name


def refused_quickly_and_small(path) -> str:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ProjectFileError) as caught:
            load_project(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2.0
    assert peak < 16 << 20, f"{peak / 2**20:.0f} MiB was allocated before refusing"
    return str(caught.value)


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "old-file"])
def test_an_audio_entry_that_inflates_far_beyond_the_declaration_is_refused_unread(tmp_path, declared):
    doc, name = project_with_stem(tmp_path, declared=declared)
    path = tmp_path / "bomb.partita"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.json", json.dumps(doc))
        write_zeros(zf, name, BOMB_BYTES)
    assert path.stat().st_size < 2 << 20
    message = refused_quickly_and_small(path)
    assert "bomb.partita" in message and "64 MiB" in message and "\n" not in message


def test_an_oversized_project_json_is_refused_unread(tmp_path):
    path = tmp_path / "bomb.partita"
    with zipfile.ZipFile(path, "w") as zf:
        write_zeros(zf, "project.json", 80 << 20)
    assert "project.json would inflate to 80 MiB" in refused_quickly_and_small(path)


def test_a_stem_longer_than_declared_is_refused_before_decoding(tmp_path):
    doc, name = project_with_stem(tmp_path)
    silence = io.BytesIO()
    sf.write(silence, np.zeros((20 * 44100, 2), np.float32), 44100, format="FLAC")  # 20 s: tiny as FLAC
    name = name.replace(".wav", ".flac")
    doc["tracks"][-1]["audio"] = name
    path = tmp_path / "long.partita"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.json", json.dumps(doc))
        zf.writestr(name, silence.getvalue())
    assert "declares 44100" in refused_quickly_and_small(path)


def test_the_cli_refuses_a_bomb_in_one_line(tmp_path, capsys):
    doc, name = project_with_stem(tmp_path)
    path = tmp_path / "bomb.partita"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.json", json.dumps(doc))
        write_zeros(zf, name, 64 << 20)
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("partita: error:") and err.count("\n") == 1 and "not opened" in err


def test_stems_declare_their_size_and_files_without_it_still_open(tmp_path):
    project = small_project()
    project.tracks.append(AudioTrack("Stem", np.full((1, 3000), 0.25, np.float32)))
    save_project(project, tmp_path / "p.partita")
    with zipfile.ZipFile(tmp_path / "p.partita") as zf:
        doc = json.loads(zf.read("project.json"))
        entries = {n: zf.read(n) for n in zf.namelist()}
    assert (doc["tracks"][-1]["frames"], doc["tracks"][-1]["channels"]) == (3000, 1)
    del doc["tracks"][-1]["frames"], doc["tracks"][-1]["channels"]
    entries["project.json"] = json.dumps(doc).encode()
    with zipfile.ZipFile(tmp_path / "old.partita", "w") as zf:
        for n, data in entries.items():
            zf.writestr(n, data)
    assert np.array_equal(load_project(tmp_path / "old.partita").tracks[-1].samples,
                          project.tracks[-1].samples)
