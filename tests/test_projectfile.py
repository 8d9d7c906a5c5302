"""The .partita file: lossless round trip, atomic save, clear errors for damaged or newer files."""
from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from app import projectfile
from app.errors import ProjectFileError
from app.project import AudioTrack, Project, TempoChange
from app.projectfile import load_project, save_project
from tests.helpers import small_project


def _with_audio(samples: np.ndarray):
    project = small_project()
    project.tempo_map = [TempoChange(0, 100.0), TempoChange(1920, 140.0)]
    project.key = "Eb:minor"
    project.curves["dynamics"] = np.array([np.nan, -3.5, -1.0, np.nan], np.float32)
    project.tracks.append(AudioTrack("Stem", samples, gain_db=-3.0, pan=0.5, source="x.wav"))
    return project


@pytest.mark.parametrize("samples", [
    np.round(np.random.default_rng(1).uniform(-1, 1, (2, 5000)) * 32767) / 32768,  # 16-bit source
    np.round(np.random.default_rng(2).uniform(-1, 1, (1, 5000)) * 8388607) / 8388608,  # 24-bit
    np.random.default_rng(3).normal(0, 0.7, (2, 5000)),  # float, peaks above 1.0
])
def test_round_trip_keeps_everything_bit_exact(tmp_path, samples):
    project = _with_audio(samples.astype(np.float32))
    save_project(project, tmp_path / "p.partita")
    loaded = load_project(tmp_path / "p.partita")
    assert projectfile.project_to_json(loaded) == projectfile.project_to_json(project)
    assert np.array_equal(loaded.tracks[-1].samples, project.tracks[-1].samples)
    assert loaded.tracks[-1].samples.dtype == np.float32


def test_integer_sources_are_stored_as_flac(tmp_path):
    samples = (np.round(np.linspace(-1, 1, 4000) * 32767) / 32768).astype(np.float32)[None]
    save_project(_with_audio(samples), tmp_path / "p.partita")
    names = zipfile.ZipFile(tmp_path / "p.partita").namelist()
    assert any(n.endswith(".flac") for n in names)


def test_failed_save_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "p.partita"
    save_project(small_project(), path)
    before = path.read_bytes()

    def boom(project, fh):
        fh.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(projectfile, "write_project", boom)
    with pytest.raises(OSError):
        save_project(small_project(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.partita"]


def test_newer_file_is_a_clear_error(tmp_path):
    path = tmp_path / "new.partita"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.json", json.dumps({"format": "partita.project", "version": 99}))
    with pytest.raises(ProjectFileError, match="newer Partita"):
        load_project(path)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04garbage"])
def test_damaged_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.partita"
    path.write_bytes(content)
    with pytest.raises(ProjectFileError, match="bad.partita"):
        load_project(path)


def test_truncated_file_is_a_clear_error(tmp_path):
    path = tmp_path / "p.partita"
    save_project(_with_audio(np.zeros((2, 1000), np.float32)), path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ProjectFileError):
        load_project(path)


def test_damaged_json_fields_are_a_clear_error(tmp_path):
    path = tmp_path / "p.partita"
    doc = projectfile.project_to_json(small_project())
    doc["tracks"][0]["notes"] = [["x"]]
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.json", json.dumps(doc))
    with pytest.raises(ProjectFileError, match="damaged"):
        load_project(path)


def test_track_groups_round_trip_and_old_files_without_them_still_load(tmp_path):
    project = _with_audio(np.zeros((2, 100), np.float32))
    stem = AudioTrack("Stem drums", np.zeros((2, 100), np.float32), group=project.tracks[-1].id)
    project.tracks.append(stem)
    save_project(project, tmp_path / "g.partita")
    loaded = load_project(tmp_path / "g.partita")
    assert loaded.tracks[-1].group == project.tracks[-2].id
    assert loaded.grouped_under(project.tracks[-2].id) == [loaded.tracks[-1]]
    # A file written before groups existed has no "group" keys: every track loads ungrouped.
    with zipfile.ZipFile(tmp_path / "g.partita") as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    doc = json.loads(entries["project.json"])
    for track in doc["tracks"]:
        del track["group"]
    entries["project.json"] = json.dumps(doc).encode()
    with zipfile.ZipFile(tmp_path / "old.partita", "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    old = load_project(tmp_path / "old.partita")
    assert [t.group for t in old.tracks] == [None] * len(old.tracks)
    assert [t.name for t in old.tracks] == [t.name for t in project.tracks]


def test_a_short_last_bar_round_trips_and_old_files_end_on_a_bar_line(tmp_path):
    from app.commands import SetProjectProps, UndoStack

    project = Project(name="short", length_bars=3, last_bar_ticks=960)  # 2.5 bars of 4/4 at 120 BPM
    assert project.length_ticks == 2 * 1920 + 960 and project.duration == pytest.approx(5.0)
    save_project(project, tmp_path / "s.partita")
    assert load_project(tmp_path / "s.partita").duration == pytest.approx(5.0)
    with zipfile.ZipFile(tmp_path / "s.partita") as zf:
        doc = json.loads(zf.read("project.json"))
    del doc["last_bar_ticks"]  # a file written before the field existed
    with zipfile.ZipFile(tmp_path / "old.partita", "w") as zf:
        zf.writestr("project.json", json.dumps(doc))
    assert load_project(tmp_path / "old.partita").duration == pytest.approx(6.0)
    stack = UndoStack(project)
    stack.push(SetProjectProps(length_bars=4))
    assert project.duration == pytest.approx(8.0), "a new length makes the last bar whole"
    stack.undo()
    assert project.duration == pytest.approx(5.0)
    stack.push(SetProjectProps(time_signature="3/4", length_bars=3, last_bar_ticks=5000))
    assert project.duration == pytest.approx(4.5), "a last bar longer than a bar is a whole bar"
