"""BackgroundRenderer: playback audio kept up to date off the GUI thread."""
from __future__ import annotations

import threading

import numpy as np

from app.live_render import BackgroundRenderer
from app.mixdown import render_project
from app.project import PPQ, Note
from tests.helpers import small_project


def test_a_request_renders_in_the_background_and_reports():
    ready, threads = [], []

    def on_ready(mixdown):
        ready.append(mixdown)
        threads.append(threading.current_thread())

    renderer = BackgroundRenderer(on_ready=on_ready, sound_font=None)
    try:
        project = small_project()
        renderer.request(project)
        assert renderer.wait_idle(30)
        assert len(ready) == 1 and renderer.latest is ready[0]
        assert set(ready[0].stems) == {t.id for t in project.tracks}
        assert ready[0].backend == "builtin"
        assert threads[0] is not threading.main_thread()   # the GUI thread never renders
    finally:
        renderer.close()


def test_an_edit_re_renders_only_the_changed_track():
    renderer = BackgroundRenderer(sound_font=None)
    try:
        project = small_project()
        renderer.request(project)
        renderer.wait_idle(30)
        project.tracks[0].notes.append(Note(76, 3 * PPQ, PPQ, 90))
        renderer.request(project)
        renderer.wait_idle(30)
        assert renderer.cache.renders == 4
        project.tracks[2].muted = True
        renderer.request(project)
        renderer.wait_idle(30)
        assert renderer.cache.renders == 4
        expected = render_project(project, sound_font=None)
        np.testing.assert_allclose(renderer.latest.mix, expected.mix, atol=1e-6)
    finally:
        renderer.close()


def test_a_burst_of_edits_ends_with_the_latest_state():
    renderer = BackgroundRenderer(sound_font=None)
    try:
        project = small_project()
        for gain in range(0, -12, -1):
            project.tracks[1].gain_db = float(gain)
            renderer.request(project)
        assert renderer.wait_idle(60)
        expected = render_project(project, sound_font=None)
        np.testing.assert_allclose(renderer.latest.mix, expected.mix, atol=1e-6)
        assert renderer.cache.renders < 3 + 12       # superseded renders were cancelled
    finally:
        renderer.close()


def test_edits_after_a_request_do_not_leak_into_that_render():
    project = small_project()
    copy = project.snapshot()
    project.tracks[0].notes.clear()
    project.tracks[0].program = 40
    project.tempo_map[0] = type(project.tempo_map[0])(0, 60.0)
    assert copy.tracks[0].notes and copy.tracks[0].program != 40 and copy.tempo == 120.0
    assert [t.id for t in copy.tracks] == [t.id for t in project.tracks]


def test_a_failed_render_reports_and_the_worker_lives_on(monkeypatch, tmp_path):
    errors, ready = [], []
    renderer = BackgroundRenderer(on_ready=ready.append, on_error=errors.append)
    try:
        monkeypatch.setenv("PARTITA_SOUNDFONT", str(tmp_path / "missing.sf2"))
        renderer.request(small_project())
        renderer.wait_idle(30)
        assert len(errors) == 1 and "PARTITA_SOUNDFONT" in str(errors[0]) and not ready
        monkeypatch.setenv("PARTITA_SOUNDFONT", "none")
        renderer.request(small_project())
        renderer.wait_idle(30)
        assert len(ready) == 1
    finally:
        renderer.close()


def test_close_stops_the_worker():
    renderer = BackgroundRenderer(sound_font=None)
    renderer.close()
    assert not renderer._thread.is_alive()
    renderer.request(small_project())
    assert not renderer.busy
