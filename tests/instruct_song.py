"""The song the instruction planner's tests plan on: the demo project as the planner sees it
(lead on a flute, keys on an electric piano, bass, drums and a guitar stem as audio; 8 bars
of 4/4 at 96 BPM in A minor), with every operation available."""
from __future__ import annotations

from engines.instruct import OperationSpec, ParamSpec, Planner, SongInfo, TrackInfo, Vocabulary, every_operation

GM = tuple(f"GM {i}" for i in range(128))
SONG = SongInfo(tracks=(TrackInfo("Lead", "melody", program=73, notes=26),
                        TrackInfo("Keys", "harmony", program=4, notes=48),
                        TrackInfo("Bass", "bass", program=33, notes=32),
                        TrackInfo("Drums", "drums", is_drum=True, notes=106),
                        TrackInfo("Guitar (audio)", "harmony", kind="audio")),
                bars=8, tempo=96.0, time_signature="4/4", key="A:minor", programs=GM)
TEMPO = OperationSpec("change_tempo", "Tempo", (ParamSpec("bpm", "float", minimum=10, maximum=999),))


def planner(unavailable: dict[str, str] | None = None, song: SongInfo = SONG) -> Planner:
    ops = tuple(TEMPO if op.name == "change_tempo" else op for op in every_operation(unavailable=unavailable))
    return Planner(Vocabulary(ops, song))
