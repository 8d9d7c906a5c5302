"""Scoring for ``bench_generate``: extraction, rendering, adherence, free frames, attributes,
musicality and speed."""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from engines.common import CONTROL_FRAME_RATE
from engines.controls import adherence, beat_f1
from engines.controls.metrics import BEAT_WINDOW
from engines.controls.curves import Controls
from tests.bench.generate_sources import RATE, SECONDS, Source

ROOT = Path(__file__).resolve().parents[2]
GENERATED: dict[str, object] = {}
"""Projects generated in the full section, by source name (the musicality section reads them)."""
DENSITY_LEVELS = (2.0, 3.0)
"""Distinct onset positions per beat (any track) where a piece turns from sparse to medium and
from medium to busy: sparse has at most a note every half beat on average, busy more than
three a beat (16th-note hi-hats, busy parts)."""


def extract(audio: np.ndarray) -> Controls:
    from engines.controls import extract_controls

    return extract_controls(audio, RATE)


def generated(generate: object, controls: Controls, *, seed: int, prompt: str = "") -> object:
    from app.generate import GenerateRequest
    from app.project import Project

    outcome = generate.run(Project(name="bench"), GenerateRequest(controls=controls, seconds=controls.duration,  # type: ignore[attr-defined]
                                                                  seed=seed, prompt=prompt))
    project = Project(name="bench")
    outcome.commands[0].do(project)
    return project


def render(project: object, seconds: float = SECONDS) -> np.ndarray:
    """The project's mix, float32 (2, n) cut or padded to ``seconds``."""
    from app.mixdown import render_project

    mix = render_project(project, sample_rate=RATE, sound_font=None).mix  # type: ignore[arg-type]
    n = int(seconds * RATE)
    out = np.zeros((2, n), dtype=np.float32)
    out[:, : min(n, mix.shape[1])] = mix[:, :n]
    return out


def sine_ceiling(target: Controls) -> float:
    """Melody accuracy of a sine wave playing the target's pitch classes (octave 5) frame by
    frame: how much of the figure the metric itself leaves for a perfect melody."""
    hop = RATE / CONTROL_FRAME_RATE
    pcs = target.pitch_classes()
    freq = np.where(np.isfinite(pcs), 440.0 * 2.0 ** ((72 + np.nan_to_num(pcs) - 69) / 12), 0.0)
    n = int(target.duration * RATE)
    per_sample = freq[np.minimum((np.arange(n) / hop + 0.5).astype(int), len(freq) - 1)]
    wave = 0.3 * np.sin(2 * np.pi * np.cumsum(per_sample) / RATE) * (per_sample > 0)
    est = extract(np.stack([wave, wave]).astype(np.float32))
    from engines.controls import melody_accuracy

    return melody_accuracy(target.pitch_classes(), est.pitch_classes())


def adherence_row(target: Controls, est: Controls) -> dict[str, float]:
    """Music ControlNet's four figures over the target's specified frames: where the target
    leaves frames free (half controls), estimated beats there are not counted either (those
    within the 70 ms window of a given frame are)."""
    given = np.isfinite(target.dynamics) | np.isfinite(target.pitch_classes())
    if not given.all():
        window = int(np.ceil(BEAT_WINDOW * CONTROL_FRAME_RATE))
        near = np.convolve(given.astype(float), np.ones(2 * window + 1), mode="same") > 0
        keep = lambda t: None if t is None else t[near[np.minimum((t * CONTROL_FRAME_RATE).astype(int), len(near) - 1)]]  # noqa: E731
        est = Controls.build(est.duration, melody=est.melody, melody_chroma=est.melody_chroma, dynamics=est.dynamics,
                             rhythm=est.rhythm, beats=keep(est.beats), downbeats=keep(est.downbeats))
    a = adherence(target, est)
    return {"melody_accuracy": a.melody_accuracy, "dynamics_correlation": a.dynamics_correlation,
            "beat_f1": a.beat_f1, "downbeat_f1": a.downbeat_f1}


def _chroma_hist(controls: Controls, frames: np.ndarray) -> np.ndarray:
    pcs = controls.pitch_classes()[: len(frames)][frames[: controls.n_frames]]
    pcs = pcs[np.isfinite(pcs)].astype(int)
    return np.bincount(pcs, minlength=12).astype(float)


