"""``partita.controls/1`` files: write and read ``Controls`` as JSON (see CONTRACT.md).

NaN frames are written as null and read back as NaN (a NaN token, which
some tools write although JSON has none, reads as null too). Reading validates
everything and raises ``InputError`` with a one-line reason. Keys beyond the
contract: "onset_density" (the rhythm lane, onsets per second per frame).
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np

from app.errors import InputError
from engines.common import CONTROL_FRAME_RATE
from engines.controls.curves import Controls, n_frames_for

FORMAT = "partita.controls/1"
MAX_DURATION = 24 * 3600.0
_CURVES = {  # key: (Controls field, decimals, lowest, highest, integral)
    "melody": ("melody", 3, 0.0, 127.0, False),
    "melody_chroma": ("melody_chroma", 0, 0.0, 11.0, True),
    "dynamics": ("dynamics", 2, -math.inf, 0.0, False),
    "onset_density": ("rhythm", 3, 0.0, math.inf, False),
}


def _frames_json(values: np.ndarray, decimals: int) -> list[float | int | None]:
    rounded = np.round(values.astype(np.float64), decimals)
    if decimals == 0:
        return [None if math.isnan(v) else int(v) for v in rounded.tolist()]
    return [None if math.isnan(v) else v for v in rounded.tolist()]


def controls_to_json(controls: Controls) -> dict[str, Any]:
    """The ``partita.controls/1`` object; curves with no specified frame are left out."""
    doc: dict[str, Any] = {"format": FORMAT, "frame_rate": CONTROL_FRAME_RATE,
                           "duration": float(controls.duration)}
    for key, (field, decimals, *_rest) in _CURVES.items():
        values = getattr(controls, field)
        if np.isfinite(values).any():
            doc[key] = _frames_json(values, decimals)
    for key in ("beats", "downbeats"):
        times = getattr(controls, key)
        if times is not None:
            doc[key] = [round(float(t), 4) for t in times]
    return doc


def write_controls(controls: Controls, path: str | os.PathLike[str]) -> None:
    """Write ``controls`` to ``path`` atomically."""
    from app.projectfile import atomic_write

    text = json.dumps(controls_to_json(controls), allow_nan=False, separators=(",", ":"))
    with atomic_write(path) as fh:
        fh.write(text.encode("utf-8") + b"\n")


def read_controls(path: str | os.PathLike[str]) -> Controls:
    """Read and validate a controls file; ``InputError`` says what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not a controls file (invalid JSON at line {exc.lineno}: "
                         f"{exc.msg})") from None
    try:
        return controls_from_json(doc)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


def controls_from_json(doc: Any) -> Controls:
    """``Controls`` from a parsed ``partita.controls/1`` object (validated)."""
    if not isinstance(doc, dict):
        raise InputError("not a controls file (expected a JSON object)")
    _check_format(doc.get("format"))
    rate = doc.get("frame_rate", CONTROL_FRAME_RATE)
    if not _is_number(rate) or abs(float(rate) - CONTROL_FRAME_RATE) > 1e-6:
        raise InputError(f"frame_rate must be {CONTROL_FRAME_RATE} (44100 / 512), not {rate!r}")
    duration = doc.get("duration")
    if not _is_number(duration) or not 0 <= float(duration) <= MAX_DURATION:
        raise InputError(f"duration must be a number of seconds from 0 to {MAX_DURATION:.0f}, "
                         f"not {duration!r}")
    duration = float(duration)
    n = n_frames_for(duration)
    curves = {spec[0]: _curve(doc, key, n, spec[1:]) for key, spec in _CURVES.items()}
    beats = {key: _times(doc, key, duration) for key in ("beats", "downbeats")}
    return Controls.build(duration, **curves, **beats)


def _check_format(value: Any) -> None:
    if value == FORMAT:
        return
    if isinstance(value, str) and value.startswith("partita.controls/"):
        raise InputError(f"format {value!r} is newer than this Partita reads ({FORMAT}); "
                         "update Partita")
    raise InputError(f"not a controls file (\"format\" must be {FORMAT!r}, got {value!r})")


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _curve(doc: dict[str, Any], key: str, n: int, spec: tuple[int, float, float, bool]
           ) -> np.ndarray | None:
    """A validated frame list as float32 (NaN for null), or None when the key is absent."""
    if key not in doc or doc[key] is None:
        return None
    values = doc[key]
    _, low, high, integral = spec
    if not isinstance(values, list):
        raise InputError(f"{key} must be a list of numbers or nulls")
    if len(values) > n + 1:
        raise InputError(f"{key} has {len(values)} frames but the duration covers {n}")
    out = np.full(len(values), np.nan, dtype=np.float32)
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and math.isnan(v)):  # NaN: a lenient null
            continue
        if not _is_number(v):
            raise InputError(f"{key}[{i}] is {v!r}, not a number or null")
        if not low <= v <= high or (integral and v != int(v)):
            kind = "an integer " if integral else ""
            raise InputError(f"{key}[{i}] is {v}; it must be {kind}from {low:g} to {high:g}")
        out[i] = v
    return out


def _times(doc: dict[str, Any], key: str, duration: float) -> np.ndarray | None:
    if key not in doc or doc[key] is None:
        return None
    values = doc[key]
    if not isinstance(values, list) or not all(_is_number(v) for v in values):
        raise InputError(f"{key} must be a list of times in seconds")
    times = np.asarray(values, dtype=np.float64)
    if len(times) and (times.min() < 0 or times.max() > duration + 0.05):
        raise InputError(f"{key} must lie between 0 and the duration ({duration:g} s)")
    return times
