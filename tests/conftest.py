"""Shared fixtures. Qt runs offscreen; settings, autosave and HOME live in tmp."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def contract_work(tmp_path_factory):
    """The contract tests' fresh songs, renders and private folders, made once per run.

    ``tests/test_contract.py`` and ``tests/test_contract_engines.py`` share them
    (each writes under its own names in ``out/``); see ``contract_helpers.make_work``.
    """
    from tests.contract_helpers import make_work

    return make_work(tmp_path_factory.mktemp("contract"))


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user's config, data and cache folders.

    The renderer uses the built-in synthesiser unless a test points
    ``PARTITA_SOUNDFONT`` at a font (``tests/sf2_tiny.py``) or removes it to test
    the search: a SoundFont installed on the machine must not change results.
    """
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                     ("XDG_CACHE_HOME", ".cache")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("PARTITA_OFFLINE", "1")
    monkeypatch.setenv("PARTITA_SOUNDFONT", "none")
    yield


@pytest.fixture(scope="session")
def basic_pitch_session():
    """basic-pitch's network (the ONNX file shipped in resources/models) in an onnxruntime session."""
    from app.models import SHIPPED_DIR, info
    from engines.transcribe.nmp import open_session

    return open_session((SHIPPED_DIR / info("basic-pitch").file).read_bytes())


@pytest.fixture(scope="session")
def transcriber():
    """The transcription engine with the shipped network and drum classifier, on the CPU."""
    from safetensors.numpy import load_file

    from app.models import SHIPPED_DIR, check_safetensors, info
    from engines.transcribe import Transcriber
    from engines.transcribe.drum_model import from_arrays

    drums = SHIPPED_DIR / info("drum-classifier").file
    return Transcriber((SHIPPED_DIR / info("basic-pitch").file).read_bytes(),
                       from_arrays(load_file(str(drums)), check_safetensors(drums)))
