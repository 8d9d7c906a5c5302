"""Real drag and drop between applications, on a virtual X server.

How it is driven: the test starts its own Xvfb, then two processes on it: Partita's window
(tests/gui/xdnd_window.py: the app's MainWindow on a small project) and another small Qt
application (tests/gui/xdnd_peer.py: a drag source carrying a WAV file, and a drop target).
xdotool moves the X pointer and presses and releases the button, so the drags are real X
input and the data travels by the XDND protocol between the processes, as between a file
manager or a DAW and Partita. The two scripts write where their widgets are and what they
hold to status files the test reads.

1. The peer's WAV is dragged onto Partita's window: a track appears.
2. A track's name is dragged out of Partita onto the peer's target: the peer receives a file
   it can read as MIDI, with the track's notes.

Skipped only where Xvfb or xdotool is not installed (the README's test command installs
both) or the X server does not start.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.project import MidiTrack, Note, Project, Role

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCREEN = "1600x1000x24"

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")),
                                reason="needs Xvfb and xdotool (apt-get install xvfb xdotool)")


def _free_display() -> int:
    for number in range(90 + os.getpid() % 50, 400):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    pytest.skip("no free X display number")


@pytest.fixture
def display(tmp_path):
    number = _free_display()
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", SCREEN, "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.skip(f"Xvfb could not start a display :{number}")
        time.sleep(0.1)
    home = tmp_path / "home"
    env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
           "XDG_CACHE_HOME": str(home / ".cache"), "PARTITA_SOUNDFONT": "none",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    yield env
    server.terminate()
    server.wait(timeout=10)


def _start(env, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _status(path: Path, ready, process: subprocess.Popen, timeout: float = 60.0) -> dict:
    """The status file's content once ``ready(content)`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{path.stem} exited: {process.stdout.read() if process.stdout else ''}")
        if path.exists():
            data = json.loads(path.read_text())
            if ready(data):
                return data
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {path.name}: "
                         f"{path.read_text() if path.exists() else 'never written'}")


def _drag(env, start, end, steps: int = 25) -> None:
    """Press at ``start``, move in steps to ``end``, release: real pointer events via xdotool."""
    def xdo(*args) -> None:
        subprocess.run(["xdotool", *map(str, args)], env=env, check=True, timeout=10)

    xdo("mousemove", *start)
    time.sleep(0.3)
    xdo("mousedown", 1)
    time.sleep(0.2)
    for i in range(1, steps + 1):
        x = round(start[0] + (end[0] - start[0]) * i / steps)
        y = round(start[1] + (end[1] - start[1]) * i / steps)
        xdo("mousemove", x, y)
        time.sleep(0.04)
    time.sleep(0.4)
    xdo("mouseup", 1)


def _project(path: Path) -> Path:
    from app.projectfile import save_project

    project = Project(name="Drag test", length_bars=4)
    project.tracks.append(MidiTrack("Riff", [Note(48 + i % 7, i * 240, 200, 100) for i in range(16)],
                                    Role.BASS, program=33))
    save_project(project, path)
    return path


def test_a_wav_dragged_in_becomes_a_track_and_a_track_dragged_out_is_a_readable_file(display, tmp_path):
    t = np.arange(2 * 44100) / 44100
    wav = tmp_path / "shaker loop.wav"
    sf.write(wav, np.stack([np.sin(2 * np.pi * 330 * t)] * 2, axis=1) * 0.3, 44100)
    window = _start(display, str(HERE / "xdnd_window.py"), str(_project(tmp_path / "drag.partita")),
                    str(tmp_path / "window.json"))
    peer = _start(display, str(HERE / "xdnd_peer.py"), str(wav), str(tmp_path / "peer.json"))
    try:
        shown = _status(tmp_path / "window.json", lambda d: "Riff" in d["tracks"], window)
        places = _status(tmp_path / "peer.json", lambda d: d["target"] is not None, peer)
        time.sleep(1.0)  # both windows mapped and idle

        _drag(display, places["source"], shown["window"])
        grown = _status(tmp_path / "window.json", lambda d: "shaker loop" in d["tracks"], window)
        assert set(grown["tracks"]) == {"Riff", "shaker loop"}

        _drag(display, grown["tracks"]["Riff"], places["target"])
        got = _status(tmp_path / "peer.json", lambda d: d["received"], peer)["received"]
        assert len(got) == 1 and got[0]["path"].endswith("Riff.mid"), got
        assert got[0].get("kind") == "midi" and got[0]["notes"] == 16, got
    finally:
        for process in (window, peer):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
