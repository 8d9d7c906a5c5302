"""The model store: shipped weights, missing models, imports, and downloads over loopback."""
from __future__ import annotations

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from app import models
from app.cli import main
from engines.compose.config import tiny
from engines.compose.model import Composer
from engines.compose.weights import to_tensors


def tiny_weights(path: Path) -> bytes:
    from safetensors.torch import save_file

    tensors, meta = to_tensors(Composer(tiny()))
    save_file(tensors, str(path), metadata=meta)
    return path.read_bytes()


@pytest.fixture
def server():
    """A loopback HTTP server for one file, honouring Range; yields (set_body, url, hits)."""
    state = {"body": b"", "ranges": []}

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
            self.wfile.write(body[start:])

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield state, f"http://127.0.0.1:{httpd.server_port}/model.safetensors"
    httpd.shutdown()


def entry(url: str, body: bytes, sha: str | None = None) -> models.ModelInfo:
    return models.ModelInfo("toy", "toy.safetensors", url, len(body), sha or hashlib.sha256(body).hexdigest(),
                            "a toy", "nothing")


def test_the_shipped_composer_resolves_and_matches_its_registered_hash():
    path = models.resolve("composer")
    assert path.parent == models.SHIPPED_DIR
    assert models.sha256_file(path) == models.REGISTRY["composer"].sha256
    assert path.stat().st_size == models.REGISTRY["composer"].size


def test_a_missing_model_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setitem(models.REGISTRY, "toy", entry("http://127.0.0.1:9/x", b"x"))
    with pytest.raises(models.ModelMissingError, match="models download toy"):
        models.resolve("toy")
    with pytest.raises(models.ModelMissingError, match="PARTITA_OFFLINE"):
        models.resolve("toy", allow_download=True)


def test_download_verifies_and_resumes(server, monkeypatch, tmp_path):
    monkeypatch.delenv("PARTITA_OFFLINE", raising=False)
    monkeypatch.setenv("PARTITA_MODELS", str(tmp_path / "m"))
    state, url = server
    state["body"] = body = tiny_weights(tmp_path / "w.safetensors")
    monkeypatch.setitem(models.REGISTRY, "toy", entry(url, body))
    part = tmp_path / "m" / "toy.safetensors.part"
    part.parent.mkdir()
    part.write_bytes(body[:100])
    seen = []
    path = models.resolve("toy", allow_download=True, progress=lambda f, m: seen.append(f))
    assert path.read_bytes() == body and state["ranges"] == [100] and seen[-1] == 1.0
    assert not part.exists()
    assert models.resolve("toy") == path


def test_a_hash_mismatch_is_an_error_and_leaves_no_file(server, monkeypatch, tmp_path):
    monkeypatch.delenv("PARTITA_OFFLINE", raising=False)
    monkeypatch.setenv("PARTITA_MODELS", str(tmp_path / "m"))
    state, url = server
    state["body"] = b"not the model" * 100
    monkeypatch.setitem(models.REGISTRY, "toy", entry(url, state["body"], sha="0" * 64))
    with pytest.raises(models.ModelFileError, match="sha256"):
        models.download(models.REGISTRY["toy"])
    assert list((tmp_path / "m").iterdir()) == []


def test_an_unreachable_source_is_a_missing_model(monkeypatch, tmp_path):
    monkeypatch.delenv("PARTITA_OFFLINE", raising=False)
    monkeypatch.setenv("PARTITA_MODELS", str(tmp_path / "m"))
    monkeypatch.setitem(models.REGISTRY, "toy", entry("http://127.0.0.1:9/none", b"x"))
    with pytest.raises(models.ModelMissingError, match="could not download"):
        models.resolve("toy", allow_download=True)


def test_cli_imports_lists_and_locates_weights(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PARTITA_MODELS", str(tmp_path / "m"))
    body = tiny_weights(tmp_path / "mine.safetensors")
    monkeypatch.setitem(models.REGISTRY, "toy", entry(None, body))
    assert main(["models", "import", str(tmp_path / "mine.safetensors")]) == 0
    assert (tmp_path / "m" / "toy.safetensors").read_bytes() == body
    assert main(["models", "path", "toy"]) == 0
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "toy.safetensors" in out and "installed" in out and "shipped" in out
    (tmp_path / "junk.safetensors").write_bytes(b"junk")
    assert main(["models", "import", str(tmp_path / "junk.safetensors"), "--name", "toy"]) == 2
    assert main(["models", "download", "composer"]) == 2
    assert "partita: error:" in capsys.readouterr().err
