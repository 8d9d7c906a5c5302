"""Print the GUI's heavy paint times: the piano roll with 20,000 notes, 10 minutes of stereo waveform.

Run from the repository root:
    QT_QPA_PLATFORM=offscreen python tests/bench/bench_gui.py [--notes 20000] [--seconds 600]

Each figure is the median (and worst) of full, uncached repaints of the widget
at 1920x1080; the target is under 16 ms a frame.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def timed(fn, repeats: int) -> tuple[float, float]:
    """(median, max) milliseconds of ``fn()``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    from app.document import Document
    from app.settings import Settings
    from tests.gui.factory import big_project
    from ui.app import application
    from ui.main_window import MainWindow
    from ui.track_lane import peaks_for

    app = application()
    project = big_project(args.notes, args.seconds)
    window = MainWindow(Document(project), Settings())
    window.files.confirm_discard = lambda: True
    window.player.renderer.close()  # measure painting alone, not painting beside a 10-minute render
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    dense, stem = project.tracks
    window.model.select_track(dense.id)
    roll = window.editor.roll
    lane = window.track_list.lanes[stem.id]
    app.processEvents()
    print(f"piano roll {roll.width()}x{roll.height()} px, stem lane {lane.width()}x{lane.height()} px")

    window.model._indexes.clear()
    start = time.perf_counter()
    window.model.note_index(dense.id)
    print(f"note index for {len(dense.notes)} notes: {(time.perf_counter() - start) * 1000:.1f} ms (once per edit)")
    roll.pitch_axis.row_height = 4.0
    roll.pitch_axis.center_on(36, 96)
    views = {"whole project (all notes visible)": None, "16 bars": 16 * project.ticks_per_bar}
    for name, ticks in views.items():
        if ticks is None:
            window.zoom_to_fit()
        else:
            window.axis.set_view(60.0, roll.width() / float(project.tick_to_seconds(ticks)))
        t0, t1 = window.axis.visible_seconds(roll.width())
        visible = len(window.model.note_index(dense.id).visible(t0, t1))
        median, worst = timed(lambda: roll._paint_pixmap(), args.repeats)
        print(f"piano roll repaint, {name}: {visible} notes drawn, median {median:.1f} ms, worst {worst:.1f} ms")

    from ui import track_lane

    track_lane._peaks.clear()
    start = time.perf_counter()
    peaks_for(stem)
    print(f"waveform pyramid for {args.seconds / 60:.0f} min stereo: {(time.perf_counter() - start) * 1000:.0f} ms "
          "(once per stem)")
    for name, pps in (("whole stem", None), ("10 seconds", lane.width() / 10.0), ("50 ms", lane.width() / 0.05)):
        if pps is None:
            window.zoom_to_fit()
        else:
            window.axis.set_view(300.0, pps)
        median, worst = timed(lambda: lane._paint_pixmap(), args.repeats)
        print(f"waveform draw, {name}: median {median:.1f} ms, worst {worst:.1f} ms")

    window.zoom_to_fit()
    roll.invalidate()
    roll.repaint()
    median, worst = timed(lambda: (window.axis.set_playhead(window.axis.playhead + 0.05), roll.repaint()),
                          args.repeats)
    print(f"playhead step over the cached piano roll: median {median:.2f} ms, worst {worst:.2f} ms")
    window.close()


if __name__ == "__main__":
    main()
