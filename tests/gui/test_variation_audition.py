"""Auditioning variations: Play loops the written bars, and switching while it plays swaps the
audio at once (rendered ahead, no new render); the project's own loop is never touched."""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtWidgets import QApplication

from app.infill import InfillRequest
from ui.actions import infill as action

BAR = 1920


def open_picker(window, qtbot, *, bars=(3, 4), variations=3):
    melody = window.project.track_named("Melody")
    job = action.start(window, InfillRequest(track_ids=(melody.id,), bars=bars, variations=variations, seed=2))
    qtbot.waitUntil(lambda: job.finished, timeout=120000)
    qtbot.waitUntil(lambda: any(isinstance(w, action.VariationPicker) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10000)
    return next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, action.VariationPicker) and w.isVisible()), melody


def test_play_loops_the_written_bars_and_variations_switch_without_rendering(window, qtbot):
    project = window.project
    loop_before = (project.loop_start, project.loop_end, project.loop_enabled)
    qtbot.waitUntil(lambda: window.player._have_stems, timeout=60000)
    picker, melody = open_picker(window, qtbot)
    qtbot.waitUntil(lambda: picker.renders is not None, timeout=120000)
    assert picker.play.text() == "Play bars 3–4 (loop)"

    picker.play.click()
    player = window.player
    start, end = (float(s) for s in project.tick_to_seconds([2 * BAR, 4 * BAR]))
    rate = player.player.sample_rate
    assert player.playing and player.player._loop == (round(start * rate), round(end * rate))
    assert (project.loop_start, project.loop_end, project.loop_enabled) == loop_before

    cache = player.renderer.renderer.cache
    takes = []
    for row in (1, 2, 0):
        qtbot.waitUntil(lambda: not player.renderer.renderer.busy, timeout=60000)  # earlier edits' renders
        renders = cache.renders
        shown_before = player.player.stems.get(melody.id)
        asked = time.monotonic()
        picker.list.setCurrentRow(row)
        qtbot.waitUntil(lambda: player.player.stems.get(melody.id) is not shown_before, timeout=5000)
        took = time.monotonic() - asked
        assert cache.renders == renders, "the variation was rendered ahead: nothing renders now"
        assert took < 1.0, f"switching took {took:.2f} s"
        assert player.playing and player.auditioning == (start, end), "the loop plays on"
        heard = player.player.stems[melody.id]
        assert heard.shape[1] > 0 and np.isfinite(heard).all()
        takes.append(sorted(melody.notes, key=lambda n: (n.start, n.pitch)))
    assert takes[0] != takes[1] and takes[2] not in takes[:2], "three different takes were heard"

    picker.keep.click()
    assert not player.playing and player.auditioning is None
    assert (project.loop_start, project.loop_end, project.loop_enabled) == loop_before
    stack = window.model.document.undo_stack
    assert stack.top is picker.commands[0], "the kept variation is the last undo step"


def test_discarding_stops_the_loop_and_takes_the_variation_back(window, qtbot):
    before = sorted(window.project.track_named("Melody").notes, key=lambda n: (n.start, n.pitch))
    picker, melody = open_picker(window, qtbot, variations=2)
    picker.play.click()
    assert window.player.auditioning is not None
    picker.discard.click()
    assert window.player.auditioning is None and not window.player.playing
    assert sorted(melody.notes, key=lambda n: (n.start, n.pitch)) == before
