"""Drawing and erasing control curves with the mouse, checked on the project."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from app.project import Project
from tests.gui.conftest import drag


def lane_point(lane, seconds: float, value: float) -> QPointF:
    return QPointF(round(float(lane.axis.sec_to_x(seconds))), round(float(lane.value_to_y(value))))


def frame_at(lane, seconds: float) -> int:
    """The control frame under the pixel the mouse uses for ``seconds``."""
    return lane.x_to_frame(lane_point(lane, seconds, 0).x())


def test_pencil_draws_dynamics_into_the_project(make_window):
    window = make_window(Project(name="Empty", length_bars=8))
    lane = window.curves.lanes["dynamics"]
    assert np.isnan(window.project.curve("dynamics")).all()
    drag(lane, [lane_point(lane, 2.0, -10.0), lane_point(lane, 3.0, -20.0), lane_point(lane, 4.0, -30.0)])
    curve = window.project.curve("dynamics")
    a, b = frame_at(lane, 2.0), frame_at(lane, 4.0)
    drawn = curve[a:b + 1]
    assert np.isfinite(drawn).all()
    assert abs(drawn[0] + 10.0) < 0.6 and abs(drawn[-1] + 30.0) < 0.6
    assert np.all(np.diff(drawn) <= 1e-4), "a falling stroke gives a falling curve"
    assert np.isnan(curve[:a]).all() and np.isnan(curve[b + 1:]).all()
    assert window.model.document.undo_stack.undo_label.startswith("Draw curve")


def test_eraser_makes_frames_unspecified_and_undo_restores(window):
    lane = window.curves.lanes["dynamics"]
    before = window.project.curve("dynamics")
    a, b = frame_at(lane, 1.0), frame_at(lane, 3.0)
    assert np.isfinite(before[a:b + 1]).all()
    QTest.keyClick(window, Qt.Key.Key_E)  # the eraser tool
    assert window.curve_tools.tool == "eraser"
    drag(lane, [lane_point(lane, 1.0, -20), lane_point(lane, 2.0, -20), lane_point(lane, 3.0, -20)])
    after = window.project.curve("dynamics")
    assert np.isnan(after[a:b + 1]).all()
    np.testing.assert_array_equal(after[:a], before[:a])
    np.testing.assert_array_equal(after[b + 1:], before[b + 1:])
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(window.project.curve("dynamics"), before)


def test_right_drag_erases_whatever_the_tool(window):
    lane = window.curves.lanes["rhythm"]
    assert np.isfinite(window.project.curve("rhythm")[frame_at(lane, 8.0):frame_at(lane, 10.0)]).all()
    drag(lane, [lane_point(lane, 8.0, 4), lane_point(lane, 10.0, 4)], button=Qt.MouseButton.RightButton)
    assert np.isnan(window.project.curve("rhythm")[frame_at(lane, 8.0):frame_at(lane, 10.0) + 1]).all()


def test_line_tool_draws_a_semitone_ramp_on_melody(make_window):
    window = make_window(Project(name="Empty", length_bars=8))
    window.actions["line"].trigger()
    lane = window.curves.lanes["melody"]
    drag(lane, [lane_point(lane, 1.0, 60), lane_point(lane, 2.0, 66), lane_point(lane, 3.0, 72)])
    curve = window.project.curve("melody")
    span = curve[frame_at(lane, 1.0):frame_at(lane, 3.0) + 1]
    assert np.isfinite(span).all()
    assert span[0] == 60 and span[-1] == 72
    np.testing.assert_array_equal(span, np.round(span))  # whole semitones
    assert np.all(np.diff(span) >= 0)


def test_unspecified_and_specified_spans_look_different(window):
    lane = window.curves.lanes["dynamics"]
    image = lane.grab().toImage()
    fr = 44100 / 512
    n = window.project.n_frames
    specified_x = int(lane.axis.sec_to_x(0.2 * n / fr))
    unspecified_x = int(lane.axis.sec_to_x(0.7 * n / fr))
    y = 3
    assert image.pixelColor(specified_x, y) != image.pixelColor(unspecified_x, y)
