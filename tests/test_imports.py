"""The core works without Qt and does not import torch; commands import only what they use.

How long ``import app, engines`` and each command take is measured by
``tests/bench/bench_cli.py`` (timings flake on a loaded machine; these checks do not).
"""
import os
import pathlib
import subprocess
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]

BLOCK_QT = """
import importlib.abc, sys
class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6'):
            raise ImportError('Qt is not installed here')
sys.meta_path.insert(0, NoQt())
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_core_imports_without_torch_or_qt():
    out = _run(BLOCK_QT + "import app, engines, app.commands, app.projectfile, app.midi_io, "
               "app.audio_io, app.document, app.importing, app.cli\n"
               "print([m for m in ('torch', 'torchaudio', 'librosa', 'PySide6', 'pyqtgraph') "
               "if m in sys.modules])")
    assert out.strip() == "[]"


def test_every_core_and_engine_module_imports_without_qt():
    out = _run(BLOCK_QT + "import pkgutil, importlib, app, engines\n"
               "names = [m.name for pkg in (app, engines) for m in "
               "pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.') "
               "if not m.name.endswith('__main__')]\n"
               "for name in names:\n    importlib.import_module(name)\n"
               "print(len(names))")
    assert int(out) > 10


HEAVY = ("torch", "torchaudio", "librosa", "scipy.signal", "scipy.stats", "music21", "madmom")
"""Modules that take 0.3-2 s to import: a command that does not need them must not load them."""
ENGINES = ("engines.render.render", "engines.controls.audio", "engines.compose.api")


def _imported_by(argv: list[str], tmp_path: pathlib.Path, watch: tuple[str, ...] = HEAVY) -> list[str]:
    code = (f"import sys\nfrom app.cli import main\ncode = main({argv!r})\n"
            f"assert code == 0, code\nprint([m for m in {watch!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PARTITA_SOUNDFONT": "none"})
    assert done.returncode == 0, done.stderr
    return eval(done.stdout.strip().splitlines()[-1])


def test_commands_that_run_no_engine_import_nothing_heavy(tmp_path):
    song = tmp_path / "song.partita"
    watch = HEAVY + ENGINES
    assert _imported_by(["new", str(song), "--bars", "4"], tmp_path, watch) == []
    assert _imported_by(["info", str(song), "--json"], tmp_path, watch) == []
    assert _imported_by(["models", "list"], tmp_path, watch) == []


def test_render_imports_no_scipy_signal(tmp_path):
    """Rendering drums and a dynamics curve (both filter audio) needs numpy only."""
    from app.projectfile import save_project
    from tests.helpers import small_project

    project = small_project()
    project.curves["dynamics"] = np.full(project.n_frames, -24.0, dtype=np.float32)
    save_project(project, tmp_path / "song.partita")
    assert _imported_by(["render", str(tmp_path / "song.partita"), "-o",
                         str(tmp_path / "mix.wav")], tmp_path) == []
