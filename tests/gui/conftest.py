"""GUI test setup: offscreen Qt, HOME and XDG dirs in tmp, a window on the demo-like project."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QMessageBox, QWidget  # noqa: E402

from app.document import Document  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.gui.factory import demo_project  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def themed(qapp):
    """The app's own theme, so widgets (and the screenshot) look as they do for users."""
    from ui import theme

    theme.apply(qapp)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Settings, recovery copies and drag files go to a fresh tmp home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    return home


@pytest.fixture
def answers(monkeypatch):
    """What QMessageBox.question answers (default: discard unsaved changes); tests may change it."""
    state = {"answer": QMessageBox.StandardButton.Discard, "asked": []}

    def question(parent, title, text, *args, **kwargs):
        state["asked"].append(title)
        return state["answer"]

    monkeypatch.setattr(QMessageBox, "question", question)
    return state


@pytest.fixture
def make_window(qtbot, answers):
    from ui.main_window import MainWindow

    made = []

    def make(project=None, path=None, settings=None):
        window = MainWindow(Document(project or demo_project(), path), settings or Settings())
        qtbot.addWidget(window)
        window.resize(1600, 1000)
        window.show()
        qtbot.waitExposed(window)
        qtbot.wait(30)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


@pytest.fixture
def window(make_window):
    return make_window()


def point(p: QPointF | QPoint) -> QPoint:
    return p.toPoint() if isinstance(p, QPointF) else p


def drag(widget: QWidget, points, *, button=Qt.MouseButton.LeftButton,
         modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """Press at the first point, move through the rest, release at the last (real mouse events)."""
    points = [point(p) for p in points]
    QTest.mousePress(widget, button, modifiers, points[0])
    for p in points[1:]:
        QTest.mouseMove(widget, p)
    QTest.mouseRelease(widget, button, modifiers, points[-1])


def click(widget: QWidget, p, *, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier):
    QTest.mouseClick(widget, button, modifiers, point(p))
