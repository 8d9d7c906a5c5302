"""The ``.partita`` file: a zip holding ``project.json`` and each stem as FLAC.

Schema ``partita.project`` version ``FORMAT_VERSION``. Saving writes a temporary
file beside the target, flushes it to disk and renames it over the target, so a
crash never leaves a half-written project. Loading a newer version, or a damaged
file, raises ``ProjectFileError`` with a message the user can act on.

Audio is stored losslessly: stems whose samples are exact 16- or 24-bit values
are stored as FLAC at that depth (bit-exact); anything else (float sources) is
stored as 32-bit float WAV inside the zip, so nothing is rounded. Each audio
track's entry in ``project.json`` declares its ``frames`` and ``channels``.

A project file may come from anyone, so reading never inflates more than the
project declares: ``project.json`` is refused above ``MAX_JSON_BYTES``; an
audio entry is refused when its inflated size exceeds what its declared frames
and channels need (or, in files without that declaration, when it inflates
more than ``MAX_AUDIO_RATIO`` times its stored size), before a byte of it is
inflated; audio is decoded from the zip stream straight into one array.
"""
from __future__ import annotations

import contextlib
import io
import json
import math
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, BinaryIO, Iterator

import numpy as np

from app.audio_io import MAX_SECONDS as MAX_AUDIO_SECONDS
from app.errors import ProjectFileError
from app.project import (
    CURVE_NAMES,
    AudioTrack,
    MidiTrack,
    Note,
    Project,
    Role,
    TempoChange,
    TimeSignature,
    parse_key,
)

FORMAT = "partita.project"
FORMAT_VERSION = 1
PROJECT_JSON = "project.json"
MAX_JSON_BYTES = 64 << 20
"""The largest ``project.json`` read (64 MiB: millions of notes)."""
MAX_CHANNELS = 8
MAX_AUDIO_RATIO = 8
"""FLAC and WAV barely deflate; an audio entry that inflates more is a zip bomb."""
AUDIO_HEADER_BYTES = 1 << 16
"""Room for a FLAC/WAV header and metadata beyond the samples themselves."""


# -- writing ------------------------------------------------------------------

