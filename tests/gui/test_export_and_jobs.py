"""The export dialog writes real files; the jobs panel runs, cancels and survives jobs."""
from __future__ import annotations

import threading

import soundfile as sf
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.commands import SetProjectProps
from app.jobs import Job, JobState
from app.midi_io import read_midi
from ui.export_dialog import ExportDialog
from ui.jobs_panel import JobRow


def test_export_through_the_dialog(window, qtbot, tmp_path):
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.folder.setText(str(tmp_path))
    dialog.name.setText("take one")
    dialog.stems.setChecked(True)
    dialog.rate.setCurrentIndex(1)   # 48000 Hz
    dialog.depth.setCurrentIndex(0)  # 16-bit
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "take one.wav").exists(), timeout=20000)
    qtbot.waitUntil(lambda: not window.jobs.runner.active(), timeout=20000)

    content = read_midi(tmp_path / "take one.mid")
    assert sorted(len(t.notes) for t in content.tracks) == sorted(len(t.notes) for t in window.project.midi_tracks())
    assert content.key == "D:minor"
    info = sf.info(str(tmp_path / "take one.wav"))
    assert (info.samplerate, info.channels, info.subtype) == (48000, 2, "PCM_16")
    assert window.project.duration - 0.01 < info.duration < window.project.duration + 3  # release tails
    stems = sorted(p.name for p in (tmp_path / "take one stems").iterdir())
    assert stems == [f"{i:02d} {t.name}.wav" for i, t in enumerate(window.project.tracks, start=1)]
    mix = sf.read(tmp_path / "take one.wav", always_2d=True)[0]
    total = sum(sf.read(tmp_path / "take one stems" / name, always_2d=True)[0] for name in stems)
    assert total.shape == mix.shape
    assert abs(total - mix).max() < 16 / 32768, "16-bit stems sum to the mix (within dither)"
    assert abs(mix).max() > 0.01


def test_a_job_shows_progress_and_cancels(window, qtbot):
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        for step in range(1000):
            progress(step / 1000, f"step {step}")
            cancel.check()
            threading.Event().wait(0.01)
        return SetProjectProps(name="should not happen")

    job = window.run_job(Job("Slow test job", work))
    assert window.jobs_dock.isVisible()
    started.wait(5)
    qtbot.waitUntil(lambda: job.id in window.jobs_panel.rows and job.fraction > 0, timeout=5000)
    row: JobRow = window.jobs_panel.rows[job.id]
    qtbot.waitUntil(lambda: row.bar.value() > 0, timeout=5000)
    QTest.mouseClick(row.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.state.text() == "cancelled", timeout=5000)
    assert job.state == JobState.CANCELLED
    assert window.project.name == "Demo"
    assert not window.model.modified


def test_a_job_result_is_one_undo_step_and_a_crash_is_a_message(window, qtbot):
    done = window.run_job(Job("Rename", lambda progress, cancel: SetProjectProps(name="Renamed")))
    qtbot.waitUntil(lambda: window.project.name == "Renamed", timeout=5000)
    assert done.state == JobState.DONE
    assert window.windowTitle() == "Partita — Renamed"
    window.model.undo()
    assert window.project.name == "Demo"

    def crash(progress, cancel):
        raise RuntimeError("engine exploded")

    failed = window.run_job(Job("Crashing engine", crash))
    qtbot.waitUntil(lambda: failed.finished, timeout=5000)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    assert "engine exploded" in window.banner.text()
    assert failed.state == JobState.FAILED and window.project.name == "Demo"
    assert window.jobs_panel.rows[failed.id].state.text() == "failed"


def test_engine_actions_register_in_the_engines_menu(window, qtbot):
    ran = []
    action = window.add_engine_action("Test engine…", lambda: ran.append(True), shortcut="Ctrl+Alt+T",
                                      tip="Run the test engine", toolbar=True)
    assert action in window.engines_menu.actions() and not window.engines_hint.isVisible()
    assert "Ctrl+Alt+T" in action.toolTip()
    assert window.engine_toolbar.isVisibleTo(window)
    action.trigger()
    assert ran == [True]


def test_the_span_engines_read_is_the_loop_region(window):
    window.model.push(SetProjectProps(loop_start=1920, loop_end=5760, loop_enabled=True))
    assert window.selected_span() == (1920, 5760)
    window.model.undo()
    assert window.selected_span() is None
