"""Export a project as files a DAW opens: MIDI, a mix WAV and one WAV per track.

Audio comes from ``app.mixdown.render_project`` when that module is installed
(it renders MIDI tracks too). Without it only audio tracks can sound:
``renderer_available()`` is False, ``export_project`` still writes the MIDI
file and mixes the audio tracks, and says so in its returned notes.

Stems all start at 0:00, have the mix's length, and sum to the mix.
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.audio_io import resample, write_audio
from app.errors import InputError
from app.midi_io import write_midi
from app.player import as_stereo, levels_for
from app.project import Project
from engines.common import CancelToken, Progress, no_progress

SAMPLE_RATES = (44100, 48000)
BIT_DEPTHS = ("16", "24", "32f")


def renderer_available() -> bool:
    """Whether ``app.mixdown`` (the MIDI renderer) is installed."""
    return importlib.util.find_spec("app.mixdown") is not None


@dataclass(frozen=True)
class ExportRequest:
    """What to write; a None path skips that output. ``bit_depth``: "16", "24" or "32f"."""

    midi_path: Path | None = None
    wav_path: Path | None = None
    stems_dir: Path | None = None
    sample_rate: int = 44100
    bit_depth: str = "24"

    @property
    def needs_audio(self) -> bool:
        return self.wav_path is not None or self.stems_dir is not None


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Things the user should know (e.g. MIDI tracks left silent)."""


def export_project(project: Project, request: ExportRequest, *, progress: Progress = no_progress,
                   cancel: CancelToken | None = None) -> ExportResult:
    """Write the requested files; ``InputError`` for a bad request."""
    cancel = cancel or CancelToken()
    if request.sample_rate not in SAMPLE_RATES or request.bit_depth not in BIT_DEPTHS:
        raise InputError(f"export needs a sample rate in {SAMPLE_RATES} and a bit depth in {BIT_DEPTHS}")
    result = ExportResult()
    if request.midi_path is not None:
        progress(0.02, "writing MIDI")
        write_midi(project, request.midi_path)
        result.files.append(Path(request.midi_path))
    if request.needs_audio:
        mix, stems = _audio(project, request.sample_rate, progress, cancel, result)
        cancel.check()
        _write_audio(project, request, mix, stems, progress, result)
    progress(1.0, "done")
    return result


def _audio(project: Project, rate: int, progress: Progress, cancel: CancelToken,
           result: ExportResult) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    if renderer_available():
        from app.mixdown import render_project

        mixdown = render_project(project, sample_rate=rate, progress=progress, cancel=cancel, cache=None)
        return mixdown.mix, dict(mixdown.stems)
    silent = [t.name for t in project.midi_tracks() if project.audible(t) and t.notes]
    if silent:
        result.notes.append("MIDI tracks are silent in the WAV files (no renderer installed): "
                            + ", ".join(silent))
    return audio_mixdown(project, rate, cancel=cancel)


def audio_mixdown(project: Project, rate: int, *, cancel: CancelToken | None = None
                  ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Audible audio tracks at ``rate`` with gain and pan: (mix, stems), float32 (2, frames) each."""
    length = round(max(project.duration, project.content_end_seconds()) * rate)
    levels = levels_for(project)
    stems: dict[str, np.ndarray] = {}
    for track in project.audio_tracks():
        if cancel is not None:
            cancel.check()
        if track.id not in levels:
            continue
        audio = as_stereo(resample(track.samples, project.sample_rate, rate))
        stem = np.zeros((2, length), dtype=np.float32)
        n = min(length, audio.shape[1])
        left, right = levels[track.id]
        stem[0, :n] = audio[0, :n] * left
        stem[1, :n] = audio[1, :n] * right
        stems[track.id] = stem
    mix = np.sum(list(stems.values()), axis=0, dtype=np.float32) if stems else \
        np.zeros((2, length), dtype=np.float32)
    return mix, stems


def _write_audio(project: Project, request: ExportRequest, mix: np.ndarray,
                 stems: dict[str, np.ndarray], progress: Progress, result: ExportResult) -> None:
    if request.wav_path is not None:
        progress(0.8, "writing the mix")
        write_audio(request.wav_path, mix, request.sample_rate, request.bit_depth)
        result.files.append(Path(request.wav_path))
    if request.stems_dir is not None:
        names = stem_file_names(project, list(stems))
        for i, (track_id, stem) in enumerate(stems.items()):
            progress(0.85 + 0.15 * i / max(1, len(stems)), f"writing stem {names[track_id]}")
            path = Path(request.stems_dir) / names[track_id]
            write_audio(path, stem, request.sample_rate, request.bit_depth)
            result.files.append(path)


def stem_file_names(project: Project, track_ids: list[str]) -> dict[str, str]:
    """Track id -> a unique, file-system-safe "<track name>.wav"."""
    taken: set[str] = set()
    out = {}
    for track_id in track_ids:
        base = safe_file_name(project.track(track_id).name)
        name, i = base, 2
        while name.lower() in taken:
            name, i = f"{base} {i}", i + 1
        taken.add(name.lower())
        out[track_id] = f"{name}.wav"
    return out


def safe_file_name(name: str) -> str:
    """A name usable as a file name on Linux, macOS and Windows."""
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", name).strip(" .")
    return cleaned[:100] or "track"
