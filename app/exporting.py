"""Audio export: the mix and one stem per track, written only after all rendering succeeded."""
from __future__ import annotations

import os
import re
from pathlib import Path

from app.audio_io import write_audio
from app.errors import PartitaError
from app.project import Project
from engines.common import CancelToken, Progress, no_progress


def stem_filenames(project: Project) -> dict[str, str]:
    """track id -> "NN Name.wav": numbered in track order, safe on every OS, unique."""
    out: dict[str, str] = {}
    for index, track in enumerate(project.tracks, start=1):
        safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", track.name).strip(" .") or "Track"
        out[track.id] = f"{index:02d} {safe}.wav"
    return out


def export_audio(project: Project, *, wav: str | os.PathLike[str] | None = None,
                 stems_dir: str | os.PathLike[str] | None = None, sample_rate: int = 44100,
                 bit_depth: str = "24", progress: Progress = no_progress,
                 cancel: CancelToken | None = None) -> list[Path]:
    """Render the project and write the mix and/or the stems; returns the files written.

    Stems all start at 0:00, have equal length and sum to the mix.
    """
    from app.mixdown import render_project

    if not project.tracks:
        raise PartitaError("the project has no tracks to render")
    mixdown = render_project(project, sample_rate=sample_rate, progress=progress, cancel=cancel)
    written: list[Path] = []
    if stems_dir is not None:
        folder = Path(stems_dir)
        if folder.exists() and not folder.is_dir():
            raise PartitaError(f"{folder}: exists and is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        for track_id, name in stem_filenames(project).items():
            path = folder / name
            write_audio(path, mixdown.stems[track_id], sample_rate, bit_depth)
            written.append(path)
    if wav is not None:
        write_audio(wav, mixdown.mix, sample_rate, bit_depth)
        written.append(Path(wav))
    return written
