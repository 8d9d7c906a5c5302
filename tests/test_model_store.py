"""The model store: which file is in use, imports that win, damage refused at load, downloads over loopback."""
from __future__ import annotations

import hashlib
import http.server
import json
import os
import threading
from pathlib import Path

import pytest

from app import models
from app.cli import main
from engines.compose.config import tiny
from engines.compose.model import Composer
from engines.compose.weights import to_tensors


def tiny_weights(path: Path, *, fmt: str | None = None) -> bytes:
    from safetensors.torch import save_file

    tensors, meta = to_tensors(Composer(tiny()))
    if fmt:
        meta["format"] = fmt
    save_file(tensors, str(path), metadata=meta)
    return path.read_bytes()


@pytest.fixture
def store(monkeypatch, tmp_path):
    """A fresh user model folder and cache."""
    monkeypatch.setenv("PARTITA_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("PARTITA_CACHE", str(tmp_path / "cache"))
    return tmp_path / "models"


@pytest.fixture
def server():
    """A loopback HTTP server for one file, honouring Range; yields (state, url)."""
    state = {"body": b"", "ranges": [], "fail_after": None}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body, start = state["body"], 0
            if self.headers.get("Range"):
                start = int(self.headers["Range"].split("=")[1].split("-")[0])
                state["ranges"].append(start)
                self.send_response(206)
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            cut = state["fail_after"]
            self.wfile.write(body[start:] if cut is None else body[start:cut])

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield state, f"http://127.0.0.1:{httpd.server_port}/model.safetensors"
    httpd.shutdown()


def entry(url: str | None, body: bytes, sha: str | None = None) -> models.ModelInfo:
    return models.ModelInfo(name="toy", kind="toy", file="toy.safetensors", url=url, size=len(body),
                            sha256=sha or hashlib.sha256(body).hexdigest(), description="a toy",
                            fallback="the embedded toy engine runs instead")


def list_json(capsys) -> dict:
    capsys.readouterr()
    assert main(["models", "list", "--json"]) == 0
    return {m["name"]: m for m in json.loads(capsys.readouterr().out)["models"]}


def test_a_fresh_store_uses_the_shipped_composer(store, capsys):
    path = models.resolve("composer")
    assert path.parent == models.SHIPPED_DIR
    assert path.stat().st_size == models.REGISTRY["composer"].size
    composer = list_json(capsys)["composer"]
    assert composer["status"] == "shipped" and composer["in_use"] == str(path)
    assert main(["models", "list"]) == 0
    row = [line for line in capsys.readouterr().out.splitlines() if line.startswith("composer")]
    assert len(row) == 1 and row[0].split()[2:4] == ["shipped", "yes"]


def test_an_imported_composer_wins_over_the_shipped_one_and_is_used(store, tmp_path, capsys):
    body = tiny_weights(tmp_path / "my.safetensors")
    assert main(["models", "import", str(tmp_path / "my.safetensors"), "--name", "composer"]) == 0
    composer = list_json(capsys)["composer"]
    assert composer["status"] == "imported" and composer["in_use"] == str(store / "composer.safetensors")
    assert [f["state"] for f in composer["files"]] == ["imported", "shipped"]
    assert (store / "composer.safetensors").read_bytes() == body
    from app.infill import load_composer

    assert load_composer().cfg == tiny()  # infill loads the imported weights, not the shipped ones
    assert main(["models", "remove", "composer"]) == 0
    assert list_json(capsys)["composer"]["status"] == "shipped"
    assert load_composer().cfg != tiny()


def test_a_damaged_import_is_refused_at_load_with_one_line(store, tmp_path, capsys):
    tiny_weights(tmp_path / "my.safetensors")
    assert main(["models", "import", str(tmp_path / "my.safetensors"), "--name", "composer"]) == 0
    imported = store / "composer.safetensors"
    data = bytearray(imported.read_bytes())
    data[-10] ^= 0xFF  # a flipped byte inside a tensor: the header still reads fine
    imported.write_bytes(bytes(data))
    from app.projectfile import save_project
    from tests.test_infill import chorale_project

    save_project(chorale_project(), tmp_path / "song.partita")
    capsys.readouterr()
    assert main(["infill", str(tmp_path / "song.partita"), "-o", str(tmp_path / "o.partita"),
                 "--tracks", "Alto"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("partita: error: the imported composer weights")
    assert "damaged" in err[0] and "partita models remove composer" in err[0]
    assert not (tmp_path / "o.partita").exists()
    assert "DAMAGED" in (main(["models", "list"]) == 0 and capsys.readouterr().out)


def test_a_shipped_file_is_verified_once_per_size_and_mtime(store, monkeypatch, tmp_path):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    body = tiny_weights(shipped / "toy.safetensors")
    monkeypatch.setattr(models, "SHIPPED_DIR", shipped)
    monkeypatch.setitem(models.REGISTRY, "toy", entry(None, body))
    hashed = []
    real = models.sha256_file
    monkeypatch.setattr(models, "sha256_file", lambda p: hashed.append(p) or real(p))
    for _ in range(3):
        assert models.resolve("toy") == shipped / "toy.safetensors"
    assert len(hashed) == 1
    os.utime(shipped / "toy.safetensors", ns=(1, 1))  # touched: hashed again, still intact
    models.resolve("toy")
    assert len(hashed) == 2
    (shipped / "toy.safetensors").write_bytes(body[:-1] + b"!")
    with pytest.raises(models.ModelFileError, match="shipped toy weights .* are damaged.*reinstall"):
        models.resolve("toy")


def test_import_refuses_other_kinds_and_unknown_files(store, tmp_path, capsys):
    tiny_weights(tmp_path / "sep.safetensors", fmt="partita.separator/1")
    assert main(["models", "import", str(tmp_path / "sep.safetensors"), "--name", "composer"]) == 2
    assert "not a composer model" in capsys.readouterr().err
    (tmp_path / "junk.safetensors").write_bytes(b"junk")
    assert main(["models", "import", str(tmp_path / "junk.safetensors"), "--name", "composer"]) == 2
    assert main(["models", "import", str(tmp_path / "junk.safetensors")]) == 2
    assert "matches no known model" in capsys.readouterr().err
    assert not (store / "composer.safetensors").exists()


def test_weights_inside_an_installed_package_are_shipped(store, monkeypatch, tmp_path):
    pkg = tmp_path / "site" / "toypkg" / "weights"
    pkg.mkdir(parents=True)
    (pkg.parent / "__init__.py").write_text("")
    body = tiny_weights(pkg / "toy.safetensors")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setitem(models.REGISTRY, "toy", entry("package:toypkg/weights/toy.safetensors", body))
    cand = models.in_use(models.REGISTRY["toy"])
    assert cand is not None and cand.state == "shipped" and cand.path == pkg / "toy.safetensors"
    monkeypatch.setitem(models.REGISTRY, "toy", entry("package:nosuchpkg/toy.safetensors", body))
    with pytest.raises(models.ModelMissingError, match="install the Python package 'nosuchpkg'"):
        models.resolve("toy")


def test_download_shows_progress_resumes_and_verifies(store, server, monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("PARTITA_OFFLINE", raising=False)
    state, url = server
    state["body"] = body = tiny_weights(tmp_path / "w.safetensors")
    monkeypatch.setitem(models.REGISTRY, "toy", entry(url, body))
    state["fail_after"] = 5000  # the connection drops part-way: bytes kept to resume
    with pytest.raises(models.ModelMissingError, match="bytes kept to resume"):
        models.resolve("toy", allow_download=True)
    part = models.download_dir() / "toy.safetensors.part"
    assert part.stat().st_size == 5000
    state["fail_after"] = None
    seen = []
    path = models.resolve("toy", allow_download=True, progress=lambda f, m: seen.append((f, m)))
    assert path.read_bytes() == body and state["ranges"] == [5000] and not part.exists()
    assert seen[0][0] > 5000 / len(body) and seen[-1][0] == 1.0 and "MB" in seen[-1][1]
    assert models.in_use(models.REGISTRY["toy"]).state == "cached"
    assert list_json(capsys)["toy"]["status"] == "cached"


def test_a_hash_mismatch_is_refused_and_leaves_no_file(store, server, monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("PARTITA_OFFLINE", raising=False)
    state, url = server
    state["body"] = b"not the model" * 100
    monkeypatch.setitem(models.REGISTRY, "toy", entry(url, state["body"], sha="0" * 64))
    assert main(["models", "download", "toy"]) == 2
    err = capsys.readouterr().err
    assert "sha256" in err and "nothing was installed" in err
    assert list(models.download_dir().iterdir()) == []
    assert models.in_use(models.REGISTRY["toy"]) is None


def test_offline_the_message_names_what_runs_instead(store, monkeypatch):
    monkeypatch.setitem(models.REGISTRY, "toy", entry("http://127.0.0.1:9/x", b"x"))
    with pytest.raises(models.ModelMissingError, match="models download toy") as info:
        models.resolve("toy")
    assert info.value.fallback == "the embedded toy engine runs instead"
    with pytest.raises(models.ModelMissingError, match="PARTITA_OFFLINE is set.*embedded toy engine runs instead"):
        models.resolve("toy", allow_download=True)
    monkeypatch.delenv("PARTITA_OFFLINE")
    with pytest.raises(models.ModelMissingError, match="could not download.*embedded toy engine runs instead"):
        models.resolve("toy", allow_download=True)


def test_a_shipped_only_model_cannot_be_downloaded(store, capsys):
    assert main(["models", "download", "composer"]) == 2
    assert "partita: error: model 'composer' has no download source" in capsys.readouterr().err


def test_an_import_from_before_the_data_folder_is_still_used(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("PARTITA_MODELS", raising=False)
    monkeypatch.setenv("PARTITA_CACHE", str(tmp_path / "cache"))
    old = tmp_path / "cache" / "models" / "composer.safetensors"  # where imports went before
    old.parent.mkdir(parents=True)
    tiny_weights(old)
    composer = list_json(capsys)["composer"]
    assert composer["status"] == "imported" and composer["in_use"] == str(old)
    from app.infill import load_composer

    assert load_composer().cfg == tiny()
    old.write_bytes(b"not weights")  # no recorded hash there: its header is checked instead
    with pytest.raises(models.ModelFileError, match="not a readable .safetensors file.*models import"):
        models.resolve("composer")
    assert main(["models", "remove", "composer"]) == 0 and not old.exists()
    assert models.in_use(models.REGISTRY["composer"]).state == "shipped"
