"""Standard MIDI files in and out, with mido.

Reading accepts type 0 and 1 files (running status, zero-length notes,
overlapping same-pitch notes, stray note-offs, SMPTE time division); notes are
split into one track per (file track, channel), ticks are rescaled to ``PPQ``,
and each track's role is inferred (see ``app.roles``). Type 2 files (a set of
independent patterns, not a song) are refused with a clear message.

Writing produces type 1 (or 0): the tempo map, time signature and key on the
first track, track names, GM programs, drums on channel 10, real velocities,
and the dynamics curve as CC11 (expression) on every channel used.
"""
from __future__ import annotations

import contextlib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.errors import InputError
from app.project import (
    PPQ,
    MidiTrack,
    Note,
    Project,
    TempoChange,
    TimeSignature,
    format_key,
    note_order,
)
from app.roles import GM_NAMES, infer_roles
from engines.common import CONTROL_FRAME_RATE

if TYPE_CHECKING:
    import mido

DRUM_CHANNEL = 9
MIN_DB = -60.0


@dataclass
class MidiContent:
    """What a MIDI file holds, in Partita's terms (ticks at PPQ)."""

    tracks: list[MidiTrack] = field(default_factory=list)
    tempo_map: list[TempoChange] = field(default_factory=lambda: [TempoChange(0, 120.0)])
    time_signature: TimeSignature = field(default_factory=TimeSignature)
    key: str | None = None
    length_ticks: int = 0
    expression: list[tuple[int, int]] = field(default_factory=list)
    """CC11 events of the busiest channel: (tick, value 0-127)."""


# -- reading ------------------------------------------------------------------

def read_midi(path: str | os.PathLike[str]) -> MidiContent:
    """Parse a MIDI file; ``InputError`` with a one-line reason if it cannot be used."""
    import mido

    path = Path(path)
    _check_header(path)
    try:
        mf = mido.MidiFile(path, clip=True)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except Exception as exc:  # mido raises OSError, EOFError, ValueError, KeyError, ...
        raise InputError(f"{path}: not a readable MIDI file ({_midi_reason(exc)})") from None
    if mf.type == 2:
        raise InputError(f"{path}: type-2 MIDI (independent patterns) is not supported; "
                         "save it as type 0 or 1 in your DAW")
    scale = _tick_scale(mf.ticks_per_beat)
    content = MidiContent()
    tempos: dict[int, float] = {}
    sigs: list[tuple[int, TimeSignature]] = []
    keys: list[tuple[int, str]] = []
    cc11: dict[int, list[tuple[int, int]]] = {}
    end = 0
    for index, track in enumerate(mf.tracks):
        parsed = _read_track(track, scale, tempos, sigs, keys, cc11)
        end = max(end, parsed.end)
        content.tracks.extend(parsed.tracks(index, multi_track=len(mf.tracks) > 1))
    content.tempo_map = _tempo_map(tempos, mf.ticks_per_beat)
    if sigs:
        content.time_signature = min(sigs, key=lambda s: s[0])[1]
    if keys:
        content.key = min(keys, key=lambda k: k[0])[1]
    if cc11:
        content.expression = max(cc11.values(), key=len)
    content.length_ticks = max([end] + [t.end_tick() for t in content.tracks])
    infer_roles(content.tracks)
    return content


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if not head:
        raise InputError(f"{path}: the file is empty")
    if head == b"RIFF":
        raise InputError(f"{path}: RIFF MIDI (.rmi) is not supported; save it as a standard MIDI file")
    if head != b"MThd":
        raise InputError(f"{path}: not a MIDI file (no MIDI header)")


def _midi_reason(exc: Exception) -> str:
    if isinstance(exc, EOFError):
        return "it ends in the middle of an event; the file is truncated"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "MThd" in text:
        return "no MIDI header; it is not a MIDI file"
    return text


def _tick_scale(ticks_per_beat: int) -> float:
    """Factor from file ticks to PPQ ticks. SMPTE division is mapped at 120 BPM."""
    if ticks_per_beat > 0:
        return PPQ / ticks_per_beat
    frames = -(ticks_per_beat >> 8)
    fps = 29.97 if frames == 29 else float(frames)
    per_frame = ticks_per_beat & 0xFF
    if fps <= 0 or per_frame == 0:
        raise InputError("MIDI file has an invalid time division")
    ticks_per_second = fps * per_frame
    return PPQ * 2.0 / ticks_per_second  # 120 BPM: two beats a second


def _tempo_map(tempos: dict[int, float], ticks_per_beat: int) -> list[TempoChange]:
    if ticks_per_beat <= 0 or not tempos:
        return [TempoChange(0, 120.0)]
    ticks = sorted(tempos)
    out = [TempoChange(0, tempos[ticks[0]] if ticks[0] == 0 else 120.0)]
    for tick in ticks:
        bpm = tempos[tick]
        if tick == 0:
            continue
        if abs(bpm - out[-1].bpm) > 1e-6:
            out.append(TempoChange(tick, bpm))
    return out


