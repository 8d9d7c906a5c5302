"""A dialog built from a catalogue operation's parameters (``app.catalogue``).

One field per ``Param``, chosen by its type: spin boxes with the param's
range, a check box, a list of choices, the project's tracks (the selected one
first or ticked), bars as "A-B" (the loop region when there is one), the key
and meter as text. ``values()`` parses every field through
``app.catalogue.parse_value`` — the same rules as ``partita apply`` — and a
bad value is shown in the dialog, which stays open. Defaults come from the
catalogue, never from the widget.

Lifecycle: ``OperationDialog(op, project, ...)`` -> ``exec()`` -> when
accepted, ``command`` holds the op's undoable command for the project.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QSpinBox, QVBoxLayout, QWidget)

from app.catalogue import Operation, Param, parse_value
from app.commands import Command
from app.errors import PartitaError
from app.project import Project

SPIN_LIMIT = 1e9
"""Bound of a numeric field whose param has no range."""


class OperationDialog(QDialog):
    def __init__(self, op: Operation, project: Project, *, track_id: str | None = None,
                 bars: tuple[int, int] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.op, self.project = op, project
        self.track_id, self.bars = track_id, bars
        self.command: Command | None = None
        self.setWindowTitle(op.title)
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        for param in op.params:
            self.fields[param.name] = field = self._field(param)
            field.setToolTip(param.help)
            form.addRow(param.name.replace("_", " ").capitalize(), field)
        self.problem = QLabel()
        self.problem.setObjectName("DialogProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(op.summary[:1].upper() + op.summary[1:] + "."))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    # -- fields --------------------------------------------------------------------------------------
    def _field(self, param: Param) -> QWidget:
        kind = param.type
        if kind in ("int", "float", "seconds") and (param.default is not None or param.required):
            return self._spin(param)
        if kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(param.default))
            return box
        if kind == "choice":
            combo = QComboBox()
            combo.addItems(list(param.choices or ()))
            combo.setCurrentText(str(param.default or combo.itemText(0)))
            return combo
        if kind == "track":
            return self._track_combo()
        if kind == "tracks":
            return self._track_list()
        line = QLineEdit(self._initial_text(param))
        line.setPlaceholderText("leave empty: " + ("all bars" if kind == "bars" else "not given"))
        return line

    def _spin(self, param: Param) -> QWidget:
        low, high = param.range or (-SPIN_LIMIT, SPIN_LIMIT)
        box: QSpinBox | QDoubleSpinBox = QSpinBox() if param.type == "int" else QDoubleSpinBox()
        if isinstance(box, QSpinBox):
            box.setRange(int(max(low, -2**31)), int(min(high, 2**31 - 1)))
        else:
            box.setDecimals(2)
            box.setRange(low, high)
        start = param.default if param.default is not None else min(max(0, low), high)
        box.setValue(start)  # type: ignore[arg-type]
        return box

    def _track_combo(self) -> QComboBox:
        combo = QComboBox()
        for track in self.project.tracks:
            combo.addItem(track.name, track.id)
        index = combo.findData(self.track_id)
        combo.setCurrentIndex(max(0, index))
        return combo

    def _track_list(self) -> QListWidget:
        tracks = QListWidget()
        for track in self.project.midi_tracks():
            item = QListWidgetItem(track.name)
            item.setData(Qt.ItemDataRole.UserRole, track.id)
            item.setCheckState(Qt.CheckState.Checked if track.id == self.track_id else Qt.CheckState.Unchecked)
            tracks.addItem(item)
        return tracks

    def _initial_text(self, param: Param) -> str:
        if param.type == "bars" and self.bars:
            return f"{self.bars[0]}-{self.bars[1]}"
        if param.type == "key":
            return self.project.key or ""
        if param.type == "meter":
            return str(self.project.time_signature)
        return "" if param.default is None else str(param.default)

    # -- values --------------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Every field's typed value (left-out optional ones omitted); PartitaError for a bad one."""
        out: dict[str, Any] = {}
        for param in self.op.params:
            field = self.fields[param.name]
            if isinstance(field, (QSpinBox, QDoubleSpinBox)):
                out[param.name] = parse_value(param, str(field.value()), self.project)
            elif isinstance(field, QCheckBox):
                out[param.name] = field.isChecked()
            elif isinstance(field, QComboBox):
                data = field.currentData()
                out[param.name] = data if param.type == "track" else field.currentText()
            elif isinstance(field, QListWidget):
                items = [field.item(i) for i in range(field.count())]
                out[param.name] = tuple(it.data(Qt.ItemDataRole.UserRole) for it in items
                                        if it.checkState() == Qt.CheckState.Checked)
            elif isinstance(field, QLineEdit) and field.text().strip():
                out[param.name] = parse_value(param, field.text(), self.project)
            elif param.required:
                raise PartitaError(f"{param.name.replace('_', ' ')}: {param.help}")
        return out

    def accept(self) -> None:
        try:
            self.command = self.op.command(self.project, self.values())
        except PartitaError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()
