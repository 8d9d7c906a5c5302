"""The Partita window: transport, track list with stems, piano roll, curve lanes, jobs.

Every lane shares one ``TimeAxis`` (scroll, zoom, playhead) and starts at the
same x, after a header column of ``theme.HEADER_WIDTH``. Engine helpers add
their actions with ``add_engine_action`` and run their work with
``run_job`` (see ``ui.actions``).

Lifecycle: ``MainWindow(document, settings)`` -> ``show()`` ->
``files.offer_recovery()`` -> ... -> ``close()`` (asks to save, stops
playback and jobs, saves settings).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QResizeEvent
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QMainWindow, QScrollBar,
                               QSplitter, QVBoxLayout, QWidget)

from app.commands import AddTrack, Command
from app.document import Document
from app.jobs import Job, JobState
from app.project import MidiTrack, Project, Role
from app.settings import Settings
from ui import icons, theme
from ui.actions import install_all
from ui.curve_lane import CurveToolState
from ui.curves_pane import CurvesPane
from ui.audio_timing import GridDetector
from ui.dnd import TRACK_MIME, dropped_paths
from ui.document_model import DocumentModel
from ui.editor_pane import EditorPane
from ui.elided_label import WrappingLabel
from ui.file_actions import FileController
from ui.jobs_panel import JobsPanel, QtJobRunner
from ui import menus
from ui.menus import build_actions, build_menus
from ui.offer_bar import OfferBar
from ui.overflow_toolbar import OverflowToolBar
from ui.qt_player import QtPlayer
from ui.time_axis import TimeAxis
from ui.ruler import Ruler, toggle_loop
from ui.track_list import TrackList
from ui.transport import TransportBar

OnDone = Callable[[Any], "Command | None"]
DEFAULT_SIZE = QSize(1600, 1000)
JOBS_LINGER_MS = 4000
"""How long a Jobs panel that opened by itself stays after its jobs ended well."""
CURVES_SHARE, EDITOR_SHARE = 0.3, 0.36
"""Shares of the splitter's height the curve pane (at most) and the note editor get."""


