"""Engines ▸ "Infill…": rewrite the chosen tracks over a bar range with the composer.

The composer runs in a worker process (``app.workers``): a crash there fails the
job, not the window, and a warm worker keeps the model loaded between runs.
The dialog offers the project's pitched MIDI tracks (the selected one ticked),
the bar range (the ruler's loop region when there is one, else every bar), a
seed, the temperature, how many variations to write and whether the notes
selected in the piano roll stay. The work runs as a job (progress, cancel)
on a snapshot. One variation is applied as one undo step; several open the
variation picker: choosing one applies it (one undo step, replacing the one
tried before), so the user can play each and keep the best or discard all.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QSpinBox, QVBoxLayout)

from app.commands import Command
from app.infill import InfillRequest, project_bars
from app.jobs import Job
from app.workers import InWorker

if TYPE_CHECKING:
    from ui.main_window import MainWindow

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
            if track.is_drum:
                continue
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
        layout.addWidget(QLabel("Tracks to write (drum tracks are not offered):"))
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
    if span is None:
        return 1, last
    per_bar = window.project.ticks_per_bar
    return span[0] // per_bar + 1, max(span[0] // per_bar + 1, -(-span[1] // per_bar))


def start(window: "MainWindow", request: InfillRequest | None = None) -> Job | None:
    """Ask (unless ``request`` is given) and run the infill as a background job."""
    if request is None:
        dialog = InfillDialog(window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        request = dialog.request()
    if not request.track_ids:
        window.show_error("Infill: tick at least one track to write")
        return None
    work = InWorker("app.infill:infill_work", project=window.project.snapshot(), request=request,
                    device=window.settings.device)

    def done(commands: list[Command]) -> Command | None:
        if len(commands) == 1:
            return commands[0]
        VariationPicker(window, commands).show()
        return None

    return window.run_job(Job("Infill", work), done)


class VariationPicker(QDialog):
    """Try each variation in turn (each one undo step); Keep leaves it, Discard undoes it."""

    def __init__(self, window: "MainWindow", commands: list[Command], *, title: str = "Infill variations") -> None:
        super().__init__(window)
        self.setWindowTitle(title)
        self.window_, self.commands, self.applied = window, commands, None
        self.list = QListWidget()
        for i, command in enumerate(commands):
            self.list.addItem(f"Variation {i + 1}")
        self.list.currentRowChanged.connect(self.choose)
        keep, discard = QPushButton("Keep"), QPushButton("Discard")
        keep.clicked.connect(self.accept)
        discard.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Pick a variation, play it, keep the one you like:"))
        layout.addWidget(self.list)
        layout.addWidget(keep)
        layout.addWidget(discard)
        self.list.setCurrentRow(0)

    def choose(self, row: int) -> None:
        self._take_back()
        if 0 <= row < len(self.commands) and self.window_.model.push(self.commands[row]):
            self.applied = row

    def _take_back(self) -> None:
        stack = self.window_.model.document.undo_stack
        if self.applied is not None and stack.undo_label == self.commands[self.applied].label:
            self.window_.model.undo()
        self.applied = None

    def reject(self) -> None:
        self._take_back()
        super().reject()