@dataclass
class _Channel:
    notes: list[Note] = field(default_factory=list)
    program: int | None = None
    open: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


class _TrackParse:
    def __init__(self) -> None:
        self.channels: dict[int, _Channel] = {}
        self.name = ""
        self.end = 0

    def channel(self, ch: int) -> _Channel:
        return self.channels.setdefault(ch, _Channel())

    def tracks(self, index: int, *, multi_track: bool) -> list[MidiTrack]:
        out = []
        used = [(ch, c) for ch, c in sorted(self.channels.items()) if c.notes or c.open]
        for ch, chan in used:
            for pitch, stack in chan.open.items():  # still sounding at the end of the track
                for start, vel in stack:
                    chan.notes.append(Note(pitch, start, max(1, self.end - start), vel))
            program = chan.program or 0
            drum = ch == DRUM_CHANNEL
            base = "Drums" if drum else GM_NAMES[program]
            own = self.name.strip() if multi_track else ""
            name = own if own and len(used) == 1 else f"{own} ({base})" if own else base
            out.append(MidiTrack(name=name, notes=normalize_notes(chan.notes), program=program,
                                 is_drum=drum))
        return out


def _read_track(track: mido.MidiTrack, scale: float, tempos: dict[int, float], sigs: list[Any], keys: list[Any],
                cc11: dict[int, list[tuple[int, int]]]) -> _TrackParse:
    parse = _TrackParse()
    raw = 0
    for msg in track:
        raw += msg.time
        tick = int(round(raw * scale))
        parse.end = max(parse.end, tick)
        kind = msg.type
        if kind == "note_on" and msg.velocity > 0:
            parse.channel(msg.channel).open.setdefault(msg.note, []).append((tick, msg.velocity))
        elif kind in ("note_off", "note_on"):
            _close(parse.channel(msg.channel), msg.note, tick)
        elif kind == "program_change":
            chan = parse.channel(msg.channel)
            if chan.program is None:
                chan.program = msg.program
        elif kind == "control_change" and msg.control == 11:
            cc11.setdefault(msg.channel, []).append((tick, msg.value))
        elif kind == "set_tempo" and msg.tempo > 0:
            tempos[tick] = min(999.0, max(10.0, 60_000_000.0 / msg.tempo))
        elif kind == "time_signature":
            _add_signature(sigs, tick, msg.numerator, msg.denominator)
        elif kind == "key_signature":
            keys.append((tick, _key_name(msg.key)))
        elif kind == "track_name" and not parse.name:
            parse.name = _decode_text(msg.name)
    return parse


def _decode_text(text: str) -> str:
    """mido decodes meta text as Latin-1; most files today hold UTF-8."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _encode_text(text: str) -> str:
    """Text for mido (which writes Latin-1) that lands in the file as UTF-8."""
    return text.encode("utf-8").decode("latin-1")


def _close(chan: _Channel, pitch: int, tick: int) -> None:
    """A note-off ends the oldest sounding note of that pitch; stray offs are ignored."""
    stack = chan.open.get(pitch)
    if not stack:
        return
    start, vel = stack.pop(0)
    if not stack:
        del chan.open[pitch]
    chan.notes.append(Note(pitch, start, max(1, tick - start), vel))


def _add_signature(sigs: list, tick: int, num: int, den: int) -> None:
    """Collect a meter event; an impossible one (e.g. 4/5) is skipped, keeping the default."""
    with contextlib.suppress(ValueError):
        sigs.append((tick, TimeSignature.parse(f"{num}/{den}")))


def _key_name(key: str) -> str:
    minor = key.endswith("m")
    tonic = key[:-1] if minor else key
    from app.project import parse_key

    parsed = parse_key(f"{tonic}:{'minor' if minor else 'major'}")
    assert parsed is not None
    return format_key(*parsed)


def normalize_notes(notes: list[Note]) -> list[Note]:
    """Sorted notes where a same-pitch note never overlaps the next one.

    MIDI cannot say which note-off ends which of two overlapping notes of one
    pitch on one channel, so an earlier note is cut where the next one starts.
    """
    out: list[Note] = []
    last: dict[int, int] = {}
    for note in sorted(notes, key=note_order):
        prev = last.get(note.pitch)
        if prev is not None and out[prev].end > note.start:
            p = out[prev]
            if note.start > p.start:
                out[prev] = Note(p.pitch, p.start, note.start - p.start, p.velocity)
            else:  # same start: keep the longer one only
                if note.duration > p.duration:
                    out[prev] = note
                continue
        last[note.pitch] = len(out)
        out.append(note)
    return out


# -- writing ------------------------------------------------------------------

def write_midi(project: Project, path: str | os.PathLike[str], *, midi_type: int = 1) -> None:
    """Write the project's MIDI tracks (audio tracks are skipped) as a standard MIDI file."""
    from app.projectfile import atomic_write

    mf = build_midi(project, midi_type=midi_type)
    with atomic_write(path) as fh:
        mf.save(file=fh)


