"""Partita's application core: project model, edit commands, jobs, file formats, CLI.

No Qt here, and nothing heavy at import time: torch is imported only where an
engine runs.
"""
from app.project import (  # noqa: F401
    PPQ,
    AudioTrack,
    MidiTrack,
    Note,
    Project,
    Role,
    TempoChange,
    TimeSignature,
    Track,
)
