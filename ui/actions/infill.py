"""Engines ▸ "Infill…": rewrite the chosen tracks over a bar range with the composer.

The composer runs in a worker process (``app.workers``): a crash there fails the
job, not the window, and a warm worker keeps the model loaded between runs.
The dialog offers the project's pitched MIDI tracks (the selected one ticked),
the bar range (the ruler's loop region when there is one, else every bar), a
seed, the temperature, how many variations to write and whether the notes
selected in the piano roll stay. The work runs as a job (progress, cancel)
on a snapshot. One variation is applied as one undo step; several open the
variation picker (``ui.variation_picker``): it loops the written bars while
the user switches between variations, and keeps one or discards all.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel,
                               QListWidget, QListWidgetItem, QSpinBox, QVBoxLayout)

from app.commands import Command
from app.infill import InfillRequest, project_bars
from app.jobs import Job
from app.operations import bars_of_span
from app.workers import InWorker, default_pool
from ui.variation_picker import VariationPicker

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = ["InfillDialog", "VariationPicker", "install", "start"]
"""``VariationPicker`` stays importable from here (Generate uses it)."""


def install(window: "MainWindow") -> None:
    window.add_engine_action("Infill…", lambda: start(window), shortcut="Ctrl+Shift+I", toolbar=True,
                             tip="Rewrite the chosen tracks over a bar range with the composer model "
                                 "(one undo step)")


class InfillDialog(QDialog):
    """Tracks, bars and sampling settings; ``request()`` reads them once accepted."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.setWindowTitle("Infill")
        project, defaults = window.project, InfillRequest(track_ids=())
        self.tracks = QListWidget()
        selected = window.model.selected_track()
        for track in project.midi_tracks():
            item = QListWidgetItem(f"{track.name} ({track.role})")
            item.setData(Qt.ItemDataRole.UserRole, track.id)
            item.setCheckState(Qt.CheckState.Checked if track is selected else Qt.CheckState.Unchecked)
            self.tracks.addItem(item)
        last = project_bars(project)
        first_bar, last_bar = _span_bars(window, last)
        self.first, self.last = _spin(1, 9999, first_bar), _spin(1, 9999, last_bar)
        self.seed = _spin(0, 2**31 - 1, defaults.seed)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 3.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(defaults.temperature)
        self.variations = _spin(1, 8, defaults.variations)
        self.keep = QCheckBox("Keep the notes selected in the piano roll")
        self.keep.setChecked(bool(window.editor.roll.selection))
        self.scale = QCheckBox("Only notes of the key")
        self.selection = {n for n in window.editor.roll.selection}
        self.selected_track_id = selected.id if selected is not None else None
        form = QFormLayout()
        form.addRow("From bar", self.first)
        form.addRow("To bar", self.last)
        form.addRow("Seed", self.seed)
        form.addRow("Temperature", self.temperature)
        form.addRow("Variations", self.variations)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tracks to write:"))
        layout.addWidget(self.tracks)
        layout.addLayout(form)
        layout.addWidget(self.keep)
        layout.addWidget(self.scale)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, ...]:
        items = [self.tracks.item(i) for i in range(self.tracks.count())]
        return tuple(it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == Qt.CheckState.Checked)

    def request(self) -> InfillRequest:
        chosen = self.chosen()
        keep = {}
        if self.keep.isChecked() and self.selected_track_id in chosen:
            keep = {self.selected_track_id: tuple(self.selection)}
        first, last = sorted((self.first.value(), self.last.value()))
        return InfillRequest(track_ids=chosen, bars=(first, last), seed=self.seed.value(),
                             temperature=self.temperature.value(), variations=self.variations.value(),
                             scale_lock=self.scale.isChecked(), keep=keep)


def _spin(lo: int, hi: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    return box


def _span_bars(window: "MainWindow", last: int) -> tuple[int, int]:
    """Bars of the ruler's loop region (1-based, inclusive), else all bars."""
    span = window.selected_span()
    return (1, last) if span is None else bars_of_span(window.project, span)


def start(window: "MainWindow", request: InfillRequest | None = None) -> Job | None:
    """Ask (unless ``request`` is given) and run the infill as a background job."""
    if request is None:
        # Start a worker and load the composer while the user fills the dialog.
        default_pool().prewarm(InWorker("app.infill:warm_up", device=window.settings.device))
        dialog = InfillDialog(window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        request = dialog.request()
    if not request.track_ids:
        window.show_error("Infill: tick at least one track to write")
        return None
    work = InWorker("app.infill:infill_work", project=window.project.snapshot(), request=request,
                    device=window.settings.device)

    per_bar = window.project.ticks_per_bar
    span = ((request.bars[0] - 1) * per_bar, request.bars[1] * per_bar) if request.bars else None

    def done(commands: list[Command]) -> Command | None:
        if len(commands) == 1:
            return commands[0]
        VariationPicker(window, commands, span=span).show()
        return None

    return window.run_job(Job("Infill", work), done)
