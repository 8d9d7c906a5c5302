"""Transcription engine: an audio stem -> notes (melody, bass, drums or polyphonic parts).

Front: ``Transcriber(network_bytes, drum_model, config=..., device=...)``, then
``.transcribe(audio, sample_rate, kind=None) -> Transcription``. Polyphonic
parts and the posteriors every pitched decoder reads come from basic-pitch's
network (Spotify, Apache-2.0) run with onnxruntime; its note creation is
ported faithfully (``poly_notes``). Heavy libraries load only when a
function runs.
"""
from engines.transcribe.api import Transcriber, Transcription
from engines.transcribe.config import TranscribeConfig
from engines.transcribe.drums import DRUM_CLASSES, GM_NOTES, DrumModel
from engines.transcribe.kinds import KINDS

__all__ = ["DRUM_CLASSES", "DrumModel", "GM_NOTES", "KINDS", "TranscribeConfig", "Transcriber", "Transcription"]
