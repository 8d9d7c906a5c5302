"""The Hybrid Demucs path with a tiny randomly initialised HDemucs: chunking, overlap-add,
normalisation, device, progress and cancel, weights loading."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engines.common import CancelToken, Cancelled  # noqa: E402
from engines.separate import SOURCES  # noqa: E402
from engines.separate.api import separate  # noqa: E402
from engines.separate.config import ChunkConfig  # noqa: E402
from engines.separate.hdemucs import (DemucsConfig, DemucsSeparator, DemucsWeightsError,  # noqa: E402
                                      build_model, load_model, tiny_config)

RATE = 44100


@pytest.fixture(scope="module")
def tiny_model():
    torch.manual_seed(0)
    return build_model(tiny_config())


def _mix(channels=2, seconds=1.2, seed=0):
    rng = np.random.default_rng(seed)
    return (0.2 * rng.standard_normal((channels, int(RATE * seconds)))).astype(np.float32)


def test_stems_have_the_input_shape_and_progress_is_reported_per_segment(tiny_model):
    mix, seen = _mix(), []
    sep = DemucsSeparator(tiny_model, tiny_config())
    stems = separate(sep, mix, RATE, progress=lambda f, m="": seen.append((f, m)))
    assert stems.audio.shape == (len(SOURCES), 2, mix.shape[1]) and stems.method == "hdemucs"
    assert np.isfinite(stems.audio).all()
    assert len(seen) == 3 and seen[-1][0] == 1.0 and "segment 3 of 3" in seen[-1][1]


def test_one_segment_is_the_model_on_the_normalised_input(tiny_model):
    mix = _mix(seconds=0.4) + 0.05
    stems = separate(DemucsSeparator(tiny_model, tiny_config()), mix, RATE)
    mono = mix.astype(np.float64).mean(axis=0)
    mean, std = mono.mean(), mono.std()
    with torch.inference_mode():
        raw = tiny_model(torch.from_numpy(((mix - mean) / std).astype(np.float32))[None])[0].numpy()
    np.testing.assert_allclose(stems.audio, raw * std + mean / 4, atol=1e-5)


def test_output_scales_with_the_input(tiny_model):
    mix = _mix()
    sep = DemucsSeparator(tiny_model, tiny_config())
    np.testing.assert_allclose(separate(sep, mix * 0.1, RATE).audio * 10, separate(sep, mix, RATE).audio,
                               atol=1e-4)


def test_overlap_hides_the_seams(tiny_model):
    """Chunked output stays close to one pass over the whole input; more overlap, closer."""
    mix = _mix(seconds=1.5)
    cfg = tiny_config()
    whole = separate(DemucsSeparator(tiny_model, DemucsConfig(**{**cfg.__dict__, "chunk": ChunkConfig(3.0, 0.0)})),
                     mix, RATE).audio

    def error(overlap):
        c = DemucsConfig(**{**cfg.__dict__, "chunk": ChunkConfig(0.5, overlap)})
        cut = separate(DemucsSeparator(tiny_model, c), mix, RATE).audio
        return np.sqrt(np.mean((cut - whole) ** 2) / np.mean(whole ** 2))

    assert error(0.2) < error(0.0) and error(0.2) < 0.2


def test_mono_and_multichannel_inputs_keep_their_channel_count(tiny_model):
    sep = DemucsSeparator(tiny_model, tiny_config())
    for channels in (1, 3):
        mix = _mix(channels, seconds=0.3)
        assert separate(sep, mix, RATE).audio.shape == (4, channels, mix.shape[1])


def test_cancel_stops_between_segments(tiny_model):
    token = CancelToken()
    sep = DemucsSeparator(tiny_model, tiny_config())
    with pytest.raises(Cancelled):
        separate(sep, _mix(), RATE, progress=lambda f, m="": token.cancel(), cancel=token)


def test_wrong_rate_is_refused(tiny_model):
    with pytest.raises(ValueError, match="44100"):
        separate(DemucsSeparator(tiny_model, tiny_config()), _mix(), 48000)


def test_weights_load_without_unpickling_classes(tiny_model, tmp_path):
    path = tmp_path / "w.pt"
    torch.save(tiny_model.state_dict(), path)
    state = torch.load(path, weights_only=True, map_location="cpu")
    loaded = load_model(tiny_config(), state)
    mix = _mix(seconds=0.3)
    a = separate(DemucsSeparator(tiny_model, tiny_config()), mix, RATE).audio
    b = separate(DemucsSeparator(loaded, tiny_config()), mix, RATE).audio
    np.testing.assert_array_equal(a, b)
    with pytest.raises(DemucsWeightsError, match="do not fit"):
        load_model(DemucsConfig(channels=8, depth=3, nfft=64, dconv_depth=1, dconv_lstm=10, dconv_attn=10), state)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no GPU here")
def test_gpu_gives_the_cpu_result(tiny_model):
    mix = _mix()
    state = tiny_model.state_dict()
    cpu = separate(DemucsSeparator(load_model(tiny_config(), state), tiny_config()), mix, RATE).audio
    gpu = separate(DemucsSeparator(load_model(tiny_config(), state), tiny_config(), device="cuda"),
                   mix, RATE).audio
    np.testing.assert_allclose(gpu, cpu, atol=1e-3)