def free_frames(given: Controls, target: Controls, est: Controls, project: object, src: Source) -> dict[str, float]:
    """Figures on the frames the controls left free: pitch-class histogram distance to the
    source there (and, for scale, between the source's given and free frames), notes in key,
    and beat F1 against the source's beats there."""
    from app.project import parse_key
    from engines.compose.keys import key_index, scale_mask
    from engines.compose.metrics import histogram_distance

    free = np.isnan(given.dynamics)
    times = np.arange(len(free)) / CONTROL_FRAME_RATE
    inside = lambda t: None if t is None else t[free[np.minimum((t * CONTROL_FRAME_RATE).astype(int), len(free) - 1)]]  # noqa: E731
    scale = scale_mask(key_index(*parse_key(project.key)))  # type: ignore[attr-defined]
    starts = [(project.tick_to_seconds(n.start), n.pitch) for t in project.midi_tracks()  # type: ignore[attr-defined]
              if not t.is_drum for n in t.notes]
    in_free = [scale[p] for s, p in starts if s < SECONDS and free[min(int(s * CONTROL_FRAME_RATE), len(free) - 1)]]
    return {"free_pc_distance": histogram_distance(_chroma_hist(est, free), _chroma_hist(target, free)),
            "real_pc_distance": histogram_distance(_chroma_hist(target, ~free), _chroma_hist(target, free)),
            "free_in_key": float(np.mean(in_free)) if in_free else float("nan"),
            "free_beat_f1": beat_f1(inside(target.beats), inside(est.beats)),
            "free_share": float(free[times < SECONDS].mean())}


PROMPTS = (
    "slow sad piano in D minor", "energetic, drums and bass, 128 bpm", "happy flute melody in G major at 120 bpm",
    "calm strings and piano in F major, sparse", "tense dark synth in F# minor, fast, busy",
    "bossa nova in A minor with guitar, 110 bpm", "waltz in E flat major with strings", "gentle, minor, strings and piano",
    "four on the floor in C minor, 124 bpm", "funky 16ths, electric piano and slap bass in E minor",
    "half-time groove in B minor, 76 bpm", "upbeat pop in D major, 118 bpm, busy", "melancholic cello in G minor, 66 bpm",
    "bright trumpet fanfare in B flat major, 132 bpm", "dreamy pad and harp in A major, slow",
    "rock, distorted guitar, E minor, 140 bpm", "jazzy shuffle in F major, 100 bpm, saxophone",
    "solo piano in C major, 3/4, 90 bpm", "sparse and quiet, clarinet, D minor, no drums",
    "busy organ in G major, 6/8, 120 bpm", "peaceful acoustic guitar in E major, 80 bpm",
    "angry, fast, low register, C# minor", "playful marimba in C major, 112 bpm, busy",
    "somber choir in F minor, very slow", "disco with strings in A minor, 120 bpm",
    "lullaby, music box, 6/8, G major", "hip hop, 90 bpm, electric piano, Bb minor",
    "triumphant brass in D major, 104 bpm", "country, acoustic guitar and fiddle-free, A major, 116 bpm",
    "latin, flute and guitar, E minor, busy", "oboe and strings, andante, C minor",
    "synth bass and lead synth, 126 bpm, F minor", "vibraphone, relaxed, Ab major, sparse",
    "driving, 16ths, D minor, 136 bpm, electric guitar", "tender violin in A minor, 3/4, sparse",
    "cheerful accordion waltz in F major", "dark, 70 bpm, cello and piano, E minor",
    "fast punk in G major with distorted guitar", "soft rhodes in D major, 84 bpm, no drums",
    "epic strings and french horn in C minor, 96 bpm, busy",
)
"""40 varied prompts for the attribute figures."""


def density_level(project: object) -> str:
    """"sparse", "medium" or "busy" by distinct onset positions (any track, 16th grid) per beat."""
    from engines.generate.timing import meter_beats

    sig = project.time_signature  # type: ignore[attr-defined]
    spb = meter_beats(sig.numerator, sig.denominator)[1]
    steps = {round(n.start / 120) for t in project.midi_tracks() for n in t.notes}  # type: ignore[attr-defined]
    beats = max(1.0, project.length_ticks / (120 * spb))  # type: ignore[attr-defined]
    per_beat = len(steps) / beats
    return ("sparse", "medium", "busy")[int(np.searchsorted(DENSITY_LEVELS, per_beat))]


