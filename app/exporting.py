"""Export: MIDI, the mix and one stem per track — the one routine behind the
export dialog, ``partita export`` and ``partita render``.

Everything is checked before any work starts, the audio is rendered before
any file is written, and each file is written atomically, so a failed or
cancelled export leaves no half-written file behind. Stems all start at 0:00,
have equal length, and the stems of the audible tracks sum to the mix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.audio_io import BIT_DEPTHS, write_audio
from app.errors import PartitaError
from app.mixdown import AUTO
from app.project import Project
from engines.common import CancelToken, Progress, no_progress
from engines.render import SoundFont
from engines.render.config import SAMPLE_RATES


@dataclass(frozen=True)
class ExportRequest:
    """What to write; a None path skips that output.

    midi: a standard MIDI file of the MIDI tracks (``midi_type`` 0 or 1).
    wav: the mix. stems_dir: one WAV per track, named by ``stem_filenames``.
    sample_rate (Hz) and bit_depth ("16", "24" or "32f") apply to every WAV.
    sound_font: a SoundFont, None for the built-in synthesiser, or ``AUTO``
    (``$PARTITA_SOUNDFONT``, else one found on the machine).
    """

    midi: Path | None = None
    wav: Path | None = None
    stems_dir: Path | None = None
    midi_type: int = 1
    sample_rate: int = 44100
    bit_depth: str = "24"
    sound_font: SoundFont | None | str = field(default=AUTO, repr=False)

    @property
    def renders(self) -> bool:
        """Whether the request needs audio (a mix or stems)."""
        return self.wav is not None or self.stems_dir is not None


@dataclass(frozen=True)
class ExportResult:
    """The files written, in order; which synthesiser played and notes for the user."""

    written: tuple[Path, ...]
    backend: str = ""
    notes: tuple[str, ...] = ()


def stem_filenames(project: Project) -> dict[str, str]:
    """track id -> "NN Name.wav": numbered in track order, safe on every OS, unique."""
    out: dict[str, str] = {}
    for index, track in enumerate(project.tracks, start=1):
        safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", track.name).strip(" .") or "Track"
        out[track.id] = f"{index:02d} {safe}.wav"
    return out


def check_request(project: Project, request: ExportRequest, *, source: str = "the project") -> None:
    """Raise ``PartitaError`` (one line) for anything that would make ``export`` fail.

    source: how the message names the project (the CLI gives its file name).
    """
    if request.midi is None and not request.renders:
        raise PartitaError("nothing to export: choose MIDI, a mix (WAV) and/or stems")
    if request.sample_rate not in SAMPLE_RATES:
        raise PartitaError(f"sample rate {request.sample_rate} Hz: choose one of "
                           f"{', '.join(map(str, SAMPLE_RATES))}")
    if request.bit_depth not in BIT_DEPTHS:
        raise PartitaError(f"bit depth {request.bit_depth}: choose one of {', '.join(BIT_DEPTHS)}")
    if request.midi_type not in (0, 1):
        raise PartitaError(f"MIDI file type {request.midi_type}: choose 0 or 1")
    if request.midi is not None and not project.midi_tracks():
        raise PartitaError(f"{source} has no MIDI tracks to write as MIDI")
    if request.renders and not project.tracks:
        raise PartitaError(f"{source} has no tracks to render")
    folder = request.stems_dir
    if folder is not None and folder.exists() and not folder.is_dir():
        raise PartitaError(f"{folder}: exists and is not a folder")


def export(project: Project, request: ExportRequest, *, progress: Progress = no_progress,
           cancel: CancelToken | None = None) -> ExportResult:
    """Check, render (when audio is asked for), then write what ``request`` asks for."""
    from app.midi_io import write_midi
    from app.mixdown import render_project

    check_request(project, request)
    mixdown = None
    if request.renders:
        mixdown = render_project(project, sample_rate=request.sample_rate, progress=progress,
                                 cancel=cancel, sound_font=request.sound_font)
    written: list[Path] = []
    if request.midi is not None:
        write_midi(project, request.midi, midi_type=request.midi_type)
        written.append(request.midi)
    if mixdown is not None and request.stems_dir is not None:
        request.stems_dir.mkdir(parents=True, exist_ok=True)
        for track_id, name in stem_filenames(project).items():
            write_audio(request.stems_dir / name, mixdown.stems[track_id], mixdown.sample_rate,
                        request.bit_depth)
            written.append(request.stems_dir / name)
    if mixdown is not None and request.wav is not None:
        write_audio(request.wav, mixdown.mix, mixdown.sample_rate, request.bit_depth)
        written.append(request.wav)
    if mixdown is None:
        return ExportResult(tuple(written))
    return ExportResult(tuple(written), mixdown.backend, mixdown.notes)

