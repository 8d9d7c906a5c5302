"""``partita info PROJECT|FILE [--json]``: tracks, length, tempo, key and curves."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from app.project import Project
    from engines.common import Progress


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="describe a project, MIDI or audio file",
                       description="Print the tempo, meter, key, length, tracks and control "
                       "curves of a .partita project, a MIDI file or an audio file. For audio, "
                       "the tempo, meter, first downbeat and key are detected in the music.")
    p.add_argument("input", metavar="PROJECT|FILE", help=".partita, MIDI or audio file")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (tempo, time_signature, key, bars, duration, "
                   "tracks with notes as [pitch, start_s, duration_s, velocity], curves; for an "
                   "audio file the tempo, meter, key and first_downbeat (seconds) detected in it, and "
                   "detected: false when no steady beat is found; tempo, meter and bars are then "
                   "a new project's, first_downbeat null)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import existing_file
    from app.importing import file_kind

    path = existing_file(args.input)
    if file_kind(path) == "audio":
        from app.cli.common import StderrProgress

        info = audio_file_summary(path, progress=StderrProgress("detecting tempo"))
    else:
        from app.importing import project_from_file

        info = project_summary(project_from_file(path, notes_required=False))
    if args.json:
        print(json.dumps(info))
    else:
        print(format_summary(info))
    return 0


def project_summary(project: Project) -> dict[str, Any]:
    """The ``info --json`` object of CONTRACT.md for a project."""
    from app.project import CURVE_NAMES, MidiTrack
    from app.roles import GM_NAMES

    tracks = []
    for t in project.tracks:
        entry: dict[str, Any] = {"name": t.name, "kind": t.kind, "role": str(t.role),
                                 "muted": t.muted, "solo": t.solo, "gain_db": t.gain_db,
                                 "pan": t.pan}
        if isinstance(t, MidiTrack):
            entry["instrument"] = "Drum Kit" if t.is_drum else GM_NAMES[t.program]
            entry["program"] = t.program
            entry["is_drum"] = t.is_drum
            entry["notes"] = [[n.pitch, round(n.start, 6), round(n.duration, 6), n.velocity]
                              for n in project.notes_in_seconds(t.sorted_notes())]
        else:
            entry["instrument"] = None
            entry["seconds"] = round(t.seconds(project.sample_rate), 6)
            entry["channels"] = t.channels
        tracks.append(entry)
    curves = {name: int((~_isnan(project.curve(name))).sum()) for name in CURVE_NAMES}
    return {"name": project.name, "tempo": project.tempo,
            "time_signature": str(project.time_signature), "key": project.key,
            "bars": project.length_bars, "duration": round(project.duration, 6),
            "sample_rate": project.sample_rate, "tracks": tracks, "curves": curves}


def _isnan(values: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.isnan(values)


def audio_file_summary(path: Path, *, progress: Progress | None = None) -> dict[str, Any]:
    """``info`` for an audio file: what its header says, and the tempo, meter, first downbeat
    (seconds into the file) and key detected in it (``key`` null when none stands out).
    ``bars`` counts the bars of a project opened from the file, whose first downbeat is moved
    onto a bar line. ``detected`` is false when too few beats were found (a short clip,
    silence, speech): tempo, meter and bars are then those of a new project (120 BPM, 4/4),
    as ``open`` would give it, and ``first_downbeat`` is null."""
    from app.audio_io import audio_info
    from app.project import Project, TempoChange
    from app.roles import role_from_name
    from app.tempo_detect import file_timing, lead_in

    info = audio_info(path)
    timing = file_timing(path) if progress is None else file_timing(path, progress=progress)
    if timing is None:  # the grid a project opened from this audio gets: the defaults
        project = Project()
        grid: dict[str, Any] = {"tempo": project.tempo, "time_signature": str(project.time_signature),
                                "key": None, "bars": project.bars_to_cover(info.seconds),
                                "first_downbeat": None, "detected": False}
    else:
        project = Project(tempo_map=[TempoChange(0, timing.tempo)], time_signature=timing.time_signature)
        grid = {"tempo": timing.tempo, "time_signature": str(timing.time_signature), "key": timing.key,
                "bars": project.bars_to_cover(lead_in(timing) + info.seconds),
                "first_downbeat": round(timing.first_downbeat, 4), "detected": True}
    role = role_from_name(path.stem)
    return {"name": path.stem, **grid, "duration": round(info.seconds, 6), "sample_rate": info.sample_rate,
            "tracks": [{"name": path.stem, "kind": "audio", "role": str(role or "other"),
                        "instrument": None, "muted": False, "solo": False,
                        "seconds": round(info.seconds, 6), "channels": info.channels}],
            "curves": {"melody": 0, "dynamics": 0, "rhythm": 0}}


def format_summary(info: dict[str, Any]) -> str:
    grid = f"{info['bars']} bars, {info['tempo']:g} BPM, {info['time_signature']}"
    if info.get("detected") is False:
        grid += " (no steady beat found: a new project's grid)"
    if info.get("first_downbeat") is not None:
        grid += f", first downbeat at {info['first_downbeat']:.2f} s"
    lines = [f"{info['name']}: {info['duration']:.2f} s, {grid}, key {info['key'] or 'not set'}"]
    for t in info["tracks"]:
        flags = " (muted)" if t["muted"] else ""
        if t["kind"] == "midi":
            what = f"{len(t['notes'])} notes, {t['instrument']}"
        else:
            what = f"{t['seconds']:.2f} s audio, {t['channels']} ch"
        lines.append(f"  {t['name']:<24} {t['role']:<8} {what}{flags}")
    specified = ", ".join(f"{k} {v}" for k, v in info["curves"].items())
    lines.append(f"  curves (specified frames): {specified}")
    return "\n".join(lines)
