"""The export dialog: MIDI, a mix WAV and stems, with sample rate and bit depth.

The dialog only gathers an ``app.exporting.ExportRequest``; the window runs
``app.exporting.export`` as a job, so a long render never freezes the GUI and
can be cancelled.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from app.audio_io import BIT_DEPTHS as FORMATS
from app.exporting import ExportRequest
from app.project import Project
from app.settings import Settings
from engines.render.config import SAMPLE_RATES
from ui import theme
from ui.dnd import safe_file_name

BIT_DEPTHS = tuple(FORMATS)
BIT_DEPTH_LABELS = {"16": "16-bit (dithered)", "24": "24-bit", "32f": "32-bit float"}


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
            midi=folder / f"{name}.mid" if self.midi.isChecked() else None,
            wav=folder / f"{name}.wav" if self.mix.isChecked() else None,
            stems_dir=folder / f"{name} stems" if self.stems.isChecked() else None,
            sample_rate=SAMPLE_RATES[self.rate.currentIndex()],
            bit_depth=BIT_DEPTHS[self.depth.currentIndex()],
        )
