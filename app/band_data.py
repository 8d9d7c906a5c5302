"""Band songs for training and testing: folk tunes over mma-rendered drums, bass and comping.

``engines.compose.band.arrange`` picks a style, groove, tempo, key and chord
chart for a tune of the corpus (Essen, O'Neill); this module has Debian's
``mma`` (Musical MIDI Accompaniment) render the chart, reads its MIDI back,
sorts its tracks into Bass, comping tracks and Drums, lays the tune on top
as "Melody", and gives a ``Project`` (``render_song``). From there:

- ``write_songs(folder, split=..., count=...)`` writes songs as type-1 MIDI
  files with named tracks (Melody, Bass, Piano/Guitar/..., Drums) plus a
  ``.json`` beside each (style, groove, bpm, key, metre, source tune, split);
- ``band_pieces()`` gives every tune's song as a training ``Piece`` (cached
  in ``cache_dir()/compose``).

Songs are named "band:<tune name>" (a second arrangement of a tune adds
"@N"), so a song always belongs to the split of its tune
(``engines.compose.data.split_of``). Licences: mma is GPL-2+; we run it and
train on its output, and ship neither its code nor its groove files. The
tunes come from music21's corpus (see ``resources/models/composer.md``).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np

from app.errors import PartitaError
from app.project import MidiTrack, Note, Project, Role, TempoChange, TimeSignature, Track, format_key
from engines.common import Progress, no_progress
from engines.compose.band import Arrangement
from engines.compose.data import Piece, split_of

CACHE_VERSION = 2
MMA_LIBRARY_DIRS = (Path("/usr/share/mma/lib"), Path("/usr/local/share/mma/lib"))
SONG_PREFIX = "band:"
MAX_HARMONY_TRACKS = 2
"""Comping tracks a training piece keeps (the busiest); a written .mid keeps every track."""
FAMILY_NAMES = ("Piano", "Mallets", "Organ", "Guitar", "Bass", "Strings", "Strings", "Brass", "Reeds", "Pipe",
                "Synth", "Pad", "Synth FX", "Ethnic", "Percussion", "FX")
"""Track names for GM families (program // 8)."""


def mma_available() -> bool:
    return shutil.which("mma") is not None


def known_grooves() -> frozenset[str]:
    """Lower-case names of every groove in the installed mma library (empty without mma)."""
    names: set[str] = set()
    for lib in MMA_LIBRARY_DIRS:
        for path in lib.rglob("*.mma") if lib.is_dir() else ():
            for line in path.read_text(errors="replace").splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[0].lower() == "defgroove":
                    names.add(parts[1].lower())
    return frozenset(names)


def run_mma(script: str) -> list[MidiTrack]:
    """Render an mma script; its tracks with ticks at 480 PPQ per mma beat (PartitaError on failure)."""
    from app.midi_io import read_midi

    with tempfile.TemporaryDirectory(prefix="partita-mma-") as tmp:
        src, out = Path(tmp) / "song.mma", Path(tmp) / "song.mid"
        src.write_text(script)
        run = subprocess.run(["mma", "-0", str(src), "-f", str(out)], capture_output=True, text=True, timeout=60)
        if run.returncode or not out.exists():
            errors = [ln for ln in (run.stdout + run.stderr).splitlines() if "Error" in ln]
            raise PartitaError(f"mma failed: {errors[0] if errors else run.returncode}")
        return read_midi(out).tracks


def _scaled(notes: list[Note], factor: float) -> list[Note]:
    return [Note(n.pitch, int(round(n.start * factor)), max(1, int(round(n.duration * factor))), n.velocity)
            for n in notes]


def render_song(arr: Arrangement, rng: np.random.Generator) -> Project:
    """The arrangement (``engines.compose.band.Arrangement``) rendered: Melody, Bass, comping, Drums."""
    from app.infill import TICKS_PER_STEP
    from engines.compose.band import STEPS_PER_BEAT, STYLE_TABLE, melody_notes, mma_script

    spec = STYLE_TABLE[arr.style]
    factor = STEPS_PER_BEAT[spec.beats] / 4  # mma beats are quarters at 480 PPQ once read
    band = [MidiTrack(t.name, _scaled(t.notes, factor), program=t.program, is_drum=t.is_drum)
            for t in run_mma(mma_script(arr))]
    if arr.drum_groove or spec.half_time_drums:
        drums = run_mma(mma_script(arr, drums_only=True))
        stretch = factor * (2 if spec.half_time_drums else 1)
        band = [t for t in band if not t.is_drum]
        band += [MidiTrack(t.name, _scaled(t.notes, stretch), is_drum=True) for t in drums if t.is_drum]
    length = arr.n_steps * TICKS_PER_STEP
    melody = MidiTrack("Melody", [Note(n.pitch, n.start * TICKS_PER_STEP, n.duration * TICKS_PER_STEP, n.velocity)
                                  for n in melody_notes(arr, rng)],
                       role=Role.MELODY, program=arr.lead)
    tracks: list[Track] = [melody, *_sorted_band(band, length)]
    sig = TimeSignature(6, 8) if spec.beats == 6 else TimeSignature(spec.beats, 4)
    tonic, mode = arr.key % 12, ("major", "minor")[arr.key // 12]
    return Project(name=arr.tune.name, tempo_map=[TempoChange(0, arr.bpm)], time_signature=sig,
                   key=format_key(tonic, mode), length_bars=len(arr.chords), tracks=tracks)


def _sorted_band(tracks: list[MidiTrack], length: int) -> list[MidiTrack]:
    """mma's tracks as Bass, comping tracks (by instrument) and one Drums track; notes past
    ``length`` ticks and percussive/effect programs (112-127) are dropped."""
    from app.infill import TICKS_PER_STEP

    clip = lambda notes: [n for n in notes if n.start < length]  # noqa: E731
    pitched = [t for t in tracks if not t.is_drum and t.notes and t.program < 112]
    bass = [t for t in pitched if 32 <= t.program < 40 and _mean_pitch(t) < 55]
    if not bass:
        low = [t for t in pitched if t.name.lower().startswith(("bass", "walk"))]
        bass = [min(low, key=_mean_pitch)] if low else []
    out: list[MidiTrack] = []
    if bass:
        main = max(bass, key=lambda t: len(t.notes))
        line = monophonic([n for t in bass for n in t.notes], TICKS_PER_STEP)
        out.append(MidiTrack("Bass", clip(line), role=Role.BASS, program=main.program))
    names: dict[str, int] = {}
    for t in sorted((t for t in pitched if t not in bass), key=lambda t: -len(t.notes)):
        name = FAMILY_NAMES[t.program // 8]
        names[name] = names.get(name, 0) + 1
        out.append(MidiTrack(name + (f" {names[name]}" if names[name] > 1 else ""), clip(t.notes),
                             role=Role.HARMONY, program=t.program))
    hits = clip([n for t in tracks if t.is_drum for n in t.notes])
    if hits:
        out.append(MidiTrack("Drums", sorted(hits, key=lambda n: n.start), role=Role.DRUMS, is_drum=True))
    return out


def monophonic(notes: list[Note], grid: int) -> list[Note]:
    """One note at a time: of notes starting on the same ``grid`` step (ticks) the lowest stays;
    a note ends where the next starts (mma's bass and walking-bass tracks overlap where they
    hand over)."""
    first: dict[int, Note] = {}
    for n in sorted(notes, key=lambda n: (n.start, n.pitch)):
        first.setdefault(int(np.floor(n.start / grid + 0.5)), n)
    line = [first[t] for t in sorted(first)]
    return [Note(n.pitch, n.start, min(n.duration, nxt.start - n.start), n.velocity)
            for n, nxt in zip(line, line[1:])] + line[-1:]


def _mean_pitch(track: MidiTrack) -> float:
    return float(np.mean([n.pitch for n in track.notes])) if track.notes else 128.0


def song_piece(project: Project, arr: Arrangement, name: str) -> Piece:
    """A rendered song as a training piece: melody, bass, the busiest comping tracks, drums by
    family; at most ``config.MAX_LANES`` lanes (comping lanes give way first)."""
    from app.infill import TICKS_PER_STEP, grid_track
    from engines.compose.conditions import style_class
    from engines.compose.config import MAX_LANES
    from engines.compose.grid import bar_positions
    from engines.compose.tracks import encode_tracks

    tracks = project.midi_tracks()
    harmony = [t for t in tracks if t.role == Role.HARMONY][:MAX_HARMONY_TRACKS]
    chosen = [t for t in tracks if t.role != Role.HARMONY or t in harmony]
    n_steps = project.length_bars * project.ticks_per_bar // TICKS_PER_STEP
    lanes = encode_tracks([grid_track(t) for t in chosen], n_steps)
    keep = _lane_budget(lanes.role, MAX_LANES)
    bar = project.ticks_per_bar // TICKS_PER_STEP
    return Piece(name, lanes.pitch[keep], lanes.onset[keep], lanes.role[keep].astype(np.int8),
                 bar_positions(n_steps, bar), np.full(n_steps, bar, dtype=np.uint8), key=arr.key,
                 velocity=lanes.velocity[keep], ranks=lanes.rank[keep].astype(np.int8), tempo=float(project.tempo),
                 style=style_class(arr.style),
                 programs=np.array([chosen[i].program for i in lanes.track[keep]], dtype=np.int16))


def _lane_budget(roles: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the lanes to keep: all but the last harmony lanes beyond ``limit``, in order."""
    from engines.compose.data import role_index

    order = list(range(len(roles)))
    harmony = [i for i in order if roles[i] == role_index("harmony")]
    drop = set(harmony[::-1][:max(0, len(roles) - limit)])
    return np.array([i for i in order if i not in drop][:limit], dtype=np.int64)


TUNE_CORPORA = ("essen", "oneills")


def tunes(corpora: tuple[str, ...] = TUNE_CORPORA, *, progress: Progress = no_progress) -> list[Piece]:
    """The tunes of the folk corpora (parsed once, then cached; see ``app.train_data``)."""
    from app.train_data import corpus_pieces

    return [p for name in corpora for p in corpus_pieces(name, progress=progress)]


def songs(tune_list: list[Piece], *, seed: int = 0, copy: int = 0, style: str | None = None,
          progress: Progress = no_progress) -> Iterator[tuple[str, Arrangement, Project]]:
    """Yield (name, arrangement, project) for every tune that takes a band arrangement.

    The same seed and tunes give the same songs on every machine with the same mma.
    """
    from engines.compose.band import arrange

    if not mma_available():
        raise PartitaError("the band data needs mma (Debian/Ubuntu: apt-get install mma)")
    grooves = known_grooves()
    for i, tune in enumerate(tune_list):
        rng = np.random.default_rng([seed, copy, i])
        arr = arrange(tune, rng, style=style, known_grooves=grooves)
        progress((i + 1) / max(1, len(tune_list)), f"band songs: {i + 1}/{len(tune_list)}")
        if arr is None:
            continue
        try:
            project = render_song(arr, rng)
        except (PartitaError, subprocess.TimeoutExpired):
            continue
        yield SONG_PREFIX + tune.name + (f"@{copy}" if copy else ""), arr, project


def write_songs(folder: Path, *, split: str = "test", count: int = 40, seed: int = 0, style: str | None = None,
                progress: Progress = no_progress) -> list[Path]:
    """Write ``count`` songs whose tunes are in ``split`` as .mid files (+ .json) into ``folder``.

    Tunes are taken in a shuffled order fixed by ``seed``; returns the .mid paths.
    """
    from app.midi_io import write_midi

    pool = [t for t in tunes() if split_of(t.name) == split]
    order = np.random.default_rng(seed).permutation(len(pool))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, arr, project in songs([pool[i] for i in order], seed=seed, style=style):
        stem = f"{len(written):03d}-{arr.style}"
        path = folder / f"{stem}.mid"
        write_midi(project, path)
        (folder / f"{stem}.json").write_text(json.dumps(song_info(name, arr, project), indent=1))
        written.append(path)
        progress(len(written) / count, f"wrote {path.name}")
        if len(written) >= count:
            break
    return written


def song_info(name: str, arr: Arrangement, project: Project) -> dict:
    """What a written song is: its style, groove, tempo, key, metre, source tune and split."""
    return {"name": name, "style": arr.style, "groove": arr.groove, "drum_groove": arr.drum_groove,
            "bpm": arr.bpm, "key": project.key, "time_signature": str(project.time_signature),
            "bars": project.length_bars, "seconds": round(project.duration, 3), "tune": arr.tune.name,
            "split": split_of(name), "tracks": [{"name": t.name, "role": str(t.role), "program": t.program,
                                                  "is_drum": t.is_drum} for t in project.midi_tracks()]}


def band_pieces(corpora: tuple[str, ...] = TUNE_CORPORA, *, copies: int = 1,
                progress: Progress = no_progress) -> list[Piece]:
    """The band songs of every tune of ``corpora`` as training pieces (``copies`` arrangements of
    each), rendered once per corpus and then read from the cache."""
    from app.train_data import cache_dir, load_pieces, save_pieces

    pieces: list[Piece] = []
    for corpus in corpora:
        path = cache_dir() / "compose" / f"band-{corpus}-{copies}-v{CACHE_VERSION}.npz"
        if not path.exists():
            tune_list = tunes((corpus,))
            made = [song_piece(project, arr, name) for copy in range(copies)
                    for name, arr, project in songs(tune_list, copy=copy, progress=progress)]
            save_pieces(made, path)
        pieces += load_pieces(path)
    return pieces
