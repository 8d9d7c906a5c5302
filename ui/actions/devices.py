"""Engines ▸ Run engines on ▸ Auto / CPU / GPU: the device setting (``Settings.device``).

The choice is saved with the settings and read by each engine action when it
starts a job (``window.settings.device``), so it applies to the next job.
Whether torch sees a GPU is not asked here (that would import torch when the
window opens); a job asked to run on a GPU that is not there fails with a
message that says so.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup

from app.devices import DEVICES

if TYPE_CHECKING:
    from ui.main_window import MainWindow

LABELS = {"auto": "Auto (the GPU when there is one)", "cpu": "CPU", "cuda": "GPU (CUDA)"}


def install(window: "MainWindow") -> None:
    window.engines_menu.addSeparator()
    menu = window.engines_menu.addMenu("Run engines on")
    menu.setToolTipsVisible(True)
    group = QActionGroup(window)
    for device in DEVICES:
        action = QAction(LABELS[device], window, checkable=True)
        action.setChecked(window.settings.device == device)
        action.setToolTip(f"Run the next engine jobs on: {LABELS[device]}")
        action.triggered.connect(lambda _checked=False, d=device: choose(window, d))
        group.addAction(action)
        menu.addAction(action)


def choose(window: "MainWindow", device: str) -> None:
    window.settings.device = device
    window.settings.save()
    window.show_message(f"Engines run on: {LABELS[device]}")
