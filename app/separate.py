"""Stem separation for the app: which separator runs, on a track or on arrays.

Model choice (``--model``, the window's dialog): "embedded" is the separator
shipped with Partita (model-store name ``separator``; numpy, any rate, no
download); "hdemucs" is torchaudio's Hybrid Demucs, which a user downloads
once (``partita models download hdemucs``) or imports; "auto" takes Hybrid
Demucs when its weights are here, else the embedded one, and says so.

``separate_track_command`` is the job the window and the instruction planner
run: it reads a project snapshot and returns one undoable command that adds
the four stems as audio tracks grouped under the source and mutes the source.
File-to-folder separation (the CLI) streams and lives in ``app.separate_files``.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from app import models
from app.commands import AddTrack, Command, Compound, SetTrackProps
from app.errors import PartitaError
from app.project import AudioTrack, Project, Role
from engines.common import CancelToken, Progress, no_progress
from engines.separate import SOURCES, Stems
from engines.separate.api import Separator, separate
from engines.separate.hdemucs import DemucsConfig

if TYPE_CHECKING:
    from engines.separate.mask_model import MaskNet

MODELS = ("auto", "embedded", "hdemucs", "dsp")
"""What ``--model`` accepts ("dsp": the signal-processing separator, no model at all)."""
EMBEDDED, DEMUCS = "separator", "hdemucs"
"""Model-store names of the embedded separator's weights and of Hybrid Demucs' weights."""
DEMUCS_CONFIG = DemucsConfig()
"""The architecture of the ``hdemucs`` weights (torchaudio's ``hdemucs_high``)."""
STEM_ROLES = {"drums": Role.DRUMS, "bass": Role.BASS, "other": Role.HARMONY, "vocals": Role.MELODY}

_lock = threading.Lock()
_cache: dict[tuple[str, str, int, int], Separator] = {}


def load_separator(model: str = "auto", *, device: str = "auto") -> tuple[Separator, str]:
    """(separator, note): the separator for ``model`` (one of ``MODELS``) and a sentence for
    the user when it is not what they might expect ("" otherwise).

    "hdemucs" without its weights raises ``ModelMissingError`` naming the embedded separator.
    """
    if model not in MODELS:
        raise PartitaError(f"--model {model!r} is not one of {', '.join(MODELS)}")
    if model == "hdemucs" or (model == "auto" and models.in_use(models.info(DEMUCS)) is not None):
        return _demucs(device), ""
    if model == "dsp":
        return _dsp(), ""
    separator, note = _embedded()
    if model == "auto":
        note = note or ("Hybrid Demucs is not installed, so the embedded separator ran; for stems of real "
                        "recordings run `partita models download hdemucs` once")
    elif device == "cuda":
        note = note or "the embedded separator runs on the CPU"
    return separator, note


def _cached(name: str, device: str, make: Callable[[Path], Separator]) -> Separator:
    """The separator made from model ``name``'s verified file, made once per file and device."""
    path = models.resolve(name)
    stat = path.stat()
    key = (str(path), device, stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = make(path)
        return _cache[key]


def _dsp() -> Separator:
    from engines.separate.dsp import DspSeparator

    return DspSeparator()


def _embedded() -> tuple[Separator, str]:
    """The shipped mask model; the DSP separator (with a note) when its weights are missing."""
    from engines.separate.embedded import EmbeddedSeparator

    if EMBEDDED not in models.REGISTRY:
        return _dsp(), ""
    try:
        return _cached(EMBEDDED, "cpu", lambda path: EmbeddedSeparator(read_mask_net(path))), ""
    except models.ModelMissingError as exc:
        return _dsp(), f"{exc}"


def read_mask_net(path: Path) -> "MaskNet":
    """The embedded separator's network from a .safetensors file (numpy; torch is not imported)."""
    from safetensors import safe_open

    from engines.separate.mask_model import MaskWeightsError, from_arrays

    try:
        with safe_open(str(path), "np") as fh:
            meta = dict(fh.metadata() or {})
            arrays = {key: fh.get_tensor(key) for key in fh.keys()}
        return from_arrays(arrays, meta)
    except MaskWeightsError as exc:
        raise models.ModelFileError(f"{path}: {exc}") from None
    except Exception as exc:  # safetensors raises several types for a damaged file
        raise models.ModelFileError(f"{path} is not a readable separator file ({exc})") from None


def _demucs(device: str) -> Separator:
    from app.devices import resolve_device

    where = resolve_device(device)
    return _cached(DEMUCS, where, lambda path: _load_demucs(path, where))


def _load_demucs(path: Path, device: str) -> Separator:
    """Hybrid Demucs from a state-dict file: ``torch.load(weights_only=True)`` unpickles no class."""
    import pickle

    import torch

    from engines.separate.hdemucs import DemucsSeparator, DemucsWeightsError, load_model

    try:
        state = torch.load(str(path), map_location="cpu", weights_only=True, mmap=True)
        if not isinstance(state, dict):
            raise pickle.UnpicklingError("not a dictionary of tensors")
        return DemucsSeparator(load_model(DEMUCS_CONFIG, state), DEMUCS_CONFIG, device=device)
    except DemucsWeightsError as exc:
        raise models.ModelFileError(f"{path}: {exc}") from None
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError) as exc:
        raise models.ModelFileError(f"{path} is not a Hybrid Demucs state dict ({exc}); download or "
                                    "import it again") from None


def separate_audio(separator: Separator, mix: np.ndarray, sample_rate: int, *,
                   progress: Progress = no_progress, cancel: CancelToken | None = None) -> Stems:
    """Stems of ``mix`` float32 (channels, frames) at ``sample_rate``, at that rate and length
    (resampled to the separator's rate and back when it needs another)."""
    from app.audio_io import resample

    rate = separator.rate_for(sample_rate)
    if rate == sample_rate:
        return separate(separator, mix, sample_rate, progress=progress, cancel=cancel)
    stems = separate(separator, resample(mix, sample_rate, rate), rate, progress=progress, cancel=cancel)
    back = np.zeros((len(SOURCES), *mix.shape), dtype=np.float32)
    for i, stem in enumerate(stems.audio):
        audio = resample(stem, rate, sample_rate)[:, : mix.shape[1]]
        back[i, :, : audio.shape[1]] = audio
    return Stems(back, sample_rate, stems.method)


def stems_command(project: Project, source_id: str, stems: Stems, *, mute_source: bool = True) -> Command:
    """One undo step: the stems as audio tracks right after the source, grouped under it
    (same gain and pan, so together they sound like it), and the source muted."""
    source = project.track(source_id)
    index = project.tracks.index(source)
    commands: list[Command] = []
    for i, name in enumerate(stems.sources):
        track = AudioTrack(name=f"{source.name} {name}", samples=np.array(stems.audio[i]),
                           role=STEM_ROLES.get(name, Role.OTHER), gain_db=source.gain_db, pan=source.pan,
                           source=f"{name} of {source.name} ({stems.method})", group=source.id)
        commands.append(AddTrack(track, index=index + 1 + i))
    if mute_source:
        commands.append(SetTrackProps(source.id, muted=True))
    return Compound(f"Separate {source.name}", commands)


def separate_files_command(project: Project, paths: Sequence[Path], *, model: str = "auto",
                           device: str = "auto", progress: Progress = no_progress,
                           cancel: CancelToken | None = None) -> Command:
    """Add each audio file as a track (muted) with its four stems grouped under it: one command."""
    from app.importing import import_files

    adding = import_files(project, paths)
    scratch = project.snapshot()
    adding.do(scratch)
    new = [t for t in scratch.audio_tracks() if t.id not in {u.id for u in project.tracks}]
    for track in new:  # fresh tracks, owned by ``adding``: they arrive muted
        track.muted = True
    separator, _ = load_separator(model, device=device)
    commands: list[Command] = [adding]
    for i, track in enumerate(new):
        def part(fraction: float, message: str = "", i: int = i) -> None:
            progress((i + fraction) / len(new), message)

        stems = separate_audio(separator, track.samples, project.sample_rate, progress=part, cancel=cancel)
        command = stems_command(scratch, track.id, stems, mute_source=False)
        command.do(scratch)  # only inserts the new stem tracks, so the next file's indices are right
        commands.append(command)
    return Compound(f"Separate {Path(paths[0]).name}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else ""),
                    commands)


def separate_track_command(project: Project, track_id: str, *, model: str = "auto", device: str = "auto",
                           progress: Progress = no_progress, cancel: CancelToken | None = None) -> Command:
    """The stems of audio track ``track_id`` of ``project`` (a snapshot) as one command."""
    track = project.track(track_id)
    if not isinstance(track, AudioTrack):
        raise PartitaError(f"{track.name} holds notes, not audio; separate an audio track")
    separator, _ = load_separator(model, device=device)
    stems = separate_audio(separator, track.samples, project.sample_rate, progress=progress, cancel=cancel)
    return stems_command(project, track_id, stems)
