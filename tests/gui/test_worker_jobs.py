"""Engine jobs in worker processes, seen from the window: a killed worker fails its job and nothing
else; an export is not held up by a slow engine; the device setting reaches the jobs."""
from __future__ import annotations

import os
import signal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app import workers
from app.jobs import Job, JobState
from app.settings import Settings
from app.workers import InWorker
from ui.export_dialog import ExportDialog


@pytest.fixture(autouse=True)
def fresh_pool():
    """Each test gets its own worker processes, closed afterwards."""
    workers.shutdown_default_pool()
    yield
    workers.shutdown_default_pool()


def slow_job(window, seconds, steps):
    track = window.project.track_named("Melody")
    return window.run_job(Job("Slow engine", InWorker("tests.worker_tasks:slow", track_id=track.id,
                                                      seconds=seconds, steps=steps)))


def test_a_killed_worker_fails_the_job_and_leaves_window_and_project(window, qtbot):
    notes = list(window.project.track_named("Melody").notes)
    job = slow_job(window, 60, 600)
    qtbot.waitUntil(lambda: job.fraction > 0, timeout=30000)
    os.kill(workers.default_pool().busy_pids()[0], signal.SIGKILL)
    qtbot.waitUntil(lambda: job.finished, timeout=10000)
    assert job.state == JobState.FAILED
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    assert "worker process stopped unexpectedly (killed by SIGKILL" in window.banner.text()
    assert window.jobs_panel.rows[job.id].state.text() == "failed"
    assert window.project.track_named("Melody").notes == notes and not window.model.modified
    again = slow_job(window, 0.2, 4)  # the window carries on: the next engine job works
    qtbot.waitUntil(lambda: again.finished, timeout=30000)
    assert again.state == JobState.DONE and len(window.project.track_named("Melody").notes) == len(notes) + 4
    window.actions["undo"].trigger()
    assert window.project.track_named("Melody").notes == notes


def test_an_export_finishes_while_a_slow_engine_job_runs(window, qtbot, tmp_path):
    engine = slow_job(window, 20, 200)
    qtbot.waitUntil(lambda: engine.fraction > 0, timeout=30000)
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ExportDialog)
    dialog.folder.setText(str(tmp_path))
    dialog.name.setText("mix")
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "mix.wav").exists(), timeout=20000)
    assert engine.state == JobState.RUNNING
    window.jobs.cancel(engine)
    qtbot.waitUntil(lambda: engine.finished, timeout=10000)
    assert engine.state == JobState.CANCELLED


def test_the_device_setting_is_saved_and_given_to_engine_jobs(make_window, monkeypatch):
    window = make_window(settings=Settings())
    menu = next(a.menu() for a in window.engines_menu.actions() if a.menu() and a.text() == "Run engines on")
    labels = {a.text(): a for a in menu.actions()}
    assert labels["Auto (the GPU when there is one)"].isChecked()
    labels["CPU"].trigger()
    assert window.settings.device == "cpu" and Settings.load().device == "cpu"
    started = []
    monkeypatch.setattr(window, "run_job", lambda job, on_done=None: started.append(job) or job)
    from app.infill import InfillRequest
    from ui.actions import infill

    infill.start(window, InfillRequest(track_ids=(window.project.track_named("Melody").id,), bars=(1, 2)))
    assert isinstance(started[0].work, InWorker) and started[0].work.kwargs["device"] == "cpu"
    assert make_window(settings=Settings.load()).settings.device == "cpu"
