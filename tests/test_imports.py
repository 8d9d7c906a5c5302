"""The core works without Qt, does not import torch, and imports fast."""
import pathlib
import subprocess
import sys

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


def test_core_imports_quickly():
    out = _run("import time; t = time.perf_counter(); import app, engines; "
               "print(time.perf_counter() - t)")
    assert float(out) < 0.5
