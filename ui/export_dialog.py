"""The export dialog: MIDI, a mix WAV and stems, with sample rate and bit depth.

The dialog only gathers an ``ExportRequest``; the window runs ``export_files``
as a job, so a long render never freezes the GUI and can be cancelled.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from app.errors import PartitaError
from app.exporting import export_audio
from app.midi_io import write_midi
from app.project import Project
from app.settings import Settings
from engines.common import CancelToken, Progress
from ui import theme
from ui.dnd import safe_file_name

SAMPLE_RATES = (44100, 48000)
BIT_DEPTHS = ("16", "24", "32f")
BIT_DEPTH_LABELS = {"16": "16-bit (dithered)", "24": "24-bit", "32f": "32-bit float"}


@dataclass(frozen=True)
class ExportRequest:
    """What to write; a None path skips that output. ``bit_depth``: "16", "24" or "32f"."""

    midi_path: Path | None = None
    wav_path: Path | None = None
    stems_dir: Path | None = None
    sample_rate: int = 44100
    bit_depth: str = "24"


def export_files(project: Project, request: ExportRequest, progress: Progress,
                 cancel: CancelToken) -> list[Path]:
    """Write what ``request`` asks for (runs in a job); returns the files written."""
    written: list[Path] = []
    if request.midi_path is not None:
        if not project.midi_tracks():
            raise PartitaError("the project has no MIDI tracks to write as MIDI")
        write_midi(project, request.midi_path)
        written.append(request.midi_path)
    if request.wav_path is not None or request.stems_dir is not None:
        written += export_audio(project, wav=request.wav_path, stems_dir=request.stems_dir,
                                sample_rate=request.sample_rate, bit_depth=request.bit_depth,
                                progress=progress, cancel=cancel)
    return written


class ExportDialog(QDialog):
    """Lifecycle: made by the window, ``open()``ed; ``request()`` is read once accepted."""

    def __init__(self, project: Project, settings: Settings, *, folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(520)
        form = QFormLayout()
        self.folder = QLineEdit(str(folder))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow("Folder", row)
        self.name = QLineEdit(safe_file_name(project.name))
        self.name.setToolTip("File names start with this")
        form.addRow("Name", self.name)
        self.midi = QCheckBox("MIDI file (.mid): every MIDI track, tempo, meter, key, dynamics as CC11")
        self.mix = QCheckBox("Mix (.wav)")
        self.stems = QCheckBox("Stems: one .wav per track (muted ones too), from 0:00, equal length")
        self.midi.setChecked(True)
        self.mix.setChecked(True)
        for box in (self.midi, self.mix, self.stems):
            form.addRow("", box)
        self.rate = QComboBox()
        self.rate.addItems([f"{r} Hz" for r in SAMPLE_RATES])
        self.rate.setCurrentIndex(SAMPLE_RATES.index(settings.export_sample_rate)
                                  if settings.export_sample_rate in SAMPLE_RATES else 0)
        self.depth = QComboBox()
        self.depth.addItems([BIT_DEPTH_LABELS[d] for d in BIT_DEPTHS])
        self.depth.setCurrentIndex(BIT_DEPTHS.index(settings.export_bit_depth)
                                   if settings.export_bit_depth in BIT_DEPTHS else 1)
        form.addRow("Sample rate", self.rate)
        form.addRow("Bit depth", self.depth)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        note = QLabel("MIDI tracks are rendered with the built-in synthesiser (or your SoundFont); "
                      "the stems of the audible tracks sum to the mix.")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {theme.TEXT_DIM}")
        outer.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        for box in (self.midi, self.mix, self.stems):
            box.toggled.connect(self._update_button)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _update_button(self) -> None:
        self.export_button.setEnabled(any(b.isChecked() for b in (self.midi, self.mix, self.stems)))

    def _accept(self) -> None:
        if self.folder.text().strip() and self.name.text().strip():
            self.accept()

    def request(self) -> ExportRequest:
        folder = Path(self.folder.text().strip()).expanduser()
        name = safe_file_name(self.name.text().strip())
        return ExportRequest(
            midi_path=folder / f"{name}.mid" if self.midi.isChecked() else None,
            wav_path=folder / f"{name}.wav" if self.mix.isChecked() else None,
            stems_dir=folder / f"{name} stems" if self.stems.isChecked() else None,
            sample_rate=SAMPLE_RATES[self.rate.currentIndex()],
            bit_depth=BIT_DEPTHS[self.depth.currentIndex()],
        )