class MainWindow(QMainWindow):
    def __init__(self, document: Document, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings.load()
        self.model = DocumentModel(document, self)
        self.axis = TimeAxis(self.model, self)
        self.jobs = QtJobRunner(self)
        self.player = QtPlayer(self.model, self.axis, self)
        self.player.follow = self.settings.follow_playhead
        self.curve_tools = CurveToolState(self)
        self.files = FileController(self)
        self.grid = GridDetector(self)
        self.track_list = TrackList(self.model, self.axis)
        self.drop_actions: dict[Qt.KeyboardModifier, Callable[[list[Path]], object]] = {}
        self.editor = EditorPane(self.model, self.axis, self.settings)
        self.actions = build_actions(self)
        self.editor.add_tool_buttons(self.actions)
        self.curves = CurvesPane(self.axis, self.curve_tools, self.actions)
        self.transport = TransportBar(self.model, self.axis, self.player, self.actions)
        self._build_layout()
        built = build_menus(self)
        self.recent_menu, self.engines_menu = built.recent, built.engines
        self.engines_hint = built.engines_hint
        self._build_engine_toolbar()
        self._connect()
        self.setAcceptDrops(True)
        self._initial_size()
        self._restore_state()
        self._update_title()
        for problem in install_all(self):
            self.show_error(problem)
        QTimer.singleShot(0, self._after_show)

    def _initial_size(self) -> None:
        """1600 x 1000, or the whole available area of a smaller screen (see ``show_on_screen``)."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None or screen.width() <= 0:
            self.resize(DEFAULT_SIZE)
        else:
            self.resize(DEFAULT_SIZE.boundedTo(screen.size()))

    def show_on_screen(self) -> None:
        """Show the window as the app starts: maximised on a screen smaller than 1600 x 1000 (a
        laptop) unless the user's last size was restored, else at that size."""
        screen = self.screen().availableGeometry() if self.screen() else None
        small = screen is not None and (screen.width() < DEFAULT_SIZE.width()
                                        or screen.height() < DEFAULT_SIZE.height())
        if small and not self.settings.window_geometry:
            self.setGeometry(screen)
            self.showMaximized()
        else:
            self.show()

    @property
    def project(self) -> Project:
        return self.model.project

    # -- construction --------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.transport)
        self.banner = WrappingLabel()
        self.banner.setStyleSheet(f"background: #4a2326; color: {theme.TEXT}; padding: 6px 12px;")
        self.banner.hide()
        self._banner_timer = QTimer(self, singleShot=True, interval=10000, timeout=self.banner.hide)
        outer.addWidget(self.banner)
        self.offers = OfferBar()
        outer.addWidget(self.offers)
        self.ruler = Ruler(self.axis)
        arrange = QWidget()
        box = QVBoxLayout(arrange)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addLayout(self._row(self._tracks_caption(), self.ruler))
        box.addWidget(self.track_list, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(arrange)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.curves)
        self.splitter.setSizes([400, 300, 250])
        self.splitter.splitterMoved.connect(self._panes_placed_by_user)
        self._user_panes = False
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self.hbar = QScrollBar(Qt.Orientation.Horizontal)
        outer.addLayout(self._row(QWidget(), self.hbar))
        self.setCentralWidget(central)
        self.modified_label = QLabel()
        self.modified_label.setToolTip("Unsaved changes (Ctrl+S saves)")
        self.statusBar().addPermanentWidget(self.modified_label)
        self.jobs_panel = JobsPanel(self.jobs)
        self.jobs_dock = QDockWidget("Jobs", self)
        self.jobs_dock.setObjectName("JobsDock")
        self.jobs_dock.setWidget(self.jobs_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_dock)
        self.jobs_dock.hide()
        self._jobs_shown_for_job = False
        """The Jobs panel opened by itself for a job (and will close again when all went well)."""
        self._progress_shown = ""
        """The job progress the status bar shows (cleared when that job ends)."""

    def _panes_placed_by_user(self, *_args: int) -> None:
        self._user_panes = True

    def _fit_panes(self) -> None:
        """Share the height between tracks, note editor and curves as the window's size changes:
        the curves up to their full height but at most ``CURVES_SHARE``, the editor
        ``EDITOR_SHARE``, the tracks the rest; once the user drags a handle, theirs is kept."""
        total = sum(self.splitter.sizes())
        if self._user_panes or total <= 0:
            return
        curves = min(self.curves.sizeHint().height(), round(total * CURVES_SHARE))
        editor = max(self.editor.minimumSizeHint().height(), round(total * EDITOR_SHARE))
        self.splitter.setSizes([total - curves - editor, editor, curves])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_panes)  # once the layout has given the splitter its height

    def _row(self, header: QWidget, lane: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(0)
        header.setFixedWidth(theme.HEADER_WIDTH)
        row.addWidget(header)
        row.addWidget(lane, 1)
        gutter = QWidget()
        gutter.setFixedWidth(theme.GUTTER_WIDTH)
        row.addWidget(gutter)
        return row

    def _tracks_caption(self) -> QWidget:
        caption = QLabel("  Tracks")
        caption.setObjectName("PaneTitle")
        caption.setFixedHeight(theme.RULER_HEIGHT)
        caption.setStyleSheet(f"background: {theme.PANEL}; border-bottom: 1px solid {theme.BORDER};")
        return caption

    def _build_engine_toolbar(self) -> None:
        """The engines' buttons, in the transport row; those that do not fit go behind a chevron."""
        self.engine_toolbar = OverflowToolBar("Engines", self)
        self.engine_toolbar.setObjectName("EngineToolbar")
        self.transport.add_tools(self.engine_toolbar)
        self.engine_toolbar.hide()

    def _connect(self) -> None:
        model = self.model
        model.error.connect(self.show_error)
        self.editor.roll.told.connect(self.show_message)
        model.modified_changed.connect(lambda _m: self._update_title())
        model.meta_changed.connect(self._update_title)
        model.document_replaced.connect(self._document_replaced)
        model.undo_changed.connect(self._update_undo)
        model.meta_changed.connect(self._sync_loop_action)
        self.ruler.seek_requested.connect(self.player.seek)
        self.player.playing_changed.connect(self._playing_changed)
        self.axis.changed.connect(self._sync_hbar)
        model.meta_changed.connect(self._sync_hbar)
        model.tracks_changed.connect(self._sync_hbar)
        self.hbar.valueChanged.connect(lambda v: self.axis.set_view(v / self.axis.pps))
        self.jobs.updated.connect(self._job_updated)
        self._update_undo()
        self._sync_loop_action()

    def _after_show(self) -> None:
        self.zoom_to_fit()
        self.editor.roll.reveal_track()
        self.editor.roll.setFocus()
        self.player.probe_device()
        self.player.start_rendering()

    def _restore_state(self) -> None:
        s = self.settings
        if s.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(s.window_geometry.encode()))
        if s.splitter_state:
            self._user_panes = self.splitter.restoreState(QByteArray.fromBase64(s.splitter_state.encode()))

    # -- engine API (see ui.actions) -----------------------------------------------------------------------
    def add_engine_action(self, text: str, callback: Callable[[], None], *, shortcut: str | None = None,
                          tip: str = "", toolbar: bool = False) -> QAction:
        """Add an entry to the Engines menu (and the engine toolbar); returns the QAction."""
        action = menus.make_action(self, text, callback, shortcut=shortcut, tip=tip or text)
        action.setIconText(text.replace("&", ""))  # a toolbar button keeps the "…" of a dialog
        self.engines_hint.setVisible(False)
        self.engines_menu.addAction(action)
        if toolbar:
            self.engine_toolbar.addAction(action)
            self.engine_toolbar.show()
        return action

    def add_drop_action(self, modifier: Qt.KeyboardModifier, callback: Callable[[list[Path]], object]) -> None:
        """Files dropped with ``modifier`` held go to ``callback`` instead of being imported."""
        self.drop_actions[modifier] = callback

    def selected_span(self) -> tuple[int, int] | None:
        """The span the user marked (the loop region in the ruler), as ticks [start, end), or None."""
        project = self.project
        return (project.loop_start, project.loop_end) if project.loop_end > project.loop_start else None

    def run_job(self, job: Job, on_done: OnDone | None = None) -> Job:
        """Run ``job`` on a worker thread, shown in the jobs panel with progress and cancel.

        When it succeeds, ``on_done(result)`` runs on the GUI thread; if it returns a
        ``Command`` (or if ``on_done`` is None and the result is a ``Command``), that
        command is pushed as one undo step. A failure shows its message; the project
        is untouched.
        """
        def finished(done: Job) -> None:
            if done.state != JobState.DONE:
                if done.state == JobState.FAILED:
                    self.show_error(f"{done.title} failed: {done.error}")
                return
            try:
                command = on_done(done.result) if on_done is not None else done.result
            except Exception as exc:  # a broken result handler must not crash the window
                self.show_error(f"{done.title}: could not apply the result ({exc})")
                return
            if isinstance(command, Command) and self.model.push(command):
                self.show_message(f"{done.title}: done ({command.label}; Ctrl+Z undoes it)")

        if self.jobs_dock.isHidden():
            self.jobs_dock.show()
            self._jobs_shown_for_job = True
        return self.jobs.submit(job, finished)

    # -- window verbs ------------------------------------------------------------------------------------
    def show_message(self, text: str, msec: int = 6000) -> None:
        self.statusBar().showMessage(text, msec)

    def show_error(self, text: str) -> None:
        """Show a problem as a message (a banner over the lanes, wrapped to the window's width
        even inside a long file path, and the status bar)."""
        self.banner.setText("⚠  " + text)
        self.banner.show()
        self._banner_timer.start()
        self.statusBar().showMessage(text, 10000)

    def zoom_to_fit(self) -> None:
        self.axis.fit(max(200, self.ruler.width()))

    def toggle_loop(self) -> None:
        toggle_loop(self.axis)

    def set_follow(self) -> None:
        self.settings.follow_playhead = self.player.follow = self.actions["follow"].isChecked()

    def toggle_jobs(self) -> None:
        self._jobs_shown_for_job = False  # the user's choice stands
        self.jobs_dock.setVisible(not self.jobs_dock.isVisible())

    def _hide_jobs_when_all_went_well(self) -> None:
        """A Jobs panel that opened by itself closes ``JOBS_LINGER_MS`` after the last job ends
        well, giving the room back (a failure keeps it open, and so does the user's Ctrl+J)."""
        if self._jobs_shown_for_job and not self.jobs.runner.active():
            self._jobs_shown_for_job = False
            self.jobs_dock.hide()

    def add_midi_track(self) -> None:
        track = MidiTrack(self.project.unique_name("MIDI"), role=Role.OTHER,
                          color=theme.free_color(self.project))
        if self.model.push(AddTrack(track)):
            self.model.select_track(track.id)

    def fill_recent_menu(self) -> None:
        menus.fill_recent_menu(self)

    def show_shortcuts(self) -> None:
        menus.show_shortcuts(self)

    def show_about(self) -> None:
        menus.show_about(self)

    # -- model reactions ---------------------------------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"Partita — {self.project.name}")
        self.modified_label.setText("● unsaved changes" if self.model.modified else "saved")

    def _update_undo(self) -> None:
        stack = self.model.document.undo_stack
        self.actions["undo"].setEnabled(stack.can_undo)
        self.actions["redo"].setEnabled(stack.can_redo)
        self.actions["undo"].setText(f"&Undo {stack.undo_label or ''}".strip())
        self.actions["redo"].setText(f"&Redo {stack.redo_label or ''}".strip())

    def _sync_loop_action(self) -> None:
        self.actions["loop"].setChecked(self.project.loop_enabled)

    def _document_replaced(self) -> None:
        self._update_title()
        self._update_undo()
        self._sync_loop_action()
        self.player.seek(0.0)
        QTimer.singleShot(0, self.zoom_to_fit)

    def _playing_changed(self, playing: bool) -> None:
        self.actions["play"].setText("Stop" if playing else "Play")
        self.actions["play"].setIcon(icons.stop() if playing else icons.play())

    def _sync_hbar(self) -> None:
        axis = self.axis
        total = int(axis.total_seconds() * axis.pps)
        self.hbar.blockSignals(True)
        self.hbar.setRange(0, max(0, total - axis.view_width))
        self.hbar.setPageStep(axis.view_width)
        self.hbar.setSingleStep(max(1, axis.view_width // 20))
        self.hbar.setValue(round(axis.start * axis.pps))
        self.hbar.blockSignals(False)

    def _job_updated(self, job: Job) -> None:
        bar = self.statusBar()
        if job.state == JobState.RUNNING and job.message:
            self._progress_shown = f"{job.title}: {job.message}"
            bar.showMessage(self._progress_shown, 3000)
        elif job.finished and bar.currentMessage() == self._progress_shown:
            bar.clearMessage()  # no "rendering …" left standing under a finished job
        if job.state == JobState.FAILED:
            self._jobs_shown_for_job = False  # stays open to be read
        elif job.finished and not self.jobs.runner.active():
            QTimer.singleShot(JOBS_LINGER_MS, self._hide_jobs_when_all_went_well)

    # -- drag and drop ---------------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(TRACK_MIME) and event.source() is not None:
            event.ignore()
        elif dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = dropped_paths(event)
        if not paths or (event.mimeData().hasFormat(TRACK_MIME) and event.source() is not None):
            event.ignore()
            return
        event.acceptProposedAction()
        for modifier, callback in self.drop_actions.items():
            if event.modifiers() & modifier:
                callback(paths)
                return
        self.files.drop(paths)

    # -- closing ------------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.files.confirm_discard():
            event.ignore()
            return
        self.player.close()
        self.jobs.shutdown()
        self.files.close()
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode()
        self.settings.splitter_state = bytes(self.splitter.saveState().toBase64()).decode()
        self.settings.save()
        event.accept()