def measured(project: object) -> dict[str, object]:
    """Key (0-23) of the notes, tempo as heard (madmom's beats on the rendering; quarter BPM,
    and in compound meters also read as dotted-quarter beats), programs, drums, density, meter."""
    from engines.compose.keys import find_key
    from engines.generate.timing import meter_beats

    hist = np.zeros(12)
    for t in project.midi_tracks():  # type: ignore[attr-defined]
        for n in t.notes if not t.is_drum else ():
            hist[n.pitch % 12] += n.duration
    sig = project.time_signature  # type: ignore[attr-defined]
    seconds = min(float(project.duration), 15.0)  # type: ignore[attr-defined]
    beats = extract(render(project, seconds)).beats
    tapped = 60.0 / float(np.median(np.diff(beats))) if beats is not None and len(beats) > 2 else 0.0
    # In a compound meter a listener taps dotted quarters or quarters: both readings count.
    dotted = meter_beats(sig.numerator, sig.denominator)[1] == 6
    tempos = (tapped, tapped * 1.5) if dotted else (tapped,)
    return {"key": find_key(hist), "tempo": tapped, "tempos": tempos, "score_tempo": float(project.tempo),  # type: ignore[attr-defined]
            "programs": {t.program for t in project.midi_tracks() if not t.is_drum and t.notes},  # type: ignore[attr-defined]
            "drums": any(t.is_drum and t.notes for t in project.midi_tracks()),  # type: ignore[attr-defined]
            "density": density_level(project), "meter": (sig.numerator, sig.denominator)}


