"""A plan step in words: "Transpose Lead up 12 semitones", "Remove track Drums"."""
from __future__ import annotations

from typing import Any, Callable, Sequence

Args = dict[str, Any]


def bars_text(bars: tuple[int, int] | None) -> str:
    """(5, 8) -> "bars 5-8", (3, 3) -> "bar 3", None -> "all bars"."""
    if bars is None:
        return "all bars"
    return f"bar {bars[0]}" if bars[0] == bars[1] else f"bars {bars[0]}-{bars[1]}"


def names(tracks: Sequence[str]) -> str:
    """("Lead", "Keys", "Bass") -> "Lead, Keys and Bass"."""
    items = list(tracks)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def signed(value: float, unit: str) -> str:
    return f"{value:+g} {unit}"


def _program(args: Args, programs: Sequence[str]) -> str:
    if args.get("drums"):
        return "drum kit"
    program = int(args["program"])
    return programs[program] if program < len(programs) else f"GM program {program + 1}"


def _add(a: Args, p: Sequence[str]) -> str:
    return f"Add {a['role']} track \"{a['name']}\" ({_program(a, p)})"


def _transpose(a: Args, p: Sequence[str]) -> str:
    n = int(a["semitones"])
    word = "up" if n > 0 else "down"
    return f"Transpose {names(a['tracks'])} {word} {abs(n)} semitone{'s' * (abs(n) != 1)}, {bars_text(a['bars'])}"


def _dynamics(a: Args, p: Sequence[str]) -> str:
    shape, db, where = a["shape"], float(a["change_db"]), bars_text(a["bars"])
    if shape == "crescendo":
        return f"Dynamics curve: crescendo over {where} (rising {abs(db):g} dB to the level there)"
    if shape == "diminuendo":
        return f"Dynamics curve: diminuendo over {where} (falling {abs(db):g} dB)"
    return f"Dynamics curve: {where} {'louder' if db > 0 else 'softer'} by {abs(db):g} dB"


def _separate(a: Args, p: Sequence[str]) -> str:
    made = names([a["names"][s] for s in a["stems"]])
    many = len(a["stems"]) > 1
    muted = " (muted)" if a.get("mute_stems") else ""
    mute = "; mute the source" if a.get("mute_source") else ""
    return f"Separate {a['track']} into {'tracks' if many else 'a track'} {made}{muted}{mute}"


def _controls(a: Args, p: Sequence[str]) -> str:
    source = a.get("track") or a.get("file")
    return f"Copy the {names(a['curves'])} of {source} into the curve lane{'s' * (len(a['curves']) > 1)}"


def _generate(a: Args, p: Sequence[str]) -> str:
    prompt = f" (\"{a['prompt']}\")" if a.get("prompt") else ""
    return f"Generate {names(a['tracks'])}, {bars_text(a['bars'])}{prompt}"


_DESCRIBE: dict[str, Callable[[Args, Sequence[str]], str]] = {
    "add_track": _add,
    "remove_track": lambda a, p: f"Remove track {a['track']}",
    "clear_notes": lambda a, p: f"Delete the notes of {names(a['tracks'])} in {bars_text(a['bars'])}",
    "mute": lambda a, p: f"{'Mute' if a['muted'] else 'Unmute'} {a['track']}",
    "solo": lambda a, p: f"{'Solo' if a['solo'] else 'Unsolo'} {a['track']}",
    "set_instrument": lambda a, p: f"Play {a['track']} on {_program(a, p)}",
    "change_gain": lambda a, p: f"{a['track']} gain {signed(a['change_db'], 'dB')}",
    "velocity": lambda a, p: f"Velocities of {names(a['tracks'])} in {bars_text(a['bars'])} "
                             f"{signed(a['change_db'], 'dB')}",
    "dynamics": _dynamics,
    "transpose": _transpose,
    "change_tempo": lambda a, p: f"Tempo {a['bpm']:g} BPM",
    "change_key": lambda a, p: f"Key {a['key'].replace(':', ' ')}"
                               + (" (pitched notes move with it)" if a.get("transpose_notes") else ""),
    "set_mode": lambda a, p: f"Mode {a['mode']} (the 3rd, 6th and 7th of the scale move)",
    "change_meter": lambda a, p: f"Time signature {a['time_signature']}",
    "set_length": lambda a, p: f"Song length {a['bars']} bars",
    "feel": lambda a, p: f"{a['feel'].capitalize()}-time feel for {names(a['tracks'])}, {bars_text(a['bars'])}",
    "humanise": lambda a, p: f"Humanise {names(a['tracks'])} (timing ±{a['timing_ms']:g} ms, velocity "
                             f"±{a['velocity']}), {bars_text(a['bars'])}",
    "quantise": lambda a, p: f"Quantise {names(a['tracks'])} to {a['grid']}, {bars_text(a['bars'])}",
    "infill": lambda a, p: f"Infill {names(a['tracks'])} with the composer, {bars_text(a['bars'])}",
    "generate": _generate,
    "separate": _separate,
    "transcribe": lambda a, p: f"Transcribe {a['track']} to a MIDI track ({a['kind']})",
    "copy_controls": _controls,
    "set_pan": lambda a, p: f"Pan {a['track']} " + ("centre" if a["pan"] == 0 else
                                                    f"{abs(a['pan']):.0%} {'left' if a['pan'] < 0 else 'right'}"),
}


def describe_step(op: str, args: Args, programs: Sequence[str] = ()) -> str:
    """One line for a step; ``programs`` are the 128 GM names (else "GM program N")."""
    make = _DESCRIBE.get(op)
    if make is None:
        return f"{op} {args}"
    return make(args, programs)
