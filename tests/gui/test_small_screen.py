"""The window on a 1366x768 laptop: it fits with the longest messages the app shows, engine
buttons that do not fit go behind a chevron, and the Jobs panel never makes the window grow."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from app.jobs import Job
from tests.gui.factory import demo_project

LAPTOP = QSize(1366, 768)
CLIENT = QSize(1366, 768 - 27 - 37)
"""What a window gets inside its frame on a 1366x768 screen at 100% scale: a desktop's top
bar (27 px) and the window's title bar (37 px) taken off the height."""
LONG_SOUNDFONT = ("My favourite General MIDI SoundFont for orchestral sketches (2 GB, do not delete) "
                  "v3.0 final.sf2")
MORE_ENGINES = ("Generate a band…", "Separate stems…", "Transcribe to MIDI…", "Edit by instruction…",
                "Humanise timing…", "Render stems…")


@pytest.fixture
def long_soundfont(tmp_path, monkeypatch):
    """A SoundFont that cannot be used and has a very long name: the renderer says so at length."""
    path = tmp_path / "fonts" / LONG_SOUNDFONT
    path.parent.mkdir()
    path.write_bytes(b"RIFF\x10\x00\x00\x00sfbk not really a soundfont")
    monkeypatch.setenv("PARTITA_SOUNDFONT", str(path))
    return path


def _long_job(window, qtbot) -> Job:
    """A job with a long title whose progress message is a long sentence, left running."""
    def work(progress, cancel):
        progress(0.3, "reading /home/someone/Music/Sessions/2024/Band rehearsal take 14 (full mix, "
                      "unmastered, 24-bit 96 kHz).wav block 12 of 340")
        while not cancel.cancelled:
            time.sleep(0.02)
        cancel.check()

    job = window.run_job(Job("Extract controls from Band rehearsal take 14 (full mix, unmastered, "
                             "24-bit 96 kHz).wav", work))
    qtbot.waitUntil(lambda: job.message.startswith("reading"), timeout=5000)
    return job


def _fill_with_long_messages(window, qtbot, long_soundfont) -> Job:
    for text in MORE_ENGINES:
        window.add_engine_action(text, lambda: None, toolbar=True, tip=text)
    qtbot.waitUntil(lambda: "not used" in window.player.status, timeout=30000)
    QApplication.processEvents()
    window.show_error(f"Could not save {long_soundfont.parent}/a/very/deep/folder/with/a/long/"
                      "name/that/cannot/be/broken/at/spaces/Song_final_final_v12_mastered.partita: "
                      "[Errno 28] No space left on device")
    job = _long_job(window, qtbot)
    QApplication.processEvents()
    return job


def test_the_window_fits_a_laptop_with_the_longest_messages(make_window, qtbot, long_soundfont):
    window = make_window(demo_project(bars=2))
    job = _fill_with_long_messages(window, qtbot, long_soundfont)
    assert window.jobs_dock.isVisible()
    hint = window.minimumSizeHint()
    assert hint.width() <= CLIENT.width() and hint.height() <= CLIENT.height(), \
        f"the window cannot shrink below {hint.width()}x{hint.height()}"
    window.resize(CLIENT)
    QApplication.processEvents()
    assert window.size() == CLIENT
    note = window.transport.note
    assert note.toolTip() == window.player.status and LONG_SOUNDFONT in note.toolTip(), \
        "the whole story is in the tooltip"
    assert "not used" in note.text(), "the gist keeps what happened"
    assert note.geometry().right() <= window.transport.width()
    job.cancel()


