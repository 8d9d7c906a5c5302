"""The shipped demo project opens and has something in every view."""
import numpy as np

import resources
from app.projectfile import load_project


def test_demo_project_has_every_kind_of_content():
    project = load_project(resources.ROOT / "demo" / "demo.partita")
    kinds = {(t.kind, str(t.role)) for t in project.tracks}
    assert {("midi", "melody"), ("midi", "harmony"), ("midi", "bass"), ("midi", "drums"),
            ("audio", "harmony")} <= kinds
    for name in ("melody", "dynamics", "rhythm"):
        curve = project.curve(name)
        assert np.isfinite(curve).any() and np.isnan(curve).any()  # partly drawn
    assert project.key == "A:minor"


def test_demo_drums_leave_the_last_bars_for_a_drum_infill():
    from app.demo import DRUM_BARS

    project = load_project(resources.ROOT / "demo" / "demo.partita")
    drums = project.track_named("Drums")
    assert max(n.start for n in drums.notes) < DRUM_BARS * project.ticks_per_bar < project.length_bars * project.ticks_per_bar
