"""The command bar: type an edit in plain English, see the plan, apply it, undo it (Ctrl+K).

Like a DAW's command palette, it floats over the top of the window. Typing plans
as you go (``app.edit.plan_instruction``): the list shows the numbered steps and
notes, or why it cannot be done and what can. Enter (or Apply) runs the plan as
one job (progress and cancel in the Jobs panel); its result is one undo step.
Up/Down walk the history of past instructions; Esc closes the bar.

Lifecycle: one per window, built hidden by ``ui.actions.instruct``; ``open()``
shows it with the text selected; ``close_bar()`` hides it. Nothing changes the
project except ``apply()``, through the window's job runner and undo stack.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from app.commands import Command
from app.edit import EditSettings, edit_job, plan_instruction
from app.jobs import Job, JobState
from engines.instruct import Plan, Refusal
from ui import theme

if TYPE_CHECKING:
    from ui.main_window import MainWindow

PLACEHOLDER = "Edit in plain words, e.g. \"add a bass line in bars 1-4\" or \"make bars 2-3 louder\""
WIDTH = 760
"""Preferred width (px); a narrower window gets a narrower bar."""
MAX_ROWS = 10
"""Plan lines shown before the list scrolls."""
REPLAN_MS = 120
"""Pause in typing (ms) before the plan is shown again."""
STYLE = f"""
#CommandBar {{ background: {theme.PANEL}; border: 1px solid {theme.ACCENT}; border-radius: 6px; }}
#CommandBar QListWidget {{ background: #1b1c20; border: 1px solid #3b3e44; border-radius: 3px; }}
#CommandBarStatus {{ color: {theme.TEXT_DIM}; }}
#CommandBarRefusal {{ color: {theme.PLAYHEAD}; }}
"""


class CommandBar(QFrame):
    applied = Signal(str)
    """The instruction whose edit was just pushed onto the undo stack."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("CommandBar")
        self.setStyleSheet(STYLE)
        self.plan: Plan | None = None
        self.result: Plan | Refusal | None = None
        self.running = False
        self._job: Job | None = None
        self._history_at = -1
        self._build()
        self._timer = QTimer(self, singleShot=True, interval=REPLAN_MS, timeout=self.replan)
        self.input.textEdited.connect(lambda _text: self._timer.start())
        self.input.returnPressed.connect(self.apply)
        self.input.installEventFilter(self)
        window.installEventFilter(self)
        window.model.tracks_changed.connect(self._project_changed)
        window.model.meta_changed.connect(self._project_changed)
        window.model.document_replaced.connect(self._project_changed)
        window.model.undo_changed.connect(self._sync_buttons)
        window.jobs.updated.connect(self._job_updated)
        self.hide()

    def _build(self) -> None:
        self.input = QLineEdit()
        self.input.setPlaceholderText(PLACEHOLDER)
        self.input.setClearButtonEnabled(True)
        self.steps = QListWidget()
        self.steps.setWordWrap(True)
        self.steps.itemActivated.connect(self._history_chosen)
        self.refusal = QLabel(objectName="CommandBarRefusal", wordWrap=True)
        self.refusal.hide()
        self.status = QLabel(objectName="CommandBarStatus", wordWrap=True)
        self.apply_button = QPushButton("Apply (Enter)", clicked=self.apply)
        self.apply_button.setDefault(True)
        self.undo_button = QPushButton("Undo (Ctrl+Z)", clicked=self.undo)
        self.close_button = QPushButton("Close (Esc)", clicked=self.close_bar)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.apply_button, self.undo_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(QLabel("<b>Command bar</b> — what should change?"))
        layout.addWidget(self.input)
        layout.addWidget(self.refusal)
        layout.addWidget(self.steps)
        layout.addLayout(buttons)

    # -- showing ------------------------------------------------------------------------------------
    def open(self) -> None:
        """Show the bar over the window with the input focused and its text selected."""
        self._place()
        self.show()
        self.raise_()
        self.input.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.input.selectAll()
        self._history_at = -1
        self.replan()

    def close_bar(self) -> None:
        self.hide()
        self.window_.editor.setFocus()

    def _place(self) -> None:
        area = self.window_.centralWidget().geometry() if self.window_.centralWidget() else self.window_.rect()
        width = min(WIDTH, max(320, area.width() - 40))
        height = min(self.sizeHint().height(), max(160, area.height() - 60))
        self.setGeometry(area.x() + (area.width() - width) // 2, area.y() + 48, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window_ and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        if watched is self.input and event.type() == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close_bar()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._walk_history(-1 if key == Qt.Key.Key_Up else 1)
            return True
        return False

    # -- planning -------------------------------------------------------------------------------------
    def replan(self) -> None:
        """Plan the typed text again and show the steps, or the refusal, or the history."""
        text = self.input.text().strip()
        self.steps.clear()
        self.refusal.hide()
        self.plan = None
        self.result = None
        if not text:
            self._show_history()
        else:
            self.result = plan_instruction(self.window_.project, text)
            if isinstance(self.result, Plan):
                self.plan = self.result
                for line in self.result.lines():
                    item = QListWidgetItem(line)
                    if line.startswith("note:"):
                        item.setForeground(QColor(theme.TEXT_DIM))
                    self.steps.addItem(item)
                count = len(self.result.steps)
                self.status.setText(f"Enter applies {'this step' if count == 1 else f'these {count} steps'} "
                                    "as one edit")
            else:
                self.refusal.setText("Can't do that: " + self.result.message)
                self.refusal.show()
                self.status.setText("Nothing to apply")
        self._fit()
        self._sync_buttons()

    def _fit(self) -> None:
        """As tall as the plan needs, within the window."""
        rows = max(self.steps.count(), 2)
        self.steps.setFixedHeight(min(MAX_ROWS, rows) * self.steps.fontMetrics().height() * 3 // 2 + 12)
        if self.isVisible():
            self._place()

    def _show_history(self) -> None:
        history = self.window_.settings.instruction_history
        for text in history:
            item = QListWidgetItem(f"↺ {text}")
            item.setData(Qt.ItemDataRole.UserRole, text)
            item.setToolTip("Recent instruction: press Enter or double-click to use it again")
            self.steps.addItem(item)
        self.status.setText("Recent instructions (Up/Down)" if history else "Type an edit; Enter applies it")

    def _history_chosen(self, item: QListWidgetItem) -> None:
        text = item.data(Qt.ItemDataRole.UserRole)
        if text:
            self.input.setText(text)
            self.replan()

    def _walk_history(self, direction: int) -> None:
        history = self.window_.settings.instruction_history
        if not history:
            return
        self._history_at = max(-1, min(len(history) - 1, self._history_at - direction))
        self.input.setText(history[self._history_at] if self._history_at >= 0 else "")
        self.replan()

    def _project_changed(self, *_args: object) -> None:
        if self.isVisible() and not self.running:
            self.replan()

    def _sync_buttons(self) -> None:
        self.apply_button.setEnabled(self.plan is not None and not self.running)
        self.undo_button.setEnabled(self.window_.model.document.undo_stack.can_undo)

    # -- acting ------------------------------------------------------------------------------------------
    def apply(self) -> None:
        """Run the current plan as one job; its command becomes one undo step."""
        if self.plan is None or self.running:
            return
        plan, text = self.plan, self.input.text().strip()
        settings = EditSettings(device=self.window_.settings.device)
        self.running = True
        self.status.setText("Working… (the Jobs panel shows progress and can cancel)")
        self._sync_buttons()

        def done(command: Command) -> None:
            self._finished(text, self.window_.model.push(command), "the project changed meanwhile")

        self._job = self.window_.run_job(edit_job(self.window_.project.snapshot(), plan, settings=settings), done)

    def _job_updated(self, job: Job) -> None:
        if job is self._job and job.state in (JobState.FAILED, JobState.CANCELLED):
            self._finished(self.input.text().strip(), False, job.error or "cancelled")

    def _finished(self, text: str, ok: bool, error: str = "") -> None:
        self.running, self._job = False, None
        if ok:
            self.window_.settings.add_instruction(text)
            self.status.setText(f"Done: {text} — Ctrl+Z (or Undo) takes it all back")
            self.window_.show_message(f"Edit: {text} (Ctrl+Z undoes it)")
            self.applied.emit(text)
        else:
            self.status.setText(f"Not done: {error}")
        self._sync_buttons()

    def undo(self) -> None:
        self.window_.model.undo()
        self.status.setText("Undone")
