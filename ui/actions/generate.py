"""Engines ▸ "Generate" and the Generate panel (a dock on the right): write new parts that
follow the drawn curves, the prompt, the ticked tracks and the bars.

Pressing Generate (the panel's button, Ctrl+G or the toolbar) runs the work as a
job in a worker process (progress and cancel in the Jobs panel; the button
turns into Cancel) on a snapshot. One variation is applied as one undo step; several open the
variation picker, as Infill does, to audition each and keep one.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from app.commands import Command
from app.generate import GenerateRequest, Outcome
from app.jobs import Job
from app.workers import InWorker
from ui.actions.infill import VariationPicker
from ui import theme
from ui.generate_panel import GeneratePanel

if TYPE_CHECKING:
    from ui.main_window import MainWindow

PRIMARY = ("{kind} {{ border: 1px solid {accent}; color: {accent}; font-weight: bold; "
           "padding: 3px 12px; border-radius: 4px; }}").replace("{accent}", theme.ACCENT)
"""The Generate buttons stand out: drawing a curve and pressing Generate is the thing to do."""
PANEL_WIDTH = 270
"""Pixels the Generate dock starts with (the lanes keep the rest of the window)."""


def install(window: "MainWindow") -> None:
    panel = GeneratePanel()
    panel.button.setStyleSheet(PRIMARY.format(kind="QPushButton"))
    dock = QDockWidget("Generate", window)
    dock.setObjectName("GenerateDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resizeDocks([dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)
    window.generate_panel = panel  # type: ignore[attr-defined]
    action = window.add_engine_action("Generate", lambda: start(window), shortcut="Ctrl+G", toolbar=True,
                                      tip="Write new parts that follow the drawn curves and the prompt "
                                          "(one undo step)")
    button = window.curves.add_action_button(action)
    button.setStyleSheet(PRIMARY.format(kind="QToolButton"))
    state: dict[str, Job | None] = {"job": None}
    panel.generate_requested.connect(lambda: start(window))
    panel.cancel_requested.connect(lambda: _cancel(window, state))
    window.generate_state = state  # type: ignore[attr-defined]
    refresh = lambda *_: panel.refresh(window.project, window.selected_span())  # noqa: E731
    model = window.model
    for signal in (model.tracks_changed, model.track_changed, model.meta_changed, model.curve_changed,
                   model.document_replaced):
        signal.connect(refresh)
    refresh()


def _span(window: "MainWindow", request: GenerateRequest) -> tuple[int, int] | None:
    """The written bars in ticks (what the picker loops), None for the whole project."""
    if request.bars is None:
        return None
    first, _, last = request.bars.partition("-")
    per_bar = window.project.ticks_per_bar
    return (int(first) - 1) * per_bar, int(last or first) * per_bar


def _cancel(window: "MainWindow", state: dict[str, Job | None]) -> None:
    job = state.get("job")
    if job is not None and not job.finished:
        window.jobs.runner.cancel(job)


def start(window: "MainWindow", request: GenerateRequest | None = None) -> Job | None:
    """Run the panel's request (or ``request``) as a background job."""
    panel: GeneratePanel = window.generate_panel  # type: ignore[attr-defined]
    state: dict[str, Job | None] = window.generate_state  # type: ignore[attr-defined]
    if state.get("job") is not None and not state["job"].finished:  # type: ignore[union-attr]
        window.show_message("Generate is already running (press Cancel to stop it)")
        return None
    request = request or panel.request(window.project)
    if request.tracks is not None and not request.tracks:
        window.show_error("Generate: tick at least one track to write")
        return None
    work = InWorker("app.generate:generate_outcome", project=window.project.snapshot(), request=request,
                    device="auto")

    def done(outcome: Outcome) -> Command | None:
        panel.set_running(False)
        for note in outcome.notes:
            window.show_message(f"Generate: {note}", 10000)
        if len(outcome.commands) == 1:
            return outcome.commands[0]
        VariationPicker(window, list(outcome.commands), title="Generate variations", span=_span(window, request)).show()
        return None

    def finished(job: Job) -> None:
        panel.set_running(False)

    panel.set_running(True)
    job = window.run_job(Job("Generate", work), done)
    job_done = window.jobs.updated

    def watch(updated: Job) -> None:
        if updated is job and updated.finished:
            finished(updated)
            job_done.disconnect(watch)

    job_done.connect(watch)
    state["job"] = job
    return job
