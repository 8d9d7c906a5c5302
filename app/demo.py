"""The demo project: eight bars in A minor with lead, keys, bass, drums, a stem and drawn curves.

``python -m app.demo OUT.partita`` writes it; the shipped copy is
``resources/demo/demo.partita``. The curves are only partly drawn, as a musician
would leave them: the model fills the unspecified spans. The drums stop after
bar 6 (``DRUM_BARS``): infill the Drums over bars 7-8 to hear the composer
carry the groove on (``partita infill demo.partita --tracks Drums --bars 7-8``).
"""
from __future__ import annotations

import sys

import numpy as np

from app.project import PPQ, AudioTrack, MidiTrack, Note, Project, Role, TempoChange
from engines.common import CONTROL_FRAME_RATE

BAR = PPQ * 4
DRUM_BARS = 6
"""Bars the demo's drums play; the rest is left for a drum infill."""
E8, Q, H = PPQ // 2, PPQ, PPQ * 2
# i - VI - III - VII in A minor, twice: (root, chord tones as MIDI pitches)
PROGRESSION = [(45, (57, 60, 64)), (41, (57, 60, 65)), (48, (55, 60, 64)), (43, (55, 59, 62))] * 2
MELODY = [  # (bar, beat offset in eighths, pitch, length in eighths)
    (0, 0, 76, 3), (0, 3, 74, 1), (0, 4, 72, 2), (0, 6, 71, 2),
    (1, 0, 72, 4), (1, 4, 69, 2), (1, 6, 72, 2),
    (2, 0, 76, 2), (2, 2, 79, 2), (2, 4, 77, 2), (2, 6, 76, 2),
    (3, 0, 74, 6), (3, 6, 71, 2),
    (4, 0, 72, 3), (4, 3, 74, 1), (4, 4, 76, 2), (4, 6, 81, 2),
    (5, 0, 79, 2), (5, 2, 77, 2), (5, 4, 76, 4),
    (6, 0, 76, 2), (6, 2, 74, 2), (6, 4, 72, 2), (6, 6, 74, 2),
    (7, 0, 71, 4), (7, 4, 69, 4),
]


def build_demo() -> Project:
    project = Project(name="Demo — A minor sketch", tempo_map=[TempoChange(0, 96.0)],
                      key="A:minor", length_bars=8)
    project.tracks += [_lead(), _keys(), _bass(), _drums()]
    project.tracks.append(_pad_stem(project))
    _draw_curves(project)
    return project


def _pad_stem(project: Project) -> AudioTrack:
    """An arpeggiated guitar stem as audio (as if dropped in from a DAW), rendered by our synth."""
    from engines.common import Note as SecondsNote
    from engines.render import Part, render_part

    notes = []
    for bar, (_root, chord) in enumerate(PROGRESSION):
        pattern = [chord[0], chord[1], chord[2], chord[1] + 12] * 2
        for i, pitch in enumerate(pattern):
            start = float(project.tick_to_seconds(bar * BAR + i * E8))
            notes.append(SecondsNote(pitch, start, 0.6, 100 if i % 4 == 0 else 78))
    audio = render_part(Part(tuple(notes), program=25, gain_db=3.0, pan=-0.3),
                        sample_rate=project.sample_rate).audio
    audio = audio[:, : int(project.duration * project.sample_rate)]
    pcm16 = np.round(np.clip(audio, -1, 32767 / 32768) * 32768) / 32768  # stored as 16-bit FLAC
    return AudioTrack("Guitar (audio)", pcm16.astype(np.float32), role=Role.HARMONY,
                      source="guitar.wav", color="#9b59b6")


def _lead() -> MidiTrack:
    notes = [Note(p, bar * BAR + e * E8, n * E8 - 20, 88 + (8 if e == 0 else 0))
             for bar, e, p, n in MELODY]
    return MidiTrack("Lead", notes, role=Role.MELODY, program=73, pan=0.1, color="#f5a623")


def _keys() -> MidiTrack:
    notes = []
    for bar, (_root, chord) in enumerate(PROGRESSION):
        for beat in (0, 2):
            for i, p in enumerate(chord):
                notes.append(Note(p, bar * BAR + beat * Q, H - 30, 70 - 4 * i + (6 if beat == 0 else 0)))
    return MidiTrack("Keys", notes, role=Role.HARMONY, program=4, pan=-0.25, color="#4a90e2")


def _bass() -> MidiTrack:
    notes = []
    for bar, (root, _chord) in enumerate(PROGRESSION):
        start = bar * BAR
        pattern = [(0, root, 3), (3, root, 1), (4, root + 12, 2), (6, root + 7, 2)]
        notes += [Note(p - 12 if p > 52 else p, start + e * E8, n * E8 - 15, 96 if e == 0 else 84)
                  for e, p, n in pattern]
    return MidiTrack("Bass", notes, role=Role.BASS, program=33, color="#7ed321")


def _drums() -> MidiTrack:
    kick, snare, hat, open_hat, crash = 36, 38, 42, 46, 49
    notes = []
    for bar in range(DRUM_BARS):
        start = bar * BAR
        notes += [Note(kick, start + t, 60, 110) for t in (0, 3 * E8, 4 * E8 + E8 * 1)]
        notes += [Note(snare, start + t, 60, 100) for t in (Q, 3 * Q)]
        notes += [Note(hat, start + i * E8, 40, 70 + (14 if i % 2 == 0 else 0)) for i in range(7)]
        notes.append(Note(open_hat, start + 7 * E8, 60, 80))
        if bar in (0, 4):
            notes.append(Note(crash, start, 240, 100))
    return MidiTrack("Drums", notes, role=Role.DRUMS, is_drum=True, color="#d0021b")


def _draw_curves(project: Project) -> None:
    n = project.n_frames
    t = np.arange(n) / CONTROL_FRAME_RATE
    bar_s = project.tick_to_seconds(BAR)
    dynamics = np.full(n, np.nan, dtype=np.float32)
    swell = t < 4 * bar_s  # a crescendo over the first four bars, the rest left open
    dynamics[swell] = (-18 + 16 * t[swell] / (4 * bar_s)).astype(np.float32)
    melody = np.full(n, np.nan, dtype=np.float32)
    for bar, e, p, length in MELODY:
        if bar >= 6:  # the closing phrase is drawn; the rest is the model's
            start = bar * BAR + e * E8
            s, end = project.tick_to_seconds(start), project.tick_to_seconds(start + length * E8)
            melody[int(s * CONTROL_FRAME_RATE): int(end * CONTROL_FRAME_RATE)] = p
    rhythm = np.full(n, np.nan, dtype=np.float32)
    busy = (t >= 2 * bar_s) & (t < 6 * bar_s)
    rhythm[busy] = (4 + 2 * np.sin(np.pi * (t[busy] - 2 * bar_s) / (4 * bar_s))).astype(np.float32)
    project.curves.update(dynamics=dynamics, melody=melody, rhythm=rhythm)


def main(argv: list[str]) -> int:
    from app.projectfile import save_project

    out = argv[0] if argv else "resources/demo/demo.partita"
    save_project(build_demo(), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
