"""The Generate panel: a prompt (and what it understood), the tracks and bars to write, seed,
variations, and one Generate button; it says which curves are drawn, since they are what
the new parts follow.

The panel only gathers a ``GenerateRequest``; ``ui.actions.generate`` runs it as a
job. Defaults come from ``GenerateRequest``. Lifecycle: built once per window;
``refresh()`` rereads the project (tracks, bars, curves) on every change.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QSizePolicy, QSpinBox, QVBoxLayout, QWidget)

from app.generate import GenerateRequest
from app.infill import project_bars
from app.project import CURVE_NAMES, Project
from engines.common import CONTROL_FRAME_RATE
from engines.generate.attributes import ROLES
from engines.generate.prompt import read_prompt
from ui import theme

NEW = "new:"
"""Item data prefix of a part that has no track yet (``NEW + role``)."""


class GeneratePanel(QWidget):
    """See the module docstring. ``generate_requested`` fires when the button is pressed."""

    generate_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = GenerateRequest()
        self.prompt = QLineEdit()
        self.prompt.setPlaceholderText('e.g. "gentle, minor, strings and piano" or "energetic, 128 bpm"')
        self.prompt.setClearButtonEnabled(True)
        self.understood = _dim_label()
        self.curves = _dim_label()
        self.tracks = QListWidget()
        self.tracks.setMaximumHeight(120)
        self.first, self.last = _spin(1, 9999, 1), _spin(1, 9999, 1)
        self.seed = _spin(0, 2**31 - 1, defaults.seed)
        self.variations = _spin(1, 8, defaults.variations)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 3.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(defaults.temperature)
        self.button = QPushButton("Generate")
        self.button.setObjectName("PrimaryButton")
        self.button.setMinimumHeight(34)
        self.button.setToolTip("Write the ticked tracks over the bars, following the drawn curves and the "
                               "prompt (Ctrl+G; one undo step)")
        self.button.clicked.connect(self._pressed)
        self.running = False
        self._layout()
        self.prompt.textChanged.connect(self._show_understood)
        self._show_understood("")

    def _layout(self) -> None:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for box in (self.first, self.last, self.seed):
            box.setMinimumWidth(56)
            box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        bars = QHBoxLayout()
        bars.addWidget(self.first)
        bars.addWidget(QLabel("to"))
        bars.addWidget(self.last)
        form.addRow("Bars", bars)
        form.addRow("Seed", self.seed)
        form.addRow("Variations", self.variations)
        form.addRow("Temperature", self.temperature)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        box.addWidget(QLabel("Describe it (optional):"))
        box.addWidget(self.prompt)
        box.addWidget(self.understood)
        box.addWidget(QLabel("Tracks to write:"))
        box.addWidget(self.tracks)
        box.addLayout(form)
        box.addWidget(self.curves)
        box.addWidget(self.button)
        box.addStretch(1)

    # -- reading the project ---------------------------------------------------------------------------------
    def refresh(self, project: Project, span: tuple[int, int] | None) -> None:
        """Reread tracks, bars and drawn curves; ticks the user set survive."""
        self._fill_tracks(project)
        last = project_bars(project)
        a, b = (1, last) if span is None else (span[0] // project.ticks_per_bar + 1,
                                               max(span[0] // project.ticks_per_bar + 1,
                                                   -(-span[1] // project.ticks_per_bar)))
        self.first.setValue(a)
        self.last.setValue(b)
        self.curves.setText(_curves_summary(project))

    def _fill_tracks(self, project: Project) -> None:
        old = {self.tracks.item(i).data(Qt.ItemDataRole.UserRole): self.tracks.item(i).checkState()
               for i in range(self.tracks.count())}
        self.tracks.clear()
        midi = project.midi_tracks()
        for track in midi:
            self._add_item(f"{track.name} ({track.role})", track.id, old, default=str(track.role) in ROLES)
        for role in ROLES:
            if not any(str(t.role) == role and t.is_drum == (role == "drums") for t in midi):
                self._add_item(f"new {role} track", NEW + role, old, default=True)

    def _add_item(self, text: str, key: str, old: dict, *, default: bool) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        checked = old.get(key, Qt.CheckState.Checked if default else Qt.CheckState.Unchecked)
        item.setCheckState(checked)
        self.tracks.addItem(item)

    # -- the request ------------------------------------------------------------------------------------------
    def chosen(self) -> tuple[str, ...]:
        """Ticked tracks as ids, and roles for the new ones."""
        items = [self.tracks.item(i) for i in range(self.tracks.count())]
        keys = [it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == Qt.CheckState.Checked]
        return tuple(k[len(NEW):] if k.startswith(NEW) else k for k in keys)

    def request(self, project: Project) -> GenerateRequest:
        first, last = sorted((self.first.value(), self.last.value()))
        whole = first == 1 and last >= project_bars(project)
        return GenerateRequest(tracks=self.chosen(), bars=None if whole else f"{first}-{last}",
                               prompt=self.prompt.text(), seed=self.seed.value(),
                               temperature=self.temperature.value(), variations=self.variations.value())

    def set_running(self, running: bool) -> None:
        self.running = running
        self.button.setText("Cancel" if running else "Generate")

    def _pressed(self) -> None:
        (self.cancel_requested if self.running else self.generate_requested).emit()

    def _show_understood(self, text: str) -> None:
        reading = read_prompt(text)
        self.understood.setText(reading.summary() if text.strip() else "Leave it empty to follow the curves alone.")


def _curves_summary(project: Project) -> str:
    """Which curves are drawn, and for how long: "Follows: melody 4.0 s, dynamics 8.0 s; rhythm not drawn"."""
    drawn, blank = [], []
    for name in CURVE_NAMES:
        frames = int(np.isfinite(project.curve(name)).sum())
        (drawn if frames else blank).append(f"{name} {frames / CONTROL_FRAME_RATE:.1f} s" if frames else name)
    text = "Follows the drawn curves: " + (", ".join(drawn) if drawn else "none yet (draw one below)")
    return text + (f"; not drawn: {', '.join(blank)}" if blank and drawn else "")


def _dim_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.TEXT_DIM}")
    return label


def _spin(lo: int, hi: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    return box

