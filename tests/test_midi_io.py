"""MIDI in and out: round trips, odd files, role inference, expression as CC11."""
from __future__ import annotations

import struct

import mido
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InputError
from app.importing import project_from_file
from app.midi_io import normalize_notes, read_midi, write_midi
from app.project import MidiTrack, Note, Project, Role, TempoChange, TimeSignature


def smf(tracks: list[bytes], *, fmt: int = 1, division: int = 480) -> bytes:
    """Raw Standard MIDI File bytes from raw track event bytes."""
    out = b"MThd" + struct.pack(">IHHh", 6, fmt, len(tracks), division)
    for events in tracks:
        events += b"\x00\xff\x2f\x00"
        out += b"MTrk" + struct.pack(">I", len(events)) + events
    return out


def notes_of(path, index=0):
    return sorted((n.pitch, n.start, n.duration, n.velocity) for n in read_midi(path).tracks[index].notes)


def test_running_status_is_read(tmp_path):
    # note-on C4, then running status: C4 off (vel 0), E4 on, E4 off
    events = b"\x00\x90\x3c\x64" + b"\x83\x60\x3c\x00" + b"\x00\x40\x50" + b"\x83\x60\x40\x00"
    (tmp_path / "rs.mid").write_bytes(smf([events]))
    assert notes_of(tmp_path / "rs.mid") == [(60, 0, 480, 100), (64, 480, 480, 80)]


def test_zero_length_overlapping_and_stray_notes(tmp_path):
    events = (b"\x00\x80\x30\x40"          # note-off without a note-on: ignored
              b"\x00\x90\x3c\x64"          # C4 on at 0
              b"\x00\x80\x3e\x00"          # another stray off
              b"\x00\x90\x43\x50\x00\x80\x43\x00"  # zero-length G4 at 0
              b"\x81\x70\x90\x3c\x46"      # C4 on again at 240 while the first still sounds
              b"\x81\x70\x80\x3c\x00"      # off at 480
              b"\x83\x60\x80\x3c\x00")     # off at 960
    (tmp_path / "odd.mid").write_bytes(smf([events]))
    notes = notes_of(tmp_path / "odd.mid")
    assert (67, 0, 1, 80) in notes  # zero-length note kept, one tick long
    assert (60, 0, 240, 100) in notes  # cut where the same pitch starts again
    assert [n for n in notes if n[0] == 60][1][1] == 240


def test_smpte_division_is_mapped_to_seconds(tmp_path):
    division = -(25 << 8) | 40  # 25 fps x 40 ticks = 1000 ticks per second
    events = b"\x00\x90\x3c\x64" + b"\x87\x68\x80\x3c\x00"  # 1000 ticks = one second
    (tmp_path / "smpte.mid").write_bytes(smf([events], division=division))
    project = project_from_file(tmp_path / "smpte.mid")
    note = project.tracks[0].notes[0]
    assert project.tick_to_seconds(note.duration) == pytest.approx(1.0, abs=0.01)


def test_type_2_is_refused_clearly(tmp_path):
    (tmp_path / "t2.mid").write_bytes(smf([b"\x00\x90\x3c\x64\x60\x80\x3c\x00"], fmt=2))
    with pytest.raises(InputError, match="type-2"):
        read_midi(tmp_path / "t2.mid")


def test_type_0_is_split_by_channel_with_roles(tmp_path):
    mf = mido.MidiFile(type=0, ticks_per_beat=96)
    track = mido.MidiTrack()
    mf.tracks.append(track)
    track.append(mido.Message("program_change", channel=1, program=33))
    track.append(mido.Message("program_change", channel=2, program=0))
    for beat in range(8):
        track.append(mido.Message("note_on", channel=0, note=72 + beat % 3, velocity=90, time=0))
        track.append(mido.Message("note_on", channel=1, note=36, velocity=100))
        track.append(mido.Message("note_on", channel=9, note=42, velocity=70))
        for p in (60, 64, 67):
            track.append(mido.Message("note_on", channel=2, note=p, velocity=60))
        track.append(mido.Message("note_off", channel=0, note=72 + beat % 3, time=96))
        track.append(mido.Message("note_off", channel=1, note=36))
        track.append(mido.Message("note_off", channel=9, note=42))
        for p in (60, 64, 67):
            track.append(mido.Message("note_off", channel=2, note=p))
    mf.save(tmp_path / "t0.mid")
    content = read_midi(tmp_path / "t0.mid")
    got = sorted((t.name, t.role, t.program, t.is_drum, len(t.notes)) for t in content.tracks)
    assert got == sorted([("Acoustic Grand Piano", Role.MELODY, 0, False, 8),
                          ("Fingered Bass", Role.BASS, 33, False, 8),
                          ("Acoustic Grand Piano", Role.HARMONY, 0, False, 24),
                          ("Drums", Role.DRUMS, 0, True, 8)])


