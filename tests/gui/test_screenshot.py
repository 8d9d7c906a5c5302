"""The README's pictures, taken on a 1366x768 laptop screen, each checked for what it must show.

Set PARTITA_SCREENSHOT_DIR=resources/screenshots to write them where the README reads them
(main-window.png, infill-dialog.png, infill-variations.png, generate.png, command-bar.png);
otherwise they go to the test's tmp dir.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.document import Document
from app.project import Project
from app.settings import Settings
from tests.gui.factory import demo_project

LAPTOP = QSize(1366, 768)
"""The window fills a 1366x768 screen (maximised, no title bar: as the README shows it)."""


def demo_document() -> Document:
    import resources

    path = resources.ROOT / "demo" / "demo.partita"
    return Document.open(path) if path.is_file() else Document(demo_project())


def folder(tmp_path: Path) -> Path:
    out = Path(os.environ.get("PARTITA_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def laptop_window(qtbot, document: Document):
    from ui.main_window import MainWindow

    window = MainWindow(document, Settings())
    qtbot.addWidget(window)
    window.resize(LAPTOP)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.player._have_stems, timeout=60000)  # the audio is rendered
    qtbot.wait(100)
    return window


def save(image, path: Path) -> Path:
    assert image.width() == LAPTOP.width() and image.height() == LAPTOP.height(), image.size()
    assert image.save(str(path)) and path.stat().st_size > 20_000
    return path


def colors_in(widget) -> int:
    shot = widget.grab().toImage()
    step = 3
    return len({shot.pixel(x, y) for x in range(0, shot.width(), step) for y in range(0, shot.height(), step)})


def test_screenshot_of_the_demo_shows_every_view(qtbot, answers, tmp_path):
    window = laptop_window(qtbot, demo_document())
    project = window.project
    assert window.windowTitle() == f"Partita — {project.name}"
    assert len(window.track_list.headers) == len(project.tracks) >= 4
    roll = window.editor.roll
    assert roll.track() is not None and len(roll.index()) > 0
    assert any(len(project.curves.get(n, [])) for n in ("melody", "dynamics", "rhythm"))
    save(window.grab().toImage(), folder(tmp_path) / "main-window.png")
    for widget in (window.track_list, roll, window.curves, window.ruler):
        assert colors_in(widget) > 6, f"{type(widget).__name__} looks empty"
    from ui import theme

    velocity = window.editor.velocity.grab().toImage()
    stem_color = theme.track_color(roll.track()).rgb()
    stems = sum(velocity.pixel(x, y) == stem_color for x in range(velocity.width())
                for y in range(0, velocity.height(), 3))
    assert stems > 50, "the velocity lane shows the notes' velocities"
    melody = project.midi_tracks()[0]
    lane_image = window.track_list.lanes[melody.id].grab().toImage()
    clip = QColor(lane_image.pixel(int(window.axis.tick_to_x(melody.notes[0].start)) + 2, 4))
    assert clip != QColor(lane_image.pixel(lane_image.width() - 3, 4))
    window.close()


def test_screenshot_of_an_infill_with_variations(qtbot, answers, tmp_path):
    """The Infill dialog, then the window with three variations looping (README pictures)."""
    from app.infill import InfillRequest
    from ui.actions import infill as action

    window = laptop_window(qtbot, demo_document())
    lead = window.project.track_named("Lead")
    window.model.select_track(lead.id)
    dialog = action.InfillDialog(window)
    dialog.first.setValue(3)
    dialog.last.setValue(6)
    dialog.variations.setValue(3)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().toImage().save(str(folder(tmp_path) / "infill-dialog.png"))
    request = dialog.request()
    dialog.close()
    before = list(lead.notes)
    action.start(window, request)
    qtbot.waitUntil(lambda: any(isinstance(w, action.VariationPicker) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=120000)
    picker = next(w for w in QApplication.topLevelWidgets() if isinstance(w, action.VariationPicker))
    assert window.project.track_named("Lead").notes != before  # variation 1 is in the project
    qtbot.waitUntil(lambda: picker.renders is not None, timeout=120000)
    picker.list.setCurrentRow(1)
    picker.play.click()
    qtbot.waitUntil(lambda: not window.jobs_dock.isVisible(), timeout=20000)
    qtbot.wait(200)
    assert window.player.auditioning is not None
    shot = window.grab().toImage()
    painter = QPainter(shot)
    painter.drawImage(shot.width() - picker.width() - 24, 96, picker.grab().toImage())
    painter.end()
    save(shot, folder(tmp_path) / "infill-variations.png")
    picker.reject()
    assert sorted(window.project.track_named("Lead").notes, key=lambda n: n.start) == \
        sorted(before, key=lambda n: n.start)


def test_screenshot_of_generate_following_drawn_curves(qtbot, answers, tmp_path):
    """A melody drawn over bars 1-6, dynamics up over four bars and down over the last two,
    the prompt "gentle, strings and piano", then Generate (the README's caption)."""
    from tests.gui.conftest import drag
    from tests.gui.test_curves import lane_point

    window = laptop_window(qtbot, Document(Project(name="Sketch", length_bars=8)))  # 2 s a bar
    melody, dynamics = window.curves.lanes["melody"], window.curves.lanes["dynamics"]
    drag(melody, [lane_point(melody, 0.1, 62), lane_point(melody, 1.9, 62), lane_point(melody, 2.0, 65),
                  lane_point(melody, 3.9, 65), lane_point(melody, 4.0, 69), lane_point(melody, 7.9, 69),
                  lane_point(melody, 8.0, 67), lane_point(melody, 9.9, 67), lane_point(melody, 10.0, 65),
                  lane_point(melody, 11.9, 62)])
    window.actions["line"].trigger()
    drag(dynamics, [lane_point(dynamics, 0.1, -30), lane_point(dynamics, 8.0, -3)])
    drag(dynamics, [lane_point(dynamics, 12.0, -3), lane_point(dynamics, 15.9, -24)])
    panel = window.generate_panel
    qtbot.keyClicks(panel.prompt, "gentle, strings and piano")
    QTest.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.button.text() == "Generate" and not window.jobs.runner.active(),
                    timeout=180000)
    assert len(window.project.tracks) >= 3 and sum(len(t.notes) for t in window.project.midi_tracks()) > 30
    qtbot.waitUntil(lambda: not window.jobs_dock.isVisible(), timeout=20000)  # all went well
    qtbot.wait(300)
    save(window.grab().toImage(), folder(tmp_path) / "generate.png")


def test_screenshot_of_the_command_bar_planning(qtbot, answers, tmp_path):
    from ui.actions.instruct import command_bar

    window = laptop_window(qtbot, demo_document())
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    bar = command_bar(window)
    qtbot.waitUntil(bar.isVisible)
    qtbot.keyClicks(bar.input, "remove the drums, add a walking bass in bars five to eight "
                               "and make the last 2 bars softer")
    qtbot.waitUntil(lambda: bar.steps.count() >= 3, timeout=20000)
    qtbot.wait(100)
    assert bar.steps.item(0).text() == "1. Remove track Drums"
    save(window.grab().toImage(), folder(tmp_path) / "command-bar.png")
