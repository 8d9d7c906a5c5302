"""Audio import/export: formats, rates, channel layouts and bad files."""
from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile as sf

from app.audio_io import audio_info, read_audio, write_audio
from app.errors import InputError
from tests.helpers import write_wav


def _peak_freq(x: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spec) * rate / len(x))


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000, 96000, 192000])
def test_any_rate_is_resampled_to_the_project_rate(tmp_path, rate):
    path = write_wav(tmp_path / f"{rate}.wav", 1.0, rate=rate, freq=1000.0)
    out = read_audio(path, 44100)
    assert out.dtype == np.float32 and out.shape[0] == 2
    assert abs(out.shape[1] - 44100) <= 2
    assert _peak_freq(out[0], 44100) == pytest.approx(1000.0, abs=2.0)


def test_mono_stays_mono_and_formats_read(tmp_path):
    mono = write_wav(tmp_path / "m.wav", 0.5, channels=1)
    assert read_audio(mono, 44100).shape == (1, 22050)
    data, rate = sf.read(str(mono), dtype="float32")
    for fmt, ext in (("FLAC", "flac"), ("OGG", "ogg"), ("MP3", "mp3")):
        path = tmp_path / f"m.{ext}"
        sf.write(str(path), data, rate, format=fmt)
        out = read_audio(path, 44100)
        assert out.shape[0] == 1 and abs(out.shape[1] - 22050) < 2500
        assert _peak_freq(out[0, 2000:20000], 44100) == pytest.approx(440, abs=5)


def test_eight_channels_fold_to_stereo(tmp_path):
    rate = 44100
    data = np.zeros((rate, 8), np.float32)
    data[:, 0] = 0.5  # left front only
    sf.write(str(tmp_path / "8ch.wav"), data, rate)
    out = read_audio(tmp_path / "8ch.wav", rate)
    assert out.shape == (2, rate)
    assert out[0].mean() > 0.1 and abs(out[1].mean()) < 1e-6


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"this is a text file, not audio at all" * 10), "not a readable audio file"),
    (lambda p: sf.write(str(p), np.zeros((0, 2), np.float32), 44100), "no audio"),
])
def test_bad_files_give_clear_errors(tmp_path, make, message):
    path = tmp_path / "bad.wav"
    make(path)
    with pytest.raises(InputError, match=message):
        read_audio(path, 44100)


def test_truncated_wav_keeps_what_is_there(tmp_path):
    path = write_wav(tmp_path / "t.wav", 1.0)
    path.write_bytes(path.read_bytes()[: 44 + 4 * 20000])
    out = read_audio(path, 44100)
    assert 15000 < out.shape[1] <= 44100


def test_three_hour_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "long.wav"
    rate = 1000  # a real three-hour file, small on disk
    with sf.SoundFile(str(path), "w", rate, 1, subtype="PCM_16") as f:
        block = np.zeros(rate * 60, np.float32)
        for _ in range(180):
            f.write(block)
    assert audio_info(path).seconds == pytest.approx(3 * 3600)
    with pytest.raises(InputError, match="longer than"):
        read_audio(path, 44100)


@pytest.mark.parametrize("depth, subtype", [("16", "PCM_16"), ("24", "PCM_24"), ("32f", "FLOAT")])
def test_export_bit_depths_and_rates(tmp_path, depth, subtype):
    samples = np.stack([np.linspace(-0.5, 0.5, 4800)] * 2).astype(np.float32)
    for rate in (44100, 48000):
        path = tmp_path / f"{depth}-{rate}.wav"
        write_audio(path, samples, rate, depth)
        info = sf.info(str(path))
        assert (info.samplerate, info.channels, info.frames, info.subtype) == (rate, 2, 4800, subtype)
        back, _ = sf.read(str(path), dtype="float32")
        assert np.max(np.abs(back.T - samples)) < 1e-3


def test_wav_header_lying_about_its_size(tmp_path):
    path = write_wav(tmp_path / "lie.wav", 0.2)
    raw = bytearray(path.read_bytes())
    raw[40:44] = struct.pack("<I", 0x7FFFFFF0)  # data chunk claims ~2 GB
    path.write_bytes(bytes(raw))
    try:
        out = read_audio(path, 44100)
    except InputError:
        return
    assert out.shape[1] <= 0.25 * 44100


def test_resampled_stereo_is_contiguous_and_keeps_channels_apart(tmp_path):
    rate = 48000
    t = np.arange(rate * 2) / rate
    data = np.stack([0.5 * np.sin(2 * np.pi * 300 * t), 0.5 * np.sin(2 * np.pi * 2000 * t)], 1)
    sf.write(str(tmp_path / "two.wav"), data.astype(np.float32), rate, subtype="FLOAT")
    out = read_audio(tmp_path / "two.wav", 44100)
    assert out.flags["C_CONTIGUOUS"] and out.shape[0] == 2
    assert _peak_freq(out[0], 44100) == pytest.approx(300, abs=2)
    assert _peak_freq(out[1], 44100) == pytest.approx(2000, abs=2)
