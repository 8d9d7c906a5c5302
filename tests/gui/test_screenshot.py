"""A screenshot of the window on the demo project, with every view populated.

Set PARTITA_SCREENSHOT=/path/to/shot.png to keep it (the README's picture);
otherwise it goes to the test's tmp dir.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QColor

from app.document import Document
from app.settings import Settings
from tests.gui.factory import demo_project


def demo_document() -> Document:
    import resources

    path = resources.ROOT / "demo" / "demo.partita"
    return Document.open(path) if path.is_file() else Document(demo_project())


def test_screenshot_of_the_demo_shows_every_view(qtbot, answers, tmp_path):
    from ui.main_window import MainWindow

    window = MainWindow(demo_document(), Settings())
    qtbot.addWidget(window)
    window.resize(1920, 1080)  # a maximised window on a 1080p screen
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.player._have_stems, timeout=30000)  # the audio is rendered
    qtbot.wait(50)
    project = window.project
    assert window.windowTitle() == f"Partita — {project.name}"
    assert len(window.track_list.headers) == len(project.tracks) >= 4
    roll = window.editor.roll
    assert roll.track() is not None and len(roll.index()) > 0
    assert any(len(project.curves.get(n, [])) for n in ("melody", "dynamics", "rhythm"))

    out = Path(os.environ.get("PARTITA_SCREENSHOT") or tmp_path / "partita.png")
    out.parent.mkdir(parents=True, exist_ok=True)
    image = window.grab().toImage()
    assert image.save(str(out))
    assert out.stat().st_size > 20_000

    def colors_in(widget) -> int:
        shot = widget.grab().toImage()
        step = 7
        return len({shot.pixel(x, y) for x in range(0, shot.width(), step) for y in range(0, shot.height(), step)})

    for widget in (window.track_list, roll, window.curves, window.ruler):
        assert colors_in(widget) > 6, f"{type(widget).__name__} looks empty"
    from ui import theme

    velocity = window.editor.velocity.grab().toImage()
    stem_color = theme.track_color(roll.track()).rgb()
    stems = sum(velocity.pixel(x, y) == stem_color for x in range(velocity.width()) for y in range(0, velocity.height(), 3))
    assert stems > 50, "the velocity lane shows the notes' velocities"
    melody = project.midi_tracks()[0]
    lane_image = window.track_list.lanes[melody.id].grab().toImage()
    clip = QColor(lane_image.pixel(int(window.axis.tick_to_x(melody.notes[0].start)) + 2, 4))
    assert clip != QColor(lane_image.pixel(lane_image.width() - 3, 4))
    window.close()


def test_screenshot_of_an_infill_with_variations(qtbot, answers, tmp_path):
    """The Infill dialog, then the window with three variations to audition (README pictures)."""
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from app.infill import InfillRequest
    from ui.actions import infill as action
    from ui.main_window import MainWindow

    window = MainWindow(demo_document(), Settings())
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    lead = window.project.track_named("Lead")
    window.model.select_track(lead.id)
    folder = Path(os.environ.get("PARTITA_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    dialog = action.InfillDialog(window)
    dialog.first.setValue(3)
    dialog.last.setValue(6)
    dialog.variations.setValue(3)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().toImage().save(str(folder / "infill-dialog.png"))
    request = dialog.request()
    dialog.close()
    before = list(lead.notes)
    action.start(window, request)
    qtbot.waitUntil(lambda: any(isinstance(w, action.VariationPicker) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=60000)
    picker = next(w for w in QApplication.topLevelWidgets() if isinstance(w, action.VariationPicker))
    assert window.project.track_named("Lead").notes != before  # variation 1 is in the project
    qtbot.wait(100)
    shot = window.grab().toImage()
    painter = QPainter(shot)
    painter.drawImage(shot.width() - picker.width() - 40, 120, picker.grab().toImage())
    painter.end()
    out = folder / "infill-variations.png"
    assert shot.save(str(out)) and out.stat().st_size > 20_000
    picker.reject()
    assert sorted(window.project.track_named("Lead").notes, key=lambda n: n.start) == \
        sorted(before, key=lambda n: n.start)
