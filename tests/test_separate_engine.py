"""The separation engine on tiny synthetic inputs: STFT, overlap-add, both separators."""
from __future__ import annotations

import numpy as np
import pytest

from engines.common import CancelToken, Cancelled
from engines.separate import SOURCES, overlap_add
from engines.separate.api import separate
from engines.separate.config import ChunkConfig
from engines.separate.embedded import EmbeddedConfig, EmbeddedSeparator
from engines.separate.mask_config import MaskConfig, tiny
from engines.separate.mask_model import MaskNet, MaskWeightsError, expected_shapes, from_arrays
from engines.separate.stft import istft, stft


def _noise(channels: int, n: int, seed: int = 0) -> np.ndarray:
    return (0.1 * np.random.default_rng(seed).standard_normal((channels, n))).astype(np.float32)


def _random_net(cfg: MaskConfig = tiny(), seed: int = 0) -> MaskNet:
    rng = np.random.default_rng(seed)
    return MaskNet(cfg, {k: (0.3 * rng.standard_normal(s)).astype(np.float32)
                         for k, s in expected_shapes(cfg).items()})


@pytest.mark.parametrize("hop", [512, 557, 128])
@pytest.mark.parametrize("n", [1, 700, 20_011])
def test_stft_inverts_exactly(hop, n):
    x = _noise(2, n)
    assert np.abs(istft(stft(x, 4 * hop, hop), 4 * hop, hop, n) - x).max() < 1e-5


def test_segments_cover_the_input_and_fades_sum_to_one():
    starts = overlap_add.segment_starts(1000, 300, 50)
    assert starts[0] == 0 and starts[-1] == 700 and all(b > a for a, b in zip(starts, starts[1:]))
    assert overlap_add.segment_starts(200, 300, 50) == [0]
    w1 = overlap_add.segment_weights(300, 0, 50)
    w2 = overlap_add.segment_weights(300, 50, 50)
    np.testing.assert_allclose(w1[250:] + w2[:50], 1.0, atol=1e-6)
    assert w1.min() > 0 and w2.min() > 0


def _blocks(x, fn, segment=300, overlap=40, **kw):
    return list(overlap_add.stream(lambda a, b: x[:, a:b], x.shape[1], fn, segment=segment,
                                   overlap=overlap, **kw))


def test_overlap_add_streams_consecutive_blocks_that_sum_to_the_input():
    x = _noise(2, 1234)

    def uneven(seg):  # depends on the segment's content, sums to it
        share = np.abs(seg).mean() * np.arange(1, 5, dtype=np.float32)[:, None, None]
        parts = np.repeat(seg[None], 4, axis=0) * share / share.sum()
        return parts.astype(np.float32)

    blocks = _blocks(x, uneven)
    assert blocks[0].start == 0 and blocks[-1].stop == 1234
    assert all(a.stop == b.start for a, b in zip(blocks, blocks[1:]))
    assert max(b.audio.shape[-1] for b in blocks) <= 300
    out = np.concatenate([b.audio for b in blocks], axis=-1)
    np.testing.assert_allclose(out.sum(axis=0), x, atol=1e-6)


def test_overlap_add_reports_progress_per_segment_and_stops_when_cancelled():
    x = _noise(1, 2000)
    seen = []
    _blocks(x, lambda s: np.repeat(s[None], 4, axis=0) / 4, progress=lambda f, m="": seen.append(f))
    assert len(seen) == len(overlap_add.segment_starts(2000, 300, 40)) and seen[-1] == 1.0
    token, calls = CancelToken(), []

    def fn(seg):
        calls.append(1)
        token.cancel()
        return np.repeat(seg[None], 4, axis=0) / 4

    with pytest.raises(Cancelled):
        _blocks(x, fn, cancel=token)
    assert len(calls) == 1


def test_numpy_network_matches_the_torch_module():
    torch = pytest.importorskip("torch")
    from engines.separate.mask_torch import MaskModule, to_tensors

    torch.manual_seed(1)
    module = MaskModule(tiny()).eval()
    logmag = torch.randn(1, tiny().n_bands, 57)
    with torch.no_grad():
        want = module(logmag)[0].numpy()
    tensors, meta = to_tensors(module, half=False)
    got = from_arrays({k: v.numpy() for k, v in tensors.items()}, meta).masks(logmag[0].numpy())
    np.testing.assert_allclose(got, want, atol=1e-5)
    np.testing.assert_allclose(got.sum(axis=0), 1.0, atol=1e-5)


def test_weights_that_do_not_fit_their_config_are_refused():
    net = _random_net()
    with pytest.raises(MaskWeightsError, match="format"):
        from_arrays(net.w, {"format": "something else"})
    bad = dict(net.w)
    bad["embed.weight"] = bad["embed.weight"][:, :3]
    with pytest.raises(MaskWeightsError, match="shape"):
        MaskNet(tiny(), bad)


@pytest.mark.parametrize("rate,channels", [(44100, 2), (48000, 1), (22050, 2), (96000, 2)])
def test_embedded_stems_have_the_input_shape_and_sum_to_it(rate, channels):
    mix = _noise(channels, int(rate * 1.3) + 7)
    sep = EmbeddedSeparator(_random_net(), EmbeddedConfig(chunk=ChunkConfig(0.5, 0.1)))
    stems = separate(sep, mix, rate)
    assert stems.audio.shape == (len(SOURCES), channels, mix.shape[1])
    assert stems.residual(mix) < 1e-5
    assert all(np.abs(stems.stem(name)).max() > 1e-4 for name in SOURCES)


def test_embedded_masks_do_not_depend_on_the_input_level():
    mix = _noise(2, 30_000)
    sep = EmbeddedSeparator(_random_net(), EmbeddedConfig(chunk=ChunkConfig(0.3, 0.05)))
    quiet = separate(sep, mix * 0.01, 44100).audio
    loud = separate(sep, mix, 44100).audio
    np.testing.assert_allclose(quiet * 100, loud, atol=1e-4)


def test_chunking_changes_the_embedded_stems_only_slightly():
    """With an overlap that covers the receptive field, seams barely show."""
    cfg = tiny()
    mix = _noise(1, 44100)
    net = _random_net(cfg)
    whole = separate(EmbeddedSeparator(net, EmbeddedConfig(chunk=ChunkConfig(5.0, 0.1))), mix, 44100).audio
    cut = separate(EmbeddedSeparator(net, EmbeddedConfig(chunk=ChunkConfig(0.3, 0.1))), mix, 44100).audio
    err = np.sqrt(np.mean((whole - cut) ** 2)) / np.sqrt(np.mean(whole ** 2))
    assert err < 0.05


def test_sdr_is_exact_on_simple_cases():
    from engines.separate.metrics import framewise_sdr, sdr

    ref = np.ones((2, 1000))
    assert sdr(ref, 0.9 * ref) == pytest.approx(20.0)
    assert sdr(ref, np.zeros_like(ref)) == pytest.approx(0.0)
    est = ref.copy()
    est[:, :500] *= 0.9  # first half 20 dB, second half perfect: the median of two windows is their mean
    assert framewise_sdr(ref, est, 500) > 50 and framewise_sdr(ref, 0.9 * ref, 250) == pytest.approx(20.0)
    quiet = ref.copy()
    quiet[:, 500:] = 0.0  # a silent window is skipped
    assert framewise_sdr(quiet, 0.9 * quiet, 500) == pytest.approx(20.0)
