"""Print how long `partita open` takes from process start to a visible window.

Run from the repository root:
    python tests/bench/bench_startup.py [FILE] [--runs 5]

FILE defaults to the demo project (resources/demo/demo.partita, or a
demo-like project written to a temp file when the demo is not installed).
Each run is a fresh process through the real CLI path (``app.cli.main``);
the clock starts before the interpreter starts and stops when the window's
first show has been processed. Uses the offscreen platform unless DISPLAY is
set and --x11 is given. Also reports whether torch was imported (it must not
be until an engine runs).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.main_window as mw

original_show = mw.MainWindow.show_on_screen  # show() or showMaximized() (a small screen)

def show(self):
    original_show(self)
    def report():
        print(f"SHOWN {time.time():.6f} TORCH {'torch' in sys.modules} PYQTGRAPH {'pyqtgraph' in sys.modules}")
        self.files.confirm_discard = lambda: True
        QApplication.quit()
    QTimer.singleShot(0, report)

mw.MainWindow.show_on_screen = show
from ui.cli import main
sys.exit(main(["open", "--no-recovery", sys.argv[1]]))
"""


def demo_file() -> Path:
    demo = ROOT / "resources" / "demo" / "demo.partita"
    if demo.is_file():
        return demo
    sys.path.insert(0, str(ROOT))
    from app.projectfile import save_project
    from tests.gui.factory import demo_project

    path = Path(tempfile.mkdtemp()) / "demo.partita"
    save_project(demo_project(), path)
    return path


def one_run(path: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    line = next((l for l in done.stdout.splitlines() if l.startswith("SHOWN")), None)
    if line is None:
        raise SystemExit(f"the app did not show a window:\n{done.stdout}\n{done.stderr}")
    parts = line.split()
    return float(parts[1]) - start, " ".join(parts[2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--x11", action="store_true", help="use the X11 display in $DISPLAY")
    args = parser.parse_args()
    path = args.file or demo_file()
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=tempfile.mkdtemp())
    env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = env["XDG_CACHE_HOME"] = env["HOME"]
    if not args.x11:
        env["QT_QPA_PLATFORM"] = "offscreen"
    one_run(path, env)  # warm the file cache
    times, flags = [], ""
    for _ in range(args.runs):
        seconds, flags = one_run(path, env)
        times.append(seconds)
    print(f"startup to a visible window ({path.name}, {env.get('QT_QPA_PLATFORM', 'x11')}): "
          f"median {statistics.median(times):.2f} s, best {min(times):.2f} s, worst {max(times):.2f} s "
          f"over {args.runs} runs; imported at show: {flags}")


if __name__ == "__main__":
    main()