def test_export_writes_tempo_meter_names_programs_drums_and_velocities(tmp_path):
    project = Project(tempo_map=[TempoChange(0, 90.0), TempoChange(1920, 140.0)],
                      time_signature=TimeSignature(6, 8), key="G:minor")
    project.tracks += [MidiTrack("Lead", [Note(70, 0, 240, 33)], program=40),
                       MidiTrack("音轨 Ünïcode", [Note(60, 0, 240, 33)]),
                       MidiTrack("Beat", [Note(36, 0, 60, 127)], is_drum=True)]
    write_midi(project, tmp_path / "out.mid")
    mf = mido.MidiFile(tmp_path / "out.mid")
    conductor = [m for m in mf.tracks[0] if m.is_meta]
    assert [round(mido.tempo2bpm(m.tempo)) for m in conductor if m.type == "set_tempo"] == [90, 140]
    assert [(m.numerator, m.denominator) for m in conductor if m.type == "time_signature"] == [(6, 8)]
    assert [m.key for m in conductor if m.type == "key_signature"] == ["Gm"]
    lead, beat = mf.tracks[1], mf.tracks[3]
    assert [t.name for t in read_midi(tmp_path / "out.mid").tracks][1] == "音轨 Ünïcode"
    assert lead[0].name == "Lead" and any(m.type == "program_change" and m.program == 40 for m in lead)
    assert {m.channel for m in beat if m.type == "note_on"} == {9}
    assert [m.velocity for m in lead if m.type == "note_on" and m.velocity] == [33]


def test_dynamics_curve_round_trips_as_cc11(tmp_path):
    project = Project(length_bars=2)
    project.tracks.append(MidiTrack("Pad", [Note(60, 0, 3840, 80)]))
    curve = np.full(project.n_frames, np.nan, np.float32)
    curve[100:300] = np.linspace(-20, 0, 200)
    project.curves["dynamics"] = curve
    write_midi(project, tmp_path / "expr.mid")
    back = project_from_file(tmp_path / "expr.mid").curve("dynamics")
    span = slice(110, 290)
    assert np.all(np.isnan(back[:95]))
    assert np.nanmax(np.abs(back[span] - curve[span])) < 1.0


track_notes = st.lists(st.builds(Note, pitch=st.integers(0, 127), start=st.integers(0, 20000),
                                 duration=st.integers(1, 4000), velocity=st.integers(1, 127)),
                       min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(tracks=st.lists(st.tuples(track_notes, st.integers(0, 127), st.booleans()), min_size=1, max_size=5),
       bpm=st.floats(30, 250), midi_type=st.sampled_from([0, 1]))
def test_export_then_import_gives_the_same_notes(tmp_path_factory, tracks, bpm, midi_type):
    path = tmp_path_factory.mktemp("rt") / "rt.mid"
    project = Project(tempo_map=[TempoChange(0, bpm)])
    drums = 0
    for i, (notes, program, drum) in enumerate(tracks):
        drum = drum and drums == 0  # one drum channel
        drums += drum
        project.tracks.append(MidiTrack(f"T{i}", notes, program=program, is_drum=drum))
    write_midi(project, path, midi_type=midi_type)
    content = read_midi(path)
    expected = sorted(sorted((n.pitch, n.start, n.duration, n.velocity) for n in normalize_notes(t.notes))
                      for t in project.tracks)
    got = sorted(sorted((n.pitch, n.start, n.duration, n.velocity) for n in t.notes) for t in content.tracks)
    assert got == expected
    assert content.tempo_map[0].bpm == pytest.approx(bpm, rel=1e-4)
    again = tmp_path_factory.mktemp("rt2") / "again.mid"
    project2 = Project(tempo_map=content.tempo_map, tracks=list(content.tracks))
    write_midi(project2, again, midi_type=midi_type)
    assert sorted(sorted(n.pitch for n in t.notes) for t in read_midi(again).tracks) == \
        sorted(sorted(n.pitch for n in t.notes) for t in content.tracks)