def checks(reading: object, got: dict[str, object]) -> dict[str, bool]:
    """Each attribute the prompt asked for -> whether the output has it."""
    a = reading.attributes  # type: ignore[attr-defined]
    key = int(got["key"])  # type: ignore[call-overload]
    out: dict[str, bool] = {}
    if a.tonic is not None:
        out["key"] = key % 12 == a.tonic and (a.mode is None or ("major", "minor")[key // 12] == a.mode)
    if a.mode is not None:
        out["mode"] = ("major", "minor")[key // 12] == a.mode
    if a.tempo is not None:
        out["tempo"] = any(abs(t / a.tempo - 1.0) <= 0.05 for t in got["tempos"])  # type: ignore[attr-defined]
    for role, program in a.programs.items():
        out[f"instrument {program}"] = program in got["programs"]  # type: ignore[operator]
    if a.roles is not None:
        out["drums" if "drums" in a.roles else "no drums"] = bool(got["drums"]) == ("drums" in a.roles)
    if a.density is not None:
        out["density"] = got["density"] == a.density
    if a.meter is not None:
        out["meter"] = got["meter"] == a.meter
    return out


def attributes_section(generate: object) -> dict[str, object]:
    from app.generate import GenerateRequest
    from app.project import Project
    from engines.generate.prompt import read_prompt

    asked = hits = 0
    by_kind: dict[str, list[bool]] = {}
    print(f"\nattributes: {len(PROMPTS)} prompts", flush=True)
    for i, prompt in enumerate(PROMPTS):
        outcome = generate.run(Project(name="p"), GenerateRequest(prompt=prompt, seconds=12.0, seed=i))  # type: ignore[attr-defined]
        project = Project(name="p")
        outcome.commands[0].do(project)
        got = measured(project)
        result = checks(read_prompt(prompt), got)
        asked, hits = asked + len(result), hits + sum(result.values())
        for kind, ok in result.items():
            by_kind.setdefault(kind.split()[0], []).append(ok)
        missed = [k for k, ok in result.items() if not ok]
        print(f"  {prompt[:60]:60s} {sum(result.values())}/{len(result)}"
              + (f"  missed: {', '.join(missed)} (tempo heard {got['tempo']:.0f}, density {got['density']})"
                 if missed else ""), flush=True)
    share = hits / max(1, asked)
    kinds = {k: float(np.mean(v)) for k, v in by_kind.items()}
    print(f"  asked attributes present: {hits}/{asked} = {share:.3f} (target >= 0.95)")
    print("  by kind: " + ", ".join(f"{k} {v:.2f} (n={len(by_kind[k])})" for k, v in kinds.items()))
    return {"share": share, "asked": asked, "present": hits, "by_kind": kinds}


Part = list[tuple[float, float, int]]
"""A part as (start s, end s, pitch) notes."""


def part_figures(part: Part, others: list[Part], key: int, bar_s: float, seconds: float) -> dict[str, float]:
    """In-key share, chord-tone share (against the other pitched parts sounding at each onset),
    onsets per bar and pitch range (5th-95th percentile, semitones) of one part."""
    from engines.compose.keys import scale_mask
    from engines.compose.metrics import is_chord_tone

    if not part:
        return {}
    scale = scale_mask(key)
    tones = []
    for start, _, pitch in part:
        sounding = {p % 12 for o in others for s, e, p in o if s <= start + 0.02 < e}
        if sounding:
            tones.append(is_chord_tone(pitch % 12, sounding))
    pitches = np.array([p for _, _, p in part])
    onsets = len({round(s, 2) for s, _, _ in part})
    return {"in_key": float(np.mean(scale[pitches])), "chord_tone": float(np.mean(tones)) if tones else float("nan"),
            "onsets_per_bar": onsets / (seconds / bar_s),
            "range": float(np.percentile(pitches, 95) - np.percentile(pitches, 5))}


def _project_parts(project: object) -> dict[str, Part]:
    out: dict[str, Part] = {}
    for t in project.midi_tracks():  # type: ignore[attr-defined]
        if t.is_drum or str(t.role) not in ("melody", "harmony", "bass"):
            continue
        notes = [(float(project.tick_to_seconds(n.start)), float(project.tick_to_seconds(n.end)), n.pitch)  # type: ignore[attr-defined]
                 for n in t.notes]
        out.setdefault(str(t.role), []).extend(x for x in notes if x[0] < SECONDS)
    return out


def musicality_section(generate: object, srcs: list[Source]) -> dict[str, object]:
    """Generated parts (from the full controls) beside the source's real parts, pooled."""
    from app.project import parse_key
    from engines.compose.keys import key_index

    pooled: dict[tuple[str, str], list[dict[str, float]]] = {}
    for i, src in enumerate(srcs):
        project = GENERATED.get(src.name) or generated(generate, extract(src.audio), seed=i)
        gen_key = key_index(*parse_key(project.key))  # type: ignore[attr-defined, misc]
        bar_s = float(project.tick_to_seconds(project.ticks_per_bar))  # type: ignore[attr-defined]
        real = {r: [(n.start, n.end, n.pitch) for n in src.notes.get(r, [])] for r in ("melody", "harmony", "bass")}
        gen = _project_parts(project)
        src_bar = src.bar_s or bar_s
        for which, parts, key, bar in (("real", real, src.key, src_bar), ("generated", gen, gen_key, bar_s)):
            for role, part in parts.items():
                others = [p for r, p in parts.items() if r != role]
                figures = part_figures(part, others, key, bar, SECONDS)
                if figures:
                    pooled.setdefault((role, which), []).append(figures)
    print("\nmusicality (pooled over pieces): real -> generated")
    out: dict[str, object] = {}
    for role in ("melody", "harmony", "bass"):
        row = {}
        for name in ("in_key", "chord_tone", "onsets_per_bar", "range"):
            real_v = float(np.nanmean([f[name] for f in pooled.get((role, "real"), [])] or [np.nan]))
            gen_v = float(np.nanmean([f[name] for f in pooled.get((role, "generated"), [])] or [np.nan]))
            row[name] = (real_v, gen_v)
        out[role] = row
        print(f"  {role:8s} " + "  ".join(f"{k} {a:.2f} -> {b:.2f}" for k, (a, b) in row.items()))
    return out


def _cli(args: list[str]) -> float:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=ROOT, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(run.stderr.strip().splitlines()[-1])
    return time.perf_counter() - start


def _tiled(controls: Controls, seconds: float) -> Controls:
    """The controls repeated to cover ``seconds`` (beats shifted by the original duration)."""
    reps = int(np.ceil(seconds / controls.duration))
    n = int(np.ceil(seconds * CONTROL_FRAME_RATE))
    tile = lambda a: np.tile(np.asarray(a), reps)[:n]  # noqa: E731
    times = lambda t: None if t is None else np.concatenate([t + k * controls.duration for k in range(reps)])  # noqa: E731
    cut = lambda t: None if t is None else t[t < seconds]  # noqa: E731
    return Controls.build(seconds, melody=tile(controls.melody), melody_chroma=tile(controls.melody_chroma),
                          dynamics=tile(controls.dynamics), rhythm=tile(controls.rhythm),
                          beats=cut(times(controls.beats)), downbeats=cut(times(controls.downbeats)))


def speed_section(generate: object, srcs: list[Source], repeat: int = 3) -> dict[str, float]:
    """The two commands with start-up, and 30 s generated and rendered in one warm process."""
    from app.controls_io import write_controls

    controls = extract(srcs[0].audio)
    with tempfile.TemporaryDirectory() as tmp:
        c, out, wav = Path(tmp) / "c.json", Path(tmp) / "g.partita", Path(tmp) / "mix.wav"
        write_controls(controls, c)
        runs = []
        for _ in range(repeat):
            g = _cli(["generate", "-o", str(out), "--controls", str(c), "--seconds", "20"])
            r = _cli(["render", str(out), "-o", str(wav)])
            runs.append((g, r))
    gen_s, render_s = (float(np.median(x)) for x in zip(*runs))
    long = _tiled(controls, 30.0)
    engine = []
    for k in range(repeat):
        start = time.perf_counter()
        project = generated(generate, long, seed=k)
        render(project, 30.0)
        engine.append(time.perf_counter() - start)
    result = {"cli_generate_s": gen_s, "cli_render_s": render_s, "cli_total_s": gen_s + render_s,
              "engine_30s_s": float(np.median(engine))}
    import os

    print(f"\nspeed (median of {repeat}; load {os.getloadavg()[0]:.2f}): `partita generate` 20 s {gen_s:.2f} s + "
          f"`partita render` {render_s:.2f} s = {gen_s + render_s:.2f} s with start-up (target < 10 s); "
          f"30 s of 4 tracks generated and rendered in {result['engine_30s_s']:.2f} s of engine time (target < 3 s)")
    return result


STYLE_PROMPTS = {"straight8": "straight 8ths", "sixteenths": "16ths", "halftime": "half-time",
                 "four_on_floor": "four on the floor", "shuffle": "shuffle", "waltz": "waltz",
                 "six_eight": "6/8", "bossa": "bossa nova"}
"""A prompt per groove; waltz and 6/8 take sources in 3/4 and 6/8, the rest in 4/4."""


def drums_section(generate: object, srcs: list[Source], per_style: int = 3) -> dict[str, dict[str, float]]:
    """Beat and downbeat F1 per groove, with the rule drums and with the composer's drums."""
    from dataclasses import replace

    from engines.generate.attributes import DRUM_STYLES
    from engines.generate.pipeline import _composer_takes

    engines = ["rules"] + (["composer"] if _composer_takes("onset_lock") else [])
    config = generate.generator.config  # type: ignore[attr-defined]
    out: dict[str, dict[str, float]] = {}
    print("\ndrums: beat / downbeat F1 per groove" + ("" if len(engines) > 1 else " (this composer writes no drums)"))
    targets = {src.name: extract(src.audio) for src in srcs}
    for style in DRUM_STYLES:
        meter = {"waltz": (3, 4), "six_eight": (6, 8)}.get(style, (4, 4))
        chosen = [s for s in srcs if s.meter == meter][:per_style]
        row: dict[str, float] = {}
        for engine in engines:
            generate.generator.config = replace(config, composer_drums=frozenset(DRUM_STYLES) if engine == "composer"  # type: ignore[attr-defined]
                                                else frozenset())
            scores = [adherence_row(targets[s.name], extract(render(generated(generate, targets[s.name], seed=i,
                                                                               prompt=STYLE_PROMPTS[style]))))
                      for i, s in enumerate(chosen)]
            row[f"{engine} beat"] = float(np.mean([r["beat_f1"] for r in scores])) if scores else float("nan")
            row[f"{engine} downbeat"] = float(np.mean([r["downbeat_f1"] for r in scores])) if scores else float("nan")
        generate.generator.config = config  # type: ignore[attr-defined]
        out[style] = row
        print(f"  {style:14s} ({len(chosen)} pieces) " + "  ".join(f"{k} {v:.3f}" for k, v in row.items()), flush=True)
    return out