def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write ``project`` to ``path`` atomically (temp file + fsync + rename)."""
    with atomic_write(path) as fh:
        write_project(project, fh)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a temp file beside ``path``; on success flush, fsync and rename it over ``path``.

    On any error the temp file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_project(project: Project, fh: io.BufferedIOBase | Any) -> None:
    """Write the zip container to an open binary file."""
    doc = project_to_json(project)
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for track, entry in zip(project.tracks, doc["tracks"]):
            if isinstance(track, AudioTrack):
                name, data = _encode_audio(track, project.sample_rate)
                entry["audio"] = name
                zf.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        zf.writestr(PROJECT_JSON, json.dumps(doc, indent=1))


def project_to_json(project: Project) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "name": project.name,
        "sample_rate": project.sample_rate,
        "tempo_map": [[c.tick, c.bpm] for c in project.tempo_map],
        "time_signature": str(project.time_signature),
        "key": project.key,
        "length_bars": project.length_bars,
        "last_bar_ticks": project.last_bar_ticks,
        "loop": {"start": project.loop_start, "end": project.loop_end,
                 "enabled": project.loop_enabled},
        "tracks": [_track_to_json(t) for t in project.tracks],
        "curves": {name: _curve_to_json(values) for name, values in project.curves.items()},
    }


def _track_to_json(track: MidiTrack | AudioTrack) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": track.id, "kind": track.kind, "name": track.name, "role": str(track.role),
        "muted": track.muted, "solo": track.solo, "gain_db": track.gain_db,
        "pan": track.pan, "color": track.color, "group": track.group,
    }
    if isinstance(track, MidiTrack):
        entry["program"] = track.program
        entry["is_drum"] = track.is_drum
        entry["notes"] = [[n.pitch, n.start, n.duration, n.velocity] for n in track.sorted_notes()]
    else:
        entry["source"] = track.source
        entry["frames"] = int(track.samples.shape[1])
        entry["channels"] = track.channels
    return entry


def _curve_to_json(values: np.ndarray) -> list[float | None]:
    return [None if math.isnan(v) else round(float(v), 4) for v in values.tolist()]


def _encode_audio(track: AudioTrack, sample_rate: int) -> tuple[str, bytes]:
    import soundfile as sf

    data = np.ascontiguousarray(track.samples.T)
    buf = io.BytesIO()
    for bits, subtype in ((16, "PCM_16"), (24, "PCM_24")):
        scaled = data.astype(np.float64) * (1 << (bits - 1))
        if np.all(np.abs(data) <= 1.0) and np.array_equal(scaled, np.round(scaled)) \
                and scaled.max(initial=0) < (1 << (bits - 1)):
            sf.write(buf, data, sample_rate, format="FLAC", subtype=subtype)
            return f"audio/{track.id}.flac", buf.getvalue()
    sf.write(buf, data, sample_rate, format="WAV", subtype="FLOAT")
    return f"audio/{track.id}.wav", buf.getvalue()


# -- reading ------------------------------------------------------------------

def load_project(path: str | os.PathLike[str]) -> Project:
    """Read a ``.partita`` file; ``ProjectFileError`` if it is damaged or too new."""
    path = Path(path)
    if not path.is_file():
        raise ProjectFileError(f"{path}: no such project file")
    try:
        with zipfile.ZipFile(path) as zf:
            doc = _read_json(zf, path)
            _check_audio_entries(zf, doc, path)
            return project_from_json(doc, zf, path)
    except zipfile.BadZipFile:
        raise ProjectFileError(f"{path}: not a Partita project (damaged or not a .partita file)") from None
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ProjectFileError(f"{path}: damaged project file ({exc})") from None


def _read_json(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        _refuse_above(zf.getinfo(PROJECT_JSON), MAX_JSON_BYTES, "a project's notes and curves", path)
        doc = json.loads(zf.read(PROJECT_JSON))
    except KeyError:
        raise ProjectFileError(f"{path}: not a Partita project (no {PROJECT_JSON} inside)") from None
    except (json.JSONDecodeError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
        raise ProjectFileError(f"{path}: damaged project file ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ProjectFileError(f"{path}: not a Partita project")
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise ProjectFileError(f"{path}: damaged project file (bad version {version!r})")
    if version > FORMAT_VERSION:
        raise ProjectFileError(
            f"{path}: made by a newer Partita (file format {version}; this one reads up to "
            f"{FORMAT_VERSION}); update Partita to open it")
    return doc


def project_from_json(doc: dict[str, Any], zf: zipfile.ZipFile | None = None,
                      path: Path | None = None) -> Project:
    tempo = [TempoChange(int(t), float(b)) for t, b in doc["tempo_map"]]
    key = doc.get("key")
    parse_key(key)
    loop = doc.get("loop", {})
    project = Project(
        name=str(doc.get("name", "Untitled")),
        sample_rate=int(doc["sample_rate"]),
        tempo_map=tempo or [TempoChange(0, 120.0)],
        time_signature=TimeSignature.parse(doc.get("time_signature", "4/4")),
        key=key,
        length_bars=int(doc["length_bars"]),
        last_bar_ticks=max(0, int(doc.get("last_bar_ticks", 0))),
        loop_start=int(loop.get("start", 0)),
        loop_end=int(loop.get("end", 0)),
        loop_enabled=bool(loop.get("enabled", False)),
    )
    for entry in doc["tracks"]:
        project.tracks.append(_track_from_json(entry, zf, path, project.sample_rate))
    for name, values in doc.get("curves", {}).items():
        if name in CURVE_NAMES:
            project.curves[name] = np.array([np.nan if v is None else v for v in values],
                                            dtype=np.float32)
    return project


def _track_from_json(entry: dict[str, Any], zf: zipfile.ZipFile | None, path: Path | None,
                     sample_rate: int) -> MidiTrack | AudioTrack:
    common: dict[str, Any] = dict(name=str(entry["name"]), role=Role(entry.get("role", "other")),
                  muted=bool(entry.get("muted", False)), solo=bool(entry.get("solo", False)),
                  gain_db=float(entry.get("gain_db", 0.0)), pan=float(entry.get("pan", 0.0)),
                  color=entry.get("color"), id=str(entry["id"]),
                  group=None if entry.get("group") is None else str(entry["group"]))
    if entry["kind"] == "midi":
        notes = [Note(int(p), int(s), int(d), int(v)) for p, s, d, v in entry["notes"]]
        return MidiTrack(notes=notes, program=int(entry.get("program", 0)),
                         is_drum=bool(entry.get("is_drum", False)), **common)
    if entry["kind"] != "audio":
        raise ValueError(f"unknown track kind {entry['kind']!r}")
    if zf is None:
        raise ValueError("audio track without a container")
    return AudioTrack(samples=_decode_audio(zf, entry, sample_rate, path),
                      source=entry.get("source"), **common)


def _refuse_above(info: zipfile.ZipInfo, limit: int, holds: str, path: Path | None) -> None:
    """Refuse an entry whose inflated size (which reading never exceeds) is above ``limit``."""
    if info.file_size > limit:
        raise ProjectFileError(
            f"{path}: {info.filename} would inflate to {info.file_size / 2**20:,.0f} MiB, more than "
            f"{holds} can need ({limit / 2**20:,.1f} MiB); the file is damaged or malicious, not opened")


def _check_audio_entries(zf: zipfile.ZipFile, doc: dict[str, Any], path: Path | None) -> None:
    """Check every audio entry against what ``doc`` declares, before any is inflated."""
    rate = int(doc["sample_rate"])
    longest = MAX_AUDIO_SECONDS * rate
    for entry in doc["tracks"]:
        if entry.get("kind") != "audio":
            continue
        try:
            info = zf.getinfo(str(entry["audio"]))
        except KeyError:
            raise ProjectFileError(f"{path}: damaged project file (missing {entry['audio']})") from None
        frames, channels = entry.get("frames"), entry.get("channels")
        if frames is None or channels is None:  # written before the declaration existed
            frames, channels = longest, MAX_CHANNELS
            _refuse_above(info, MAX_AUDIO_RATIO * max(info.compress_size, AUDIO_HEADER_BYTES),
                          f"audio stored in {info.compress_size / 2**20:,.1f} MiB", path)
        if not (0 <= int(frames) <= longest and 1 <= int(channels) <= MAX_CHANNELS):
            raise ProjectFileError(f"{path}: damaged project file ({info.filename}: {frames} frames "
                                   f"of {channels} channels)")
        _refuse_above(info, int(frames) * int(channels) * 4 + AUDIO_HEADER_BYTES,
                      f"{int(frames) / rate:,.0f} s of {channels}-channel audio", path)


def _decode_audio(zf: zipfile.ZipFile, entry: dict[str, Any], sample_rate: int,
                  path: Path | None) -> np.ndarray:
    """The entry's audio as float32 (channels, frames), decoded from the zip stream in blocks."""
    import soundfile as sf

    name = str(entry["audio"])
    try:
        with zf.open(name) as raw, sf.SoundFile(raw) as snd:
            _check_header(snd, entry, sample_rate, f"{path}: damaged project file ({name}")
            out = np.empty((snd.channels, snd.frames), dtype=np.float32)
            filled = 0
            for block in snd.blocks(blocksize=1 << 16, dtype="float32", always_2d=True):
                out[:, filled:filled + len(block)] = block.T
                filled += len(block)
    except KeyError:
        raise ProjectFileError(f"{path}: damaged project file (missing {name})") from None
    except (sf.LibsndfileError, RuntimeError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ProjectFileError(f"{path}: damaged audio {name} ({exc})") from None
    if filled != out.shape[1]:
        raise ProjectFileError(f"{path}: damaged audio {name} (truncated)")
    return out


def _check_header(snd: Any, entry: dict[str, Any], sample_rate: int, where: str) -> None:
    """The decoder's header must agree with the project (rate) and the declaration (size)."""
    if snd.samplerate != sample_rate:
        raise ProjectFileError(f"{where} is {snd.samplerate} Hz, project {sample_rate} Hz)")
    frames = entry.get("frames", MAX_AUDIO_SECONDS * sample_rate)
    channels = entry.get("channels", MAX_CHANNELS)
    if snd.frames > int(frames) or snd.channels > int(channels):
        raise ProjectFileError(f"{where} holds {snd.frames} frames of {snd.channels} channels, "
                               f"the project declares {frames} of {channels})")
