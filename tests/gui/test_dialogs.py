"""Dialogs as a user sees them: check boxes that show on the dark theme, and names that follow
the file the project was saved as."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QStyleOptionButton, QStyleOptionViewItem

from ui.actions import infill as action

MIN_CONTRAST = 60
"""Luminance steps (of 255) between a check box's outline and what is around it."""


def luminance(rgb: int) -> float:
    color = QColor(rgb)
    return 0.2126 * color.red() + 0.7152 * color.green() + 0.0722 * color.blue()


def outline_contrast(image: QImage, box: QRect, around: QColor) -> float:
    """The largest luminance difference between the box's outer two pixels and ``around``."""
    ring = [(x, y) for x in range(box.left(), box.right() + 1) for y in range(box.top(), box.bottom() + 1)
            if min(x - box.left(), box.right() - x, y - box.top(), box.bottom() - y) < 2]
    base = luminance(around.rgb())
    return max(abs(luminance(image.pixel(x, y)) - base) for x, y in ring)


def test_export_check_boxes_show_ticked_or_not(window, qtbot):
    dialog = window.files.export_dialog()
    qtbot.waitExposed(dialog)
    dialog.stems.setChecked(False)
    dialog.midi.setChecked(True)
    for box in (dialog.midi, dialog.stems):
        option = QStyleOptionButton()
        box.initStyleOption(option)
        indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        image = box.grab().toImage()
        around = dialog.palette().color(dialog.backgroundRole())
        assert outline_contrast(image, indicator, around) >= MIN_CONTRAST, \
            f"the {'ticked' if box.isChecked() else 'unticked'} box of {box.text()!r} is hard to see"
    dialog.reject()


def test_infill_track_check_boxes_show(window, qtbot):
    dialog = action.InfillDialog(window)
    dialog.show()
    qtbot.waitExposed(dialog)
    tracks = dialog.tracks
    image = tracks.viewport().grab().toImage()
    around = tracks.viewport().palette().color(tracks.viewport().backgroundRole())
    for row in range(tracks.count()):
        item = tracks.item(row)
        option = QStyleOptionViewItem()
        option.initFrom(tracks)
        option.rect = tracks.visualItemRect(item)
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        indicator = tracks.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tracks)
        assert outline_contrast(image, indicator, around) >= MIN_CONTRAST, f"{item.text()}'s box is hard to see"
    dialog.reject()


def test_after_save_as_the_project_and_its_export_are_named_after_the_file(window, qtbot, tmp_path,
                                                                            monkeypatch):
    target = tmp_path / "Night drive.partita"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.files.save_as()
    assert window.windowTitle() == "Partita — Night drive"
    dialog = window.files.export_dialog()
    assert dialog.name.text() == "Night drive"
    dialog.folder.setText(str(tmp_path))
    dialog.stems.setChecked(False)
    dialog.mix.setChecked(False)
    job = window.files.export(dialog)
    dialog.reject()
    assert job.title == "Export Night drive"
    qtbot.waitUntil(lambda: job.finished, timeout=20000)
    assert (tmp_path / "Night drive.mid").is_file()
    QApplication.processEvents()


def test_spin_box_arrows_show(window, qtbot):
    """The bars, seed and variations spin boxes show which way their buttons step (under the
    style sheet Fusion drew the buttons as empty dark boxes)."""
    from PySide6.QtWidgets import QStyleOptionSpinBox

    dialog = action.InfillDialog(window)
    dialog.show()
    qtbot.waitExposed(dialog)
    spin = dialog.variations
    spin.setValue(2)  # both ways open
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    image = spin.grab().toImage()
    around = luminance(spin.palette().color(spin.backgroundRole()).rgb())
    for control in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        button = spin.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, control, spin)
        bright = sum(luminance(image.pixel(x, y)) - around >= MIN_CONTRAST
                     for x in range(button.left(), button.right() + 1)
                     for y in range(button.top(), button.bottom() + 1))
        assert bright >= 6, f"the {control.name} arrow is hard to see"
    dialog.reject()
