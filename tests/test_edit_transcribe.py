"""Transcription by instruction end to end: a bass line recorded as audio becomes a MIDI track
that plays what was played, one undo takes it back; on a song that is one mix the bass is
separated first (its stem kept, muted) and then transcribed."""
from __future__ import annotations

from app.commands import UndoStack
from app.edit import EditSettings, plan_command, plan_instruction
from app.mixdown import render_project
from app.project import AudioTrack, MidiTrack, Note, Project, Role
from app.projectfile import load_project
from engines.instruct import Plan

from tests.test_edit import DEMO, state

SIXTEENTH = 120
"""Ticks of a 16th note in the demo (480 per beat): how far a transcribed start may be from the played one."""


def played_as_audio(project: Project, names: list[str], audio_name: str, role: Role) -> list[Note]:
    """Replace the MIDI tracks ``names`` of ``project`` by one audio track, their rendering (the
    built-in synth); returns the notes of the first, as they were played."""
    parts = [project.track_named(n) for n in names]
    solo = project.snapshot()
    solo.tracks = [t for t in solo.tracks if t.name in names]
    rendered = render_project(solo, sample_rate=project.sample_rate, sound_font=None)
    audio = AudioTrack(audio_name, rendered.mix, role=role)
    index = project.tracks.index(parts[0])
    project.tracks = [t for t in project.tracks if t.name not in names]
    project.tracks.insert(index, audio)
    assert isinstance(parts[0], MidiTrack)
    return list(parts[0].notes)


def matched(played: list[Note], heard: list[Note]) -> float:
    """The share of ``played`` notes with a ``heard`` note of the same pitch starting within a 16th."""
    hits = sum(any(h.pitch == p.pitch and abs(h.start - p.start) <= SIXTEENTH for h in heard) for p in played)
    return hits / len(played)


def edit(project: Project, text: str) -> UndoStack:
    plan = plan_instruction(project, text)
    assert isinstance(plan, Plan), plan.message
    stack = UndoStack(project)
    stack.push(plan_command(project, plan, settings=EditSettings(seed=1, device="cpu")))
    return stack


def test_transcribe_the_bass_to_midi():
    demo = load_project(DEMO)
    played = played_as_audio(demo, ["Bass"], "Bass", Role.BASS)
    before = state(demo)
    plan = plan_instruction(demo, "transcribe the bass to MIDI")
    assert isinstance(plan, Plan) and [s.op for s in plan.steps] == ["transcribe"]
    stack = edit(demo, "transcribe the bass to MIDI")
    assert [t.name for t in demo.tracks] == ["Lead", "Keys", "Bass", "Bass MIDI", "Drums", "Guitar (audio)"]
    new = demo.track_named("Bass MIDI")
    assert isinstance(new, MidiTrack) and new.role == Role.BASS and not new.is_drum
    assert matched(played, new.notes) >= 0.8, "the MIDI plays the line that was played (32 of 32 when written)"
    assert len(new.notes) <= 1.25 * len(played)
    after = state(demo)
    assert [t for t in after["tracks"] if t["name"] != "Bass MIDI"] == before["tracks"]
    assert {k: v for k, v in after.items() if k != "tracks"} == {k: v for k, v in before.items() if k != "tracks"}
    stack.undo()
    assert state(demo) == before


def test_transcribe_the_bass_of_a_mix_separates_it_first():
    demo = load_project(DEMO)
    played = played_as_audio(demo, ["Bass", "Lead", "Keys", "Drums", "Guitar (audio)"], "Song", Role.OTHER)
    before = state(demo)
    stack = edit(demo, "transcribe the bass to MIDI")
    assert [t.name for t in demo.tracks] == ["Song", "Song bass", "Song bass MIDI"]
    stem, new = demo.track_named("Song bass"), demo.track_named("Song bass MIDI")
    assert stem.muted and not demo.track_named("Song").muted, "the stem is kept, muted; the song plays on"
    assert isinstance(new, MidiTrack) and new.role == Role.BASS
    assert matched(played, new.notes) >= 0.5, "the bass line, heard through the band (23 of 32 notes when written)"
    stack.undo()
    assert state(demo) == before
