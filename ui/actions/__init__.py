"""Engine actions: where engine helpers plug their menu entries and jobs into the window.

To add an engine's actions, write ``ui/actions/<engine>.py`` with::

    from app.jobs import Job

    def install(window) -> None:            # window: ui.main_window.MainWindow
        window.add_engine_action("Infill selected bars…", lambda: start(window),
                                 shortcut="Ctrl+Shift+I", tip="Regenerate the selected span",
                                 toolbar=True)

    def start(window) -> None:
        project = window.project.snapshot()   # the job reads a copy, never the live project
        def work(progress, cancel):          # runs on a worker thread
            ...                               # call the engine, check cancel between steps
            return some_command               # an app.commands.Command (one undo step)
        window.run_job(Job("Infill", work))   # the command is pushed when the job succeeds

and add ``"<engine>"`` to ``MODULES`` below. What the user picked:
``window.model.selected_track()`` (the track list's selection),
``window.editor.roll.selection`` (a set of ``app.project.Note``),
``window.selected_span()`` (the ruler's loop region in ticks, or None) and
``window.project`` itself (read it; change it only through commands). ``install`` runs once when the
window is built; an exception in it is shown as a message and the window
still opens. See ``MainWindow.add_engine_action`` and ``MainWindow.run_job``.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow

MODULES: list[str] = [
    # filled as engines land: "render", "infill", "separate", ...
    "controls",
    "infill",
    "instruct",
    "separate",
    "transcribe",
    "generate",
    "operations",
    "devices",
]


def install_all(window: "MainWindow") -> list[str]:
    """Install every module's actions; return one message per module that failed."""
    problems = []
    for name in MODULES:
        try:
            importlib.import_module(f"ui.actions.{name}").install(window)
        except Exception as exc:  # one broken engine must not keep the window from opening
            problems.append(f"engine actions {name!r} failed to load: {exc}")
    return problems
