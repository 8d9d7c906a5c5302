"""``partita info PROJECT|FILE [--json]``: tracks, length, tempo, key and curves."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from app.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="describe a project, MIDI or audio file",
                       description="Print the tempo, meter, key, length, tracks and control "
                       "curves of a .partita project, a MIDI file or an audio file.")
    p.add_argument("input", metavar="PROJECT|FILE", help=".partita, MIDI or audio file")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (tempo, time_signature, key, bars, duration, "
                   "tracks with notes as [pitch, start_s, duration_s, velocity], curves)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import existing_file
    from app.importing import file_kind

    path = existing_file(args.input)
    if file_kind(path) == "audio":
        info = audio_file_summary(path)
    else:
        from app.importing import project_from_file

        info = project_summary(project_from_file(path))
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


def audio_file_summary(path: Path) -> dict[str, Any]:
    """``info`` for an audio file, read from its header only (no decoding)."""
    from app.audio_io import audio_info
    from app.roles import role_from_name

    info = audio_info(path)
    bars = max(1, int(-(-info.seconds // 2.0)))  # 4/4 at 120 BPM: 2 s a bar
    role = role_from_name(path.stem)
    return {"name": path.stem, "tempo": 120.0, "time_signature": "4/4", "key": None,
            "bars": bars, "duration": round(info.seconds, 6), "sample_rate": info.sample_rate,
            "tracks": [{"name": path.stem, "kind": "audio", "role": str(role or "other"),
                        "instrument": None, "muted": False, "solo": False,
                        "seconds": round(info.seconds, 6), "channels": info.channels}],
            "curves": {"melody": 0, "dynamics": 0, "rhythm": 0}}


def format_summary(info: dict[str, Any]) -> str:
    lines = [f"{info['name']}: {info['bars']} bars, {info['duration']:.2f} s, "
             f"{info['tempo']:g} BPM, {info['time_signature']}, key {info['key'] or 'not set'}"]
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
