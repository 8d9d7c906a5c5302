"""Mutated MIDI and WAV bytes: every import either works or says why in one line."""
from __future__ import annotations

import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.errors import InputError
from app.importing import project_from_file
from app.midi_io import build_midi
from tests.helpers import small_project


def _midi_bytes() -> bytes:
    buf = io.BytesIO()
    build_midi(small_project()).save(file=buf)
    return buf.getvalue()


def _wav_bytes() -> bytes:
    import soundfile as sf

    buf = io.BytesIO()
    sf.write(buf, np.sin(np.arange(4000) / 10).astype(np.float32) * 0.3, 8000, format="WAV",
             subtype="PCM_16")
    return buf.getvalue()


SEEDS = {".mid": _midi_bytes(), ".wav": _wav_bytes()}


@st.composite
def mutated(draw):
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[suffix])
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[pos: pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif data:
            data[pos: pos + 4] = b"\x00\x00\x00\x00"[: len(data) - pos]
    return suffix, bytes(data)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=mutated())
def test_mutated_files_import_or_fail_clearly(tmp_path, case):
    suffix, data = case
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        project = project_from_file(path)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        for track in project.tracks:
            if track.kind == "audio":
                assert np.all(np.isfinite(track.samples))
            else:
                assert all(0 <= n.pitch <= 127 and n.duration >= 1 for n in track.notes)
    assert path.read_bytes() == data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=mutated())
def test_mutated_files_through_the_command(tmp_path, capsys, case):
    suffix, data = case
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    code = main(["info", str(path), "--json"])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert err.startswith("partita: error:") and len(err.strip().splitlines()) == 1
    assert path.read_bytes() == data
