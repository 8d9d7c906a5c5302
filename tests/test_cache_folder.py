"""One cache folder: $PARTITA_CACHE (else $XDG_CACHE_HOME/partita) holds every cached file."""
from __future__ import annotations

from app import models
from app.settings import cache_dir
from tests.helpers import small_project


def test_partita_cache_holds_verified_hashes_and_drag_files(tmp_path, monkeypatch):
    from ui.dnd import drag_file_for

    monkeypatch.setenv("PARTITA_CACHE", str(tmp_path / "cache"))
    assert cache_dir() == tmp_path / "cache"
    models.resolve("composer")                      # verifies the shipped weights once
    project = small_project()
    dragged = drag_file_for(project, project.tracks[0])
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["cache/drag/Lead.mid", "cache/verified.json"]
    assert dragged == tmp_path / "cache" / "drag" / "Lead.mid"


def test_without_partita_cache_it_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("PARTITA_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "partita"
