"""What the window says: tooltips name the right keys, the shortcut list is complete, an action
that asks first ends in "…" on its button, and track headers are not clipped."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.test_screenshot import demo_document


def _key(action) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def test_curve_lane_tooltips_name_each_tool_by_its_own_key(window):
    for lane in window.curves.lanes.values():
        tip = lane.toolTip()
        for name in ("pencil", "line", "eraser"):
            action = window.actions[name]
            assert f"{_key(action)} {name}" in tip, f"{name} is {_key(action)}: {tip!r}"


def test_the_shortcut_list_has_every_shortcut_including_engine_actions(window, qtbot):
    window.show_shortcuts()
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    text = box.text()
    box.close()
    for action in [*window.actions.values(), *window.engines_menu.actions()]:
        if not action.shortcut().isEmpty():
            assert _key(action) in text and action.text().replace("&", "") in text, action.text()
    assert "Ctrl+Shift+I" in text and "Infill" in text


def test_engine_buttons_keep_the_ellipsis_of_actions_that_ask_first(window):
    texts = [window.engine_toolbar.widgetForAction(a).text() for a in window.engine_toolbar.actions()]
    assert "Extract controls from…" in texts and "Infill…" in texts, texts


def test_an_audio_track_header_shows_its_length_unclipped(make_window):
    window = make_window(demo_document().project)
    audio = next(t for t in window.project.tracks if t.kind == "audio")
    info = window.track_list.headers[audio.id].audio_info
    seconds = audio.seconds(window.project.sample_rate)
    assert f"{int(seconds // 60)}:{seconds % 60:04.1f}" in info.text()
    assert info.fontMetrics().horizontalAdvance(info.text()) <= info.contentsRect().width(), \
        f"{info.text()!r} is clipped to {info.contentsRect().width()} px"
