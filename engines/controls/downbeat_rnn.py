"""madmom's downbeat BLSTM ensemble, evaluated with all networks batched.

madmom runs its 8 networks (3 bidirectional LSTM layers of 25 peephole units,
then a softmax) one after another, one frame at a time. Here all networks and
both directions step together, so the Python loop runs once per frame and
layer instead of 16 times; the numbers are madmom's (weights are read from the
models madmom ships).
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from engines.controls.madmom_compat import import_madmom

_CHUNK = 1024


@dataclass(frozen=True)
class _Layer:
    """One BLSTM layer of every network, stacked over (network, direction).

    weights: (nets, 2, inputs, 4H) for gates [input, forget, cell, output];
    recurrent: (2 * nets, H, 4H); bias: (2 * nets, 4H); peephole_if:
    (2 * nets, 2, H) for input and forget gates; peephole_o: (2 * nets, H).
    """

    weights: np.ndarray
    recurrent: np.ndarray
    bias: np.ndarray
    peephole_if: np.ndarray
    peephole_o: np.ndarray


def _gates(lstm: Any) -> tuple[np.ndarray, ...]:
    parts = (lstm.input_gate, lstm.forget_gate, lstm.cell, lstm.output_gate)
    weights = np.concatenate([g.weights for g in parts], axis=1)
    recurrent = np.concatenate([g.recurrent_weights for g in parts], axis=1)
    bias = np.concatenate([np.broadcast_to(g.bias, g.weights.shape[1:]) for g in parts])
    peep_if = np.concatenate([lstm.input_gate.peephole_weights, lstm.forget_gate.peephole_weights])
    return weights, recurrent, bias, peep_if, lstm.output_gate.peephole_weights


def _stack_layer(layers: list[Any]) -> _Layer:
    per = [[_gates(layer.fwd_layer), _gates(layer.bwd_layer)] for layer in layers]
    flat = [d for net in per for d in net]

    def stack(i: int) -> np.ndarray:
        return np.stack([d[i] for d in flat]).astype(np.float32)

    weights = stack(0).reshape(len(layers), 2, *flat[0][0].shape)
    peep_if = stack(3).reshape(2 * len(layers), 2, -1)
    return _Layer(weights, stack(1), stack(2), peep_if, stack(4))


class DownbeatEnsemble:
    """The beat/downbeat activation network: features (T, 314) -> activations (T, 2)."""

    def __init__(self, n_networks: int = 8) -> None:
        import_madmom()
        from madmom.ml.nn import NeuralNetwork
        from madmom.models import DOWNBEATS_BLSTM

        nets = [NeuralNetwork.load(path) for path in DOWNBEATS_BLSTM[:n_networks]]
        self.layers = [_stack_layer([net.layers[i] for net in nets]) for i in range(3)]
        self.out_weights = np.stack([net.layers[3].weights for net in nets]).astype(np.float32)
        self.out_bias = np.stack([net.layers[3].bias for net in nets]).astype(np.float32)
        self.n_networks = len(nets)

    def __call__(self, features: np.ndarray, *, step: Callable[[float], None] | None = None
                 ) -> np.ndarray:
        """Beat and downbeat probability per frame.

        features: (T, 314) float32 from ``MadmomFeatures`` at 100 fps.
        Returns (T, 2) float32: column 0 = beat (not downbeat), 1 = downbeat,
        averaged over the ensemble. ``step(fraction)`` is called between
        chunks (it may raise to cancel).
        """
        hidden: np.ndarray = np.broadcast_to(features[:, None, :], (len(features), self.n_networks,
                                                                     features.shape[1]))
        with _one_blas_thread():
            for i, layer in enumerate(self.layers):
                sub = None if step is None else (lambda f, i=i: step((i + f) / 3))
                hidden = _run_layer(layer, hidden, sub)
        logits = np.einsum("tnh,nho->tno", hidden, self.out_weights) + self.out_bias
        logits -= logits.max(axis=2, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=2, keepdims=True)
        return probs.mean(axis=1)[:, 1:].astype(np.float32)


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """Limit BLAS to one thread: the matrices are tiny, and threads only contend."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _project(layer: _Layer, x: np.ndarray, direction: int) -> np.ndarray:
    """Input projection (C, nets, inputs) -> (C, nets, 4H) for one direction."""
    weights = layer.weights[:, direction]
    if x.strides[1] == 0:  # the same input for every network (first layer)
        nets, inputs, outputs = weights.shape
        flat = weights.transpose(1, 0, 2).reshape(inputs, nets * outputs)
        return (np.ascontiguousarray(x[:, 0]) @ flat).reshape(len(x), nets, outputs)
    per_net = np.ascontiguousarray(x.transpose(1, 0, 2))
    return np.matmul(per_net, weights).transpose(1, 0, 2)


def _step(layer: _Layer, proj: np.ndarray, h: np.ndarray, c: np.ndarray,
          expit: Callable[..., np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One time step of every LSTM: h (B, 1, H), c (B, H) -> new (h, c)."""
    batch, units = c.shape
    z = np.matmul(h, layer.recurrent).reshape(batch, 4, units)
    z += proj.reshape(batch, 4, units)
    gates = z[:, :2]
    gates += c[:, None, :] * layer.peephole_if
    expit(gates, out=gates)
    cell = np.tanh(z[:, 2])
    cell *= gates[:, 0]
    c = c * gates[:, 1]
    c += cell
    out = z[:, 3]
    out += c * layer.peephole_o
    expit(out, out=out)
    h = np.tanh(c)
    h *= out
    return h[:, None, :], c


def _run_layer(layer: _Layer, x: np.ndarray, step: Callable[[float], None] | None) -> np.ndarray:
    """One bidirectional layer over the whole sequence: (T, nets, in) -> (T, nets, 2H)."""
    from scipy.special import expit

    total, nets = x.shape[0], x.shape[1]
    units = layer.recurrent.shape[1]
    out = np.zeros((total, nets, 2, units), dtype=np.float32)
    h = np.zeros((2 * nets, 1, units), dtype=np.float32)
    c = np.zeros((2 * nets, units), dtype=np.float32)
    for t0 in range(0, total, _CHUNK):
        t1 = min(total, t0 + _CHUNK)
        fwd = _project(layer, x[t0:t1], 0)
        bwd = _project(layer, x[total - t1: total - t0][::-1], 1)
        proj = np.stack([fwd, bwd], axis=2).reshape(t1 - t0, 2 * nets, 4 * units) + layer.bias
        hs = np.empty((t1 - t0, 2 * nets, units), dtype=np.float32)
        for t in range(t1 - t0):
            h, c = _step(layer, proj[t], h, c, expit)
            hs[t] = h[:, 0]
        hs = hs.reshape(t1 - t0, nets, 2, units)
        out[t0:t1, :, 0] = hs[:, :, 0]
        out[total - t1: total - t0, :, 1] = hs[::-1, :, 1]
        if step is not None:
            step(t1 / total)
    return out.reshape(total, nets, 2 * units)
