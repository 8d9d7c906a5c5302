"""The jobs panel: engine work in progress, with a progress bar and a cancel button each.

``QtJobRunner`` is the thin Qt adapter over ``app.jobs.JobRunner``: updates
from worker threads arrive as queued signals on the GUI thread, and each
job's ``on_done`` callback runs there exactly once, when it finishes.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QToolButton, QVBoxLayout, QWidget)

from app.jobs import Job, JobRunner, JobState
from ui import theme
from ui.elided_label import ElidedLabel

DoneCallback = Callable[[Job], None]
STATE_COLORS = {JobState.DONE: "#8fcf6a", JobState.FAILED: theme.PLAYHEAD,
                JobState.CANCELLED: theme.TEXT_DIM, JobState.RUNNING: theme.ACCENT,
                JobState.QUEUED: theme.TEXT_DIM}


class QtJobRunner(QObject):
    """Lifecycle: one per window; ``shutdown()`` when the window closes."""

    updated = Signal(object)
    """A ``Job`` whose state or progress changed (GUI thread)."""
    _relay = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = JobRunner(on_update=self._relay_from_worker)
        self._callbacks: dict[int, DoneCallback] = {}
        self._relay.connect(self._on_gui_thread, Qt.ConnectionType.QueuedConnection)

    def _relay_from_worker(self, job: Job) -> None:
        try:
            self._relay.emit(job)
        except RuntimeError:  # the window is gone; the job finishes unseen
            pass

    def submit(self, job: Job, on_done: DoneCallback | None = None) -> Job:
        if on_done is not None:
            self._callbacks[job.id] = on_done
        return self.runner.submit(job)

    def cancel(self, job: Job) -> None:
        self.runner.cancel(job)

    def _on_gui_thread(self, job: Job) -> None:
        self.updated.emit(job)
        if job.finished:
            callback = self._callbacks.pop(job.id, None)
            if callback is not None:
                callback(job)

    def shutdown(self) -> None:
        """Cancel the jobs and close the engine worker processes (busy ones are stopped)."""
        from app.workers import shutdown_default_pool

        self.runner.shutdown(wait=False)
        shutdown_default_pool()


class JobRow(QFrame):
    def __init__(self, job: Job, runner: QtJobRunner) -> None:
        super().__init__()
        self.job = job
        box = QHBoxLayout(self)
        box.setContentsMargins(8, 3, 8, 3)
        self.title = ElidedLabel(job.title)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.message = ElidedLabel()
        self.message.setStyleSheet(f"color: {theme.TEXT_DIM}")
        self.state = QLabel()
        self.cancel = QToolButton()
        self.cancel.setText("✕")
        self.cancel.setToolTip("Cancel this job (it stops at its next step; the project is not touched)")
        self.cancel.clicked.connect(lambda: runner.cancel(job))
        box.addWidget(self.title)
        box.addWidget(self.bar, 1)
        box.addWidget(self.message, 2)
        box.addWidget(self.state)
        box.addWidget(self.cancel)
        self.refresh()

    def refresh(self) -> None:
        job = self.job
        self.bar.setValue(round(job.fraction * 1000))
        self.message.setText(job.message)
        self.message.setToolTip(job.detail or "")
        self.state.setText(job.state.value)
        self.state.setStyleSheet(f"color: {STATE_COLORS[job.state]}")
        self.cancel.setEnabled(not job.finished)


class JobsPanel(QWidget):
    """Lists jobs, newest first; finished ones stay until "Clear finished"."""

    def __init__(self, runner: QtJobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.rows: dict[int, JobRow] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 2, 8, 2)
        self.summary = ElidedLabel("No jobs yet. Engine work (render, infill, separate…) shows up here.")
        self.summary.setStyleSheet(f"color: {theme.TEXT_DIM}")
        clear = QPushButton("Clear finished")
        clear.setToolTip("Remove finished, failed and cancelled jobs from the list")
        clear.clicked.connect(self.clear_finished)
        bar.addWidget(self.summary, 1)
        bar.addWidget(clear)
        outer.addLayout(bar)
        self.list = QVBoxLayout()
        self.list.setSpacing(0)
        self.list.addStretch(1)
        holder = QWidget()
        holder.setLayout(self.list)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        runner.updated.connect(self.job_updated)

    def sizeHint(self):  # noqa: N802 (Qt override): a few rows, not half the window
        hint = super().sizeHint()
        hint.setHeight(120)
        return hint

    def job_updated(self, job: Job) -> None:
        row = self.rows.get(job.id)
        if row is None:
            row = self.rows[job.id] = JobRow(job, self.runner)
            self.list.insertWidget(0, row)
        row.refresh()
        self._summarise()

    def clear_finished(self) -> None:
        for job_id, row in list(self.rows.items()):
            if row.job.finished:
                self.list.removeWidget(row)
                row.deleteLater()
                del self.rows[job_id]
        self.runner.runner.forget_finished()
        self._summarise()

    def _summarise(self) -> None:
        running = sum(1 for r in self.rows.values() if not r.job.finished)
        self.summary.setText(f"{running} running · {len(self.rows) - running} finished" if self.rows
                             else "No jobs.")
