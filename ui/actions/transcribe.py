"""Transcribe to MIDI: an audio track becomes a new MIDI track beside it, its notes in the piano roll.

Two ways in: "Transcribe to MIDI" in an audio track's context menu (the kind
of part is chosen from the track's name when it names one, such as a separated
"drums" or "bass" stem, else from the audio; the undo label says which), and Engines ▸
"Transcribe to MIDI…" (asks for the audio track, the selected one first, and
what it holds: chosen for you, or melody, bass, drums, chords). The
work runs as a job in a worker process (progress per window of audio, cancel
between them) on a snapshot; its result is one command that adds the MIDI
track right under the audio track and selects it, so its notes show in the
piano roll. One Ctrl+Z takes it away. Snapping to a grid is Edit ▸ Quantise
afterwards: notes keep the timing they were played with.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from app.commands import AddTrack, Compound
from app.jobs import Job
from app.project import AudioTrack, Track
from app.workers import InWorker

if TYPE_CHECKING:
    from ui.main_window import MainWindow

TITLE = "Transcribe to MIDI"
KIND_LABELS = {"Choose from the audio": None, "Melody (one note at a time)": "melody", "Bass line": "bass",
               "Drums": "drums", "Chords and several lines (poly)": "poly"}


def install(window: "MainWindow") -> None:
    window.add_engine_action(f"{TITLE}…", lambda: start(window),
                             tip="Write the notes of an audio track into a new MIDI track beside it "
                                 "(melody, bass, drums or chords; one undo step)")
    window.track_list.add_menu_entry(TITLE, lambda t: isinstance(t, AudioTrack),
                                     lambda track_id: start(window, track_id=track_id, kind=None))


def track_label(track: Track) -> str:
    return f"Track: {track.name}"


def ask(window: "MainWindow") -> tuple[str, str | None] | None:
    """(audio track id, kind or None) chosen in two short dialogs; None when cancelled."""
    tracks = window.project.audio_tracks()
    if not tracks:
        window.show_error(f"{TITLE}: the project has no audio track; drop an audio file in first")
        return None
    labels = [track_label(t) for t in tracks]
    selected = window.model.selected_track()
    current = tracks.index(selected) if selected in tracks else 0
    label, ok = QInputDialog.getItem(window, TITLE, "Transcribe the audio track:", labels, current, False)
    if not ok:
        return None
    kind_label, ok = QInputDialog.getItem(window, TITLE, "It holds:", list(KIND_LABELS), 0, False)
    if not ok:
        return None
    return tracks[labels.index(label)].id, KIND_LABELS[kind_label]


def start(window: "MainWindow", *, track_id: str | None = None, kind: str | None = None) -> Job | None:
    """Transcribe ``track_id`` as ``kind`` (None: chosen from its name or the audio), or ask for both."""
    if track_id is None:
        chosen = ask(window)
        if chosen is None:
            return None
        track_id, kind = chosen
    from app.transcribe import job_snapshot

    project = job_snapshot(window.project, track_id)
    work = InWorker("app.transcribe:transcribe_work", project=project, track_id=track_id, kind=kind,
                    device=window.settings.device)

    def apply(command: object) -> None:
        """Push the result and select the new track, so the piano roll shows its notes."""
        if isinstance(command, Compound) and window.model.push(command):
            for step in command.commands:
                if isinstance(step, AddTrack):
                    window.model.select_track(step.track.id)
            window.show_message(f"{command.label}: done (Ctrl+Z undoes it)")

    return window.run_job(Job(f"Transcribe {project.track(track_id).name}", work), apply)
