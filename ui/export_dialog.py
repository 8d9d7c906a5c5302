"""The export dialog: MIDI, a mix WAV and stems, with sample rate and bit depth.

The dialog only gathers an ``ExportRequest``; the window runs it as a job
(``app.exporting.export_project``), so a long render never freezes the GUI
and can be cancelled.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from app.exporting import BIT_DEPTHS, SAMPLE_RATES, ExportRequest, renderer_available, safe_file_name
from app.project import Project
from app.settings import Settings
from ui import theme

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
        self.stems = QCheckBox("Stems: one .wav per track, all from 0:00 and the same length")
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
        self.note = QLabel(self._note(project))
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {theme.ACCENT}")
        self.note.setVisible(bool(self.note.text()))
        outer.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        for box in (self.midi, self.mix, self.stems):
            box.toggled.connect(self._update_button)

    @staticmethod
    def _note(project: Project) -> str:
        if renderer_available() or not any(t.notes for t in project.midi_tracks()):
            return ""
        return ("No MIDI renderer is installed yet: MIDI tracks are silent in the WAV files "
                "(audio tracks export as they are). The MIDI file has everything.")

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
