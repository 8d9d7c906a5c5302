"""The transcription engine's front: ``Transcriber`` turns a stem into notes.

Lifecycle: build a ``Transcriber`` once with the network's bytes and the drum
classifier (it opens an onnxruntime session); call ``transcribe`` as often as
wanted, from one thread at a time. Each call: the audio becomes mono at
22050 Hz; unless the kind is given as drums, basic-pitch's network turns it
into note / onset posteriors; the kind is chosen from them when not given;
then the kind's decoder writes notes (``mono`` for melody and bass,
``poly_notes`` for poly, ``drums`` for drums) and ``velocity`` gives them
velocities from loudness.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.common import CancelToken, Note, Progress, midi_hz, no_progress
from engines.transcribe import drums, mono, nmp, velocity
from engines.transcribe.config import TranscribeConfig
from engines.transcribe.features import Features, attack_start, features, harmonic_db, yin_track
from engines.transcribe.kinds import KINDS, choose_kind, kind_evidence
from engines.transcribe.poly_notes import decode_poly
from engines.transcribe.repeats import chord_repeats

NETWORK_SHARE = 0.85
"""Share of the progress bar the network's windows take."""


@dataclass(frozen=True)
class Transcription:
    """What ``Transcriber.transcribe`` found.

    notes: engine ``Note``s in seconds from the audio's start, sorted by start
    then pitch; for drums, pitches are General MIDI drum notes
    (``drums.GM_NOTES``). kind: one of ``KINDS``. detected: True when the kind
    was read off the audio rather than given. reason: why that kind, in words.
    duration: seconds of audio transcribed.
    """

    notes: tuple[Note, ...]
    kind: str
    detected: bool
    reason: str
    duration: float