def _reachable(window, action, screen: QSize) -> str:
    """"button" when the action's toolbar button lies inside the window and on a screen of size
    ``screen``, "chevron" when it is in the toolbar's overflow menu, else ""."""
    bar = window.engine_toolbar
    button = bar.widgetForAction(action)
    if button is not None and button.isVisible():
        top_left = button.mapTo(window, QPoint(0, 0))
        if QRect(QPoint(0, 0), window.size().boundedTo(screen)).contains(QRect(top_left, button.size())):
            return "button"
    chevron = bar.findChild(QToolButton, "qt_toolbar_ext_button")
    if chevron is None or not chevron.isVisible():
        return ""
    shown: list[QAction] = []

    def look_and_close() -> None:  # runs inside the popup menu's own event loop
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            shown.extend(menu.actions())
            menu.close()

    QTimer.singleShot(50, look_and_close)
    chevron.click()  # opens the overflow menu (a popup with its own event loop)
    found = action in shown
    return "chevron" if found else ""


def test_engine_buttons_that_do_not_fit_overflow_into_a_chevron(make_window, qtbot, long_soundfont):
    window = make_window(demo_project(bars=2))
    job = _fill_with_long_messages(window, qtbot, long_soundfont)
    window.resize(CLIENT)
    QApplication.processEvents()
    actions = [a for a in window.engine_toolbar.actions() if a.isVisible()]
    where = {a.text(): _reachable(window, a, CLIENT) for a in actions}
    assert all(where.values()), f"engine actions out of reach: {where}"
    assert "chevron" in where.values(), "with eight engines on a laptop some go behind the chevron"
    window.resize(QSize(1920, 1000))
    QApplication.processEvents()
    wide = {a.text(): _reachable(window, a, window.size()) for a in actions}
    assert all(wide.values())
    assert list(wide.values()).count("button") > list(where.values()).count("button"), \
        "a wider window gives buttons back from the chevron"
    job.cancel()


def test_the_jobs_panel_never_makes_the_window_grow(make_window, qtbot, long_soundfont):
    window = make_window(demo_project(bars=2))
    job = _fill_with_long_messages(window, qtbot, long_soundfont)
    window.resize(CLIENT)
    QApplication.processEvents()
    for _ in range(3):
        window.actions["jobs"].trigger()
        QApplication.processEvents()
        assert window.size() == CLIENT
    job.cancel()


def test_long_names_elide_in_the_piano_roll_header_and_the_curve_legend(make_window, qtbot):
    from app.commands import SetTrackProps

    window = make_window()
    window.resize(CLIENT)
    melody = window.project.track_named("Melody")
    window.model.select_track(melody.id)
    window.model.push(SetTrackProps(melody.id, name="Lead synth doubled an octave up with a slow "
                                    "attack for the second chorus only (take 3)"))
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= CLIENT.width()
    assert window.size() == CLIENT


def test_a_jobs_panel_that_opened_by_itself_gives_the_room_back(window, qtbot, monkeypatch):
    import ui.main_window as main_window

    monkeypatch.setattr(main_window, "JOBS_LINGER_MS", 50)
    job = window.run_job(Job("Quick", lambda progress, cancel: None))
    assert window.jobs_dock.isVisible()
    qtbot.waitUntil(lambda: job.finished and not window.jobs_dock.isVisible(), timeout=5000)
    failing = window.run_job(Job("Broken", lambda progress, cancel: 1 / 0))
    qtbot.waitUntil(lambda: failing.finished, timeout=5000)
    qtbot.wait(200)
    assert window.jobs_dock.isVisible(), "a failure stays in view"
    window.actions["jobs"].trigger()
    assert not window.jobs_dock.isVisible()
    window.actions["jobs"].trigger()
    qtbot.wait(200)
    assert window.jobs_dock.isVisible(), "opened by the user: it stays"


def test_a_finished_job_leaves_no_progress_in_the_status_bar(window, qtbot):
    import threading

    reported, go_on = threading.Event(), threading.Event()

    def work(progress, cancel):
        progress(0.5, "rendering Guitar (audio)")
        reported.set()
        go_on.wait(10)

    job = window.run_job(Job("Prepare", work))
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Prepare: rendering Guitar (audio)",
                    timeout=10000)
    go_on.set()
    qtbot.waitUntil(lambda: job.finished, timeout=10000)
    qtbot.wait(100)
    assert "rendering" not in window.statusBar().currentMessage(), "the job is over"
