"""The sound card path: PortAudio present or not, a device or none, and a real stream into ALSA's null sink."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from app.audio_output import ClockOutput, DeviceOutput, PlaybackUnavailable, unavailable_reason
from app.player import Player


class NoPortAudio:
    def find_spec(self, name, path=None, target=None):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return None


def test_without_portaudio_the_reason_names_the_package(monkeypatch):
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPortAudio(), *sys.meta_path])
    reason = unavailable_reason()
    assert reason and "PortAudio" in reason and "libportaudio2" in reason
    with pytest.raises(PlaybackUnavailable, match="PortAudio"):
        DeviceOutput(Player(44100)).start()


def test_clock_output_advances_the_player_in_real_time():
    now = [0.0]
    player = Player(1000, clock=lambda: now[0])
    player.set_stems({"a": np.ones((2, 5000), np.float32)})
    player.set_levels({"a": (1.0, 1.0)})
    player.set_length(5.0)
    player.play(at=0.0)
    output = ClockOutput(player)
    output.start()
    now[0] = 0.25
    output.pump()
    assert abs(player.position() - 0.25) < 0.002
    now[0] = 0.26
    assert abs(player.position() - 0.25) < 0.002, "no further than the frames it was fed"
    now[0] = 3.0
    output.pump()
    assert abs(player.position() - 1.25) < 0.002, "a stall feeds at most a second"


def test_a_real_stream_plays_into_the_alsa_null_device(tmp_path):
    try:
        import sounddevice  # noqa: F401
    except OSError:
        pytest.skip("PortAudio (libportaudio2) is not installed here")
    (tmp_path / ".asoundrc").write_text("pcm.!default { type null }\nctl.!default { type hw card 0 }\n")
    script = textwrap.dedent("""
        import time, numpy as np
        from app.audio_output import DeviceOutput, unavailable_reason
        from app.player import Player
        reason = unavailable_reason()
        if reason:
            print("SKIP", reason); raise SystemExit(0)
        player = Player(44100)
        player.set_stems({"a": np.zeros((2, 44100 * 2), np.float32)})
        player.set_levels({"a": (1.0, 1.0)})
        player.set_length(2.0)
        player.play(at=0.0)
        out = DeviceOutput(player)
        out.start()
        time.sleep(0.4)
        out.close()
        print("POSITION", player.position())
    """)
    env = dict(os.environ, HOME=str(tmp_path), PYTHONPATH=os.getcwd())
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    if done.stdout.startswith("SKIP"):
        pytest.skip(f"no ALSA null device here: {done.stdout.strip()}")
    position = float(done.stdout.split("POSITION")[1])
    assert position > 0.1, "PortAudio pulled blocks from the player"
