"""Catalogue entries for editing by instruction: the ``edit`` command itself and the plain
edits the planner needs beyond the basics (levels, mode, feel, clearing bars, instrument,
pan, length). Each plain edit also gets ``partita apply NAME`` and a menu dialog from the
catalogue; see ``app.catalogue`` for the rules."""
from __future__ import annotations

from app.catalogue import Operation, Param
from app.devices import DEVICES
from app.edit_levels import SHAPES
from app.edit_notes import FEELS, MODES

APPLY = "apply {}"
TRACKS = Param("tracks", "tracks", "the tracks, by name, comma-separated", required=True)
TRACK = Param("track", "track", "the track, by name", required=True)
BARS = Param("bars", "bars", "bars A-B, 1-based and inclusive (default: all bars)")
CHANGE_DB = Param("change_db", "float", "dB: positive is louder, negative softer (for a crescendo or "
                  "diminuendo: how far it rises or falls)", required=True, range=(-60.0, 60.0))
SHAPE = Param("shape", "choice", "level: the same change throughout; crescendo: rising to the span's "
              "level; diminuendo: falling from it", default="level", choices=SHAPES)
ALL = ("notes", "tracks", "audio", "curves", "song")

EDIT = Operation(
    "edit", "Edit by instruction", "carry out a plain-English instruction as one undoable edit", (
        Param("project", "file", "the .partita project (or a MIDI or audio file) to read", required=True,
              positional=True),
        Param("instruction", "text", "what to do, in plain English", required=True, positional=True),
        Param("output", "file", "where to write the result (not needed with --dry-run)"),
        Param("dry_run", "bool", "print the plan and write nothing", default=False),
        Param("seed", "int", "random seed for the engines", default=0, range=(0, 2**31 - 1)),
        Param("device", "choice", "where models run: auto = the GPU when torch sees one", default="auto",
              choices=DEVICES)),
    ALL, ALL, cli="edit", menu="Edit/Command bar…")

LEVELS = (
    Operation("dynamics", "Louder or softer", "the dynamics curve over bars: louder, softer, a crescendo or "
              "a diminuendo (the rendered audio follows it)", (CHANGE_DB, SHAPE, BARS), ("curves", "song"),
              ("curves",), cli=APPLY.format("dynamics"), menu="Edit/Louder or softer…",
              build="app.edit_levels:dynamics"),
    Operation("velocity", "Velocity", "note velocities of tracks over bars, louder or softer as heard", (
        TRACKS, CHANGE_DB, SHAPE, BARS), ("notes",), ("notes",), cli=APPLY.format("velocity"),
        menu="Edit/Velocity…", build="app.edit_levels:velocity"),
    Operation("change_gain", "Track gain", "a track's gain up or down", (TRACK, Param(
        "change_db", "float", "dB up (positive) or down", required=True, range=(-60.0, 60.0))),
        ("tracks",), ("tracks",), cli=APPLY.format("gain"), menu="Track/Change gain…",
        build="app.edit_levels:change_gain"),
)

NOTES = (
    Operation("set_mode", "Mode", "major to minor or back, in place: the scale's 3rd and 6th move (and the "
              "7th going to major)", (Param("mode", "choice", "the mode to go to", required=True, choices=MODES),
                                      TRACKS, BARS), ("notes", "song"), ("notes", "song"),
              cli=APPLY.format("mode"), menu="Edit/Mode…", build="app.edit_notes:set_mode"),
    Operation("feel", "Half or double time", "half-time spreads the bars' notes to twice the time; "
              "double-time squeezes them into half and repeats them", (
                  Param("feel", "choice", "half or double", required=True, choices=FEELS), TRACKS, BARS),
              ("notes", "song"), ("notes",), cli=APPLY.format("feel"), menu="Edit/Half or double time…",
              build="app.edit_notes:feel"),
    Operation("clear_notes", "Clear bars", "delete the notes of tracks that start in bars", (
        TRACKS, Param("bars", "bars", "bars A-B, 1-based and inclusive", required=True)), ("notes",),
        ("notes",), cli=APPLY.format("clear"), menu="Edit/Clear bars…", build="app.edit_notes:clear_notes"),
    Operation("set_instrument", "Instrument", "play a pitched track on another General MIDI instrument", (
        TRACK, Param("program", "int", "General MIDI program, 0-127", required=True, range=(0, 127))),
        ("tracks",), ("tracks",), cli=APPLY.format("instrument"), menu="Track/Instrument…",
        build="app.edit_notes:set_instrument"),
    Operation("set_pan", "Pan", "a track's place between the speakers", (TRACK, Param(
        "pan", "float", "-1 left, 0 centre, 1 right", required=True, range=(-1.0, 1.0))), ("tracks",),
        ("tracks",), cli=APPLY.format("pan"), menu="Track/Pan…", build="app.edit_notes:set_pan"),
    Operation("set_length", "Song length", "the song's length in bars (shorter: notes after the end go)", (
        Param("bars", "int", "length in bars", required=True, range=(1, 10000)),), ("song", "notes"),
        ("song", "notes"), cli=APPLY.format("length"), menu="Edit/Song length…",
        build="app.edit_notes:set_length"),
    Operation("copy_controls", "Copy controls", "the melody, dynamics or rhythm of a track or a file into "
              "the curve lanes", (
                  Param("track", "track", "the track to read"), Param("file", "file", "or a file to read"),
                  Param("curves", "text", "which curves, comma-separated", default="melody,dynamics,rhythm")),
              ("notes", "audio", "file"), ("curves",), cli=None, menu="Engines/Extract controls from…",
              engine="controls", why_not="on the command line `partita controls` writes a controls file, "
              "and `partita edit PROJECT \"copy the dynamics of the guitar\"` copies into a project"),
)

INSTRUCT: tuple[Operation, ...] = (EDIT,) + LEVELS + NOTES
"""Everything this module adds to the catalogue."""