def build_midi(project: Project, *, midi_type: int = 1) -> mido.MidiFile:
    """A ``mido.MidiFile`` for the project: conductor events first, then one track each."""
    import mido

    if midi_type not in (0, 1):
        raise ValueError("MIDI type must be 0 or 1")
    conductor = _conductor_events(project)
    channels = _assign_channels(project.midi_tracks())
    expression = _expression_events(project)
    parts = []
    for track, channel in channels:
        events = [(0, 0, mido.MetaMessage("track_name", name=_encode_text(track.name)))]
        if not track.is_drum:
            events.append((0, 1, mido.Message("program_change", channel=channel, program=track.program)))
        events += [(tick, 2, mido.Message("control_change", channel=channel, control=11, value=v))
                   for tick, v in expression]
        for n in normalize_notes(track.notes):
            events.append((n.start, 4, mido.Message("note_on", channel=channel, note=n.pitch, velocity=n.velocity)))
            events.append((n.end, 3, mido.Message("note_off", channel=channel, note=n.pitch, velocity=0)))
        parts.append(events)
    mf = mido.MidiFile(type=midi_type, ticks_per_beat=PPQ)
    if midi_type == 1:
        mf.tracks.append(_to_track(conductor))
        mf.tracks.extend(_to_track(events) for events in parts)
    else:
        mf.tracks.append(_to_track(conductor + [e for events in parts for e in events]))
    return mf


def _conductor_events(project: Project) -> list:
    import mido

    sig = project.time_signature
    events = [(0, 0, mido.MetaMessage("track_name", name=_encode_text(project.name))),
              (0, 0, mido.MetaMessage("time_signature", numerator=sig.numerator,
                                      denominator=sig.denominator))]
    if project.key:
        tonic, _, mode = project.key.partition(":")
        events.append((0, 0, mido.MetaMessage("key_signature", key=tonic + ("m" if mode == "minor" else ""))))
    for change in project.tempo_map:
        events.append((change.tick, 0, mido.MetaMessage("set_tempo", tempo=int(round(60_000_000 / change.bpm)))))
    return events


def _assign_channels(tracks: list[MidiTrack]) -> list[tuple[MidiTrack, int]]:
    """Drums on channel 10 (index 9); others take 0-15 in order, skipping 9, then wrap."""
    melodic = [c for c in range(16) if c != DRUM_CHANNEL]
    out, i = [], 0
    for track in tracks:
        if track.is_drum:
            out.append((track, DRUM_CHANNEL))
        else:
            out.append((track, melodic[i % len(melodic)]))
            i += 1
    return out


def _expression_events(project: Project) -> list[tuple[int, int]]:
    """CC11 (tick, value) where the dynamics curve is specified, one per change."""
    curve = project.curves.get("dynamics")
    if curve is None or not np.any(np.isfinite(curve)):
        return []
    seconds = np.arange(len(curve)) / CONTROL_FRAME_RATE
    ticks = np.round(np.asarray(project.seconds_to_tick(seconds))).astype(int)
    out: list[tuple[int, int]] = []
    for tick, db in zip(ticks.tolist(), curve.tolist()):
        if math.isnan(db):
            continue
        value = db_to_cc(db)
        if not out or (value != out[-1][1] and tick > out[-1][0]):
            out.append((tick, value))
    return out


def db_to_cc(db: float) -> int:
    """Expression value for a gain in dB (GM: gain = 40 log10(value / 127))."""
    return int(np.clip(round(127 * 10 ** (max(db, MIN_DB) / 40)), 1, 127))


def cc_to_db(value: int) -> float:
    return max(MIN_DB, 40 * math.log10(max(value, 1) / 127))


def _to_track(events: list[Any]) -> mido.MidiTrack:
    import mido

    track = mido.MidiTrack()
    now = 0
    for tick, _, msg in sorted(events, key=lambda e: (e[0], e[1])):
        track.append(msg.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


# -- project helpers ----------------------------------------------------------

def expression_curve(content: MidiContent, project: Project) -> np.ndarray | None:
    """The file's CC11 as a dynamics curve (dB per control frame), held between events."""
    if not content.expression:
        return None
    events = sorted(content.expression)
    n = project.n_frames
    times = np.asarray(project.tick_to_seconds(np.array([t for t, _ in events]))).reshape(-1)
    frames = np.round(times * CONTROL_FRAME_RATE).astype(int)
    curve = np.full(n, np.nan, dtype=np.float32)
    for i, (frame, (_, value)) in enumerate(zip(frames, events)):
        stop = frames[i + 1] if i + 1 < len(frames) else n
        curve[max(0, frame):max(0, stop)] = cc_to_db(value)
    return curve
