"""The variation picker: hear each variation an engine wrote, looped, and keep the one you like.

Lifecycle: made with the variations' commands once the engine's job is done;
variation 1 is applied at once (one undo step). Choosing another takes the
applied one back (only if it is still the last edit) and applies that one.
While the dialog is open a job renders every variation ahead
(``app.audition``); Play loops the written bars (``span``) with the chosen
variation, and switching while it plays swaps the audio at once, without a
new render. Keep leaves the chosen variation in the project; Discard (or
closing the dialog) takes it back. Either stops the loop, and the project's
own loop region was never touched.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout

from app.commands import Command
from app.jobs import Job
from app.rendered_tracks import RenderedTracks
from ui import icons

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class VariationPicker(QDialog):
    """Try each variation (each one undo step) and hear it loop over ``span`` (ticks; None: the
    whole project); Keep leaves it, Discard undoes it."""

    def __init__(self, window: "MainWindow", commands: list[Command], *, title: str = "Infill variations",
                 span: tuple[int, int] | None = None) -> None:
        super().__init__(window)
        self.setWindowTitle(title)
        self.window_, self.commands = window, commands
        self.applied: int | None = None
        self.renders: list[RenderedTracks] | None = None
        """Each variation's audio, rendered ahead (None until the job is done)."""
        project = window.project
        self.span = span or (0, project.length_ticks)
        self.list = QListWidget()
        for i in range(len(commands)):
            self.list.addItem(f"Variation {i + 1}")
        self.list.currentRowChanged.connect(self.choose)
        self.play = QPushButton(icons.play(), self._play_text())
        self.play.setCheckable(True)
        self.play.setToolTip("Loop these bars with the chosen variation; pick another while it plays")
        self.play.toggled.connect(self._toggle_play)
        self.status = QLabel("Preparing the audio of each variation…")
        self.keep, self.discard = QPushButton("Keep"), QPushButton("Discard")
        self.keep.clicked.connect(self.accept)
        self.discard.clicked.connect(self.reject)
        self._build_layout()
        self._prerender()  # from the project as it is before any variation
        self.list.setCurrentRow(0)

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep)
        buttons.addWidget(self.discard)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Pick a variation, play it, keep the one you like:"))
        layout.addWidget(self.list)
        layout.addWidget(self.play)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def _play_text(self) -> str:
        per_bar = self.window_.project.ticks_per_bar
        first, last = self.span[0] // per_bar + 1, max(self.span[0] // per_bar + 1, -(-self.span[1] // per_bar))
        return f"Play bars {first}–{last} (loop)" if last > first else f"Play bar {first} (loop)"

    # -- audio ahead ------------------------------------------------------------------------------------
    def _prerender(self) -> None:
        window = self.window_
        project, commands = window.project.snapshot(), list(self.commands)
        renderer = window.player.renderer.renderer
        rate, seed = renderer.sample_rate, renderer.cache.copy()

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            from app.audition import prerender_variations

            return prerender_variations(project, commands, sample_rate=rate, seed=seed,
                                        progress=progress, cancel=cancel)

        self.job = window.run_job(Job("Prepare variations to audition", work), self._prerendered)

    def _prerendered(self, renders: list[RenderedTracks]) -> None:
        if not self.isVisible():  # kept or discarded meanwhile
            return
        self.renders = renders
        self.status.setText("Ready: variations switch at once while playing")
        if self.applied is not None:
            self.window_.player.use_renders(renders[self.applied])

    # -- choosing and playing ---------------------------------------------------------------------------
    def choose(self, row: int) -> None:
        self._take_back()
        model = self.window_.model
        if 0 <= row < len(self.commands) and model.push(self.commands[row]):
            self.applied = row
            if self.renders is not None:
                self.window_.player.use_renders(self.renders[row])

    def _take_back(self) -> None:
        """Undo the applied variation if it is still the last edit (never the user's own)."""
        model = self.window_.model
        if self.applied is not None and model.document.undo_stack.top is self.commands[self.applied]:
            model.undo()
        self.applied = None

    def _toggle_play(self, on: bool) -> None:
        player = self.window_.player
        if on:
            start, end = (float(s) for s in self.window_.project.tick_to_seconds(list(self.span)))
            player.audition(start, end)
            self.play.setIcon(icons.stop())
            self.play.setText("Stop")
        else:
            player.end_audition()
            self.play.setIcon(icons.play())
            self.play.setText(self._play_text())

    def done(self, result: int) -> None:  # noqa: D102 (Qt override): Keep, Discard and close end here
        self.play.setChecked(False)
        if result != QDialog.DialogCode.Accepted:
            self._take_back()
        if not self.job.finished:
            self.job.cancel()
        super().done(result)