class Transcriber:
    """basic-pitch's network in an onnxruntime session, the drum classifier and the settings.

    network: the ``.onnx`` file's bytes (model store name ``basic-pitch``).
    drum_model: the drum classifier (model store name ``drum-classifier``).
    device: "cpu" or "cuda" (onnxruntime's CUDA provider when it has one).
    threads: onnxruntime intra-op threads, 0 = its own choice.
    """

    def __init__(self, network: bytes, drum_model: drums.DrumModel, *,
                 config: TranscribeConfig = TranscribeConfig(), device: str = "cpu", threads: int = 0) -> None:
        self.session = nmp.open_session(network, device=device, threads=threads)
        self.drum_model = drum_model
        self.config = config

    def transcribe(self, audio: np.ndarray, sample_rate: int, *, kind: str | None = None,
                   progress: Progress = no_progress, cancel: CancelToken | None = None) -> Transcription:
        """Notes of ``audio`` (float32 (channels, n) or (n,), at ``sample_rate`` Hz).

        ``kind``: one of ``KINDS``, or None to choose it from the audio.
        Raises ``ValueError`` for an unknown kind and ``Cancelled`` when cancelled.
        """
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
        signal = nmp.to_network_rate(audio, sample_rate)
        duration = len(signal) / nmp.SAMPLE_RATE
        n_frames = nmp.frames_for(len(signal))
        progress(0.02, "reading the audio")
        feats = features(signal, n_frames)
        _check(cancel)
        if n_frames == 0 or feats.loudness.max() < self.config.silence_dbfs:
            return Transcription((), kind or "melody", kind is None, "the audio is silent", duration)
        if kind == "drums":
            notes = self._drums(feats)
            progress(1.0, "done")
            return Transcription(notes, kind, False, "asked for", duration)

        def scaled(fraction: float, message: str = "") -> None:
            progress(0.02 + NETWORK_SHARE * fraction, message)

        post = nmp.run_network(self.session, signal, progress=scaled, cancel=cancel)
        _check(cancel)
        detected = kind is None
        reason = "asked for"
        if kind is None:
            kind, reason = choose_kind(kind_evidence(post, feats, self.config.kinds), self.config.kinds)
        progress(0.9, f"writing {kind} notes")
        notes = self._notes(kind, post, feats, signal)
        progress(1.0, "done")
        return Transcription(notes, kind, detected, reason, duration)

    def _notes(self, kind: str, post: nmp.Posteriors, feats: Features, signal: np.ndarray) -> tuple[Note, ...]:
        if kind == "drums":
            return self._drums(feats)
        if kind == "poly":
            return self._poly(post, feats)
        settings = self.config.melody if kind == "melody" else self.config.bass
        yin = None
        if settings.yin_weight > 0:
            yin = yin_track(signal, post.n_frames, fmin=0.9 * midi_hz(settings.min_pitch),
                            fmax=1.1 * midi_hz(settings.max_pitch), decimate=settings.yin_decimate)
        found = mono.decode_mono(mono.line_evidence(post, yin, settings), feats, settings)
        starts = np.array([a for a, _, _ in found], dtype=np.int64)
        ends = np.array([b for _, b, _ in found], dtype=np.int64)
        levels = velocity.note_levels(feats.loudness, starts, ends, self.config.velocity)
        vels = velocity.velocities(levels, self.config.velocity)
        times = nmp.frame_times(post.n_frames + 1)
        return _sorted([Note(p, float(times[a]), float(times[b] - times[a]), int(v))
                        for (a, b, p), v in zip(found, vels)])

    def _poly(self, post: nmp.Posteriors, feats: Features) -> tuple[Note, ...]:
        found = decode_poly(post, self.config.poly)
        times = post.times
        lookback = int(round(self.config.poly_attack_ms / 1000 * nmp.FRAME_RATE))
        starts = [attack_start(feats.spectrum, n.pitch, int(np.searchsorted(times, n.start)), lookback=lookback,
                               rise_db=self.config.poly_attack_rise_db) for n in found]
        attack = max(1, int(round(self.config.velocity.attack_ms / 1000 * nmp.FRAME_RATE)))
        levels = np.array([harmonic_db(feats.spectrum, n.pitch, a, a + attack).max() for n, a in zip(found, starts)])
        vels = velocity.velocities(levels, self.config.velocity)
        out: list[Note] = []
        for n, a, v in zip(found, starts, vels):
            again = self._chord_repeats(feats, n.pitch, a, int(np.searchsorted(times, n.end)))
            cuts = [float(times[a + k]) for k in again]
            out += [Note(n.pitch, s, e - s, int(v)) for s, e in zip(cuts, cuts[1:] + [n.end])]
        return _sorted(out)

    def _chord_repeats(self, feats: Features, pitch: int, a: int, b: int) -> list[int]:
        """Frame offsets from ``a`` where the poly note of ``pitch`` in frames [a, b) starts again."""
        c = self.config
        if c.poly_repeat_drop_db <= 0 or b - a < 4:
            return [0]
        frames = lambda ms: max(1, int(round(ms / 1000 * nmp.FRAME_RATE)))  # noqa: E731
        return chord_repeats(harmonic_db(feats.spectrum, pitch, a, b), drop_db=c.poly_repeat_drop_db,
                             rise_db=c.poly_repeat_rise_db, window=frames(c.poly_repeat_window_ms),
                             min_frames=frames(c.poly_repeat_min_ms))

    def _drums(self, feats: Features) -> tuple[Note, ...]:
        frames, found = drums.hits(feats, self.config.drums)
        chosen = drums.classify(self.drum_model, found, self.config.drums)
        levels = velocity.note_levels(feats.loudness, frames, frames + 1, self.config.velocity)
        vels = velocity.velocities(levels, self.config.velocity)
        times = nmp.frame_times(feats.spectrum.n_frames)
        return _sorted([Note(drums.GM_NOTES[name], float(times[k]), DRUM_HIT_SECONDS, int(v))
                        for k, row, v in zip(frames, chosen, vels)
                        for name, on in zip(drums.DRUM_CLASSES, row) if on])


DRUM_HIT_SECONDS = 0.1
"""Length written for a drum hit (GM drums ignore note length)."""


def _sorted(notes: list[Note]) -> tuple[Note, ...]:
    return tuple(sorted(notes, key=lambda n: (n.start, n.pitch)))


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.check()
