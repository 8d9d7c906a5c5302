"""How much "louder", "faster", "a bit", "a lot" mean: the planner's defaults."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InstructConfig:
    """Amounts the planner uses when the user gives none.

    louder_db: "louder"/"softer" (dB). small_db / large_db: with "a bit" /
    "a lot". crescendo_db: how far below the range's own level a crescendo
    starts (a diminuendo ends). fade_db: the same for "fade in"/"fade out".
    tempo_change: "faster"/"slower" as a fraction of the tempo; small_tempo /
    large_tempo: with "a bit" / "a lot". mood_tempo: tempo change (fraction)
    for one step of arousal ("calmer", "more energetic"). mood_db: velocity
    change (dB) for one step of arousal. humanise_amount: "humanise" scale
    (1 = the operation's default timing and velocity spread); "a bit" halves
    it, "a lot" doubles it. humanise_timing_ms / humanise_velocity: that
    spread when the vocabulary gives no default (largest shift of a start in
    ms, of a velocity). quantise_grid: grid of "quantise" when none is named.
    """

    louder_db: float = 6.0
    small_db: float = 3.0
    large_db: float = 10.0
    crescendo_db: float = 12.0
    fade_db: float = 36.0
    tempo_change: float = 0.10
    small_tempo: float = 0.05
    large_tempo: float = 0.20
    mood_tempo: float = 0.08
    mood_db: float = 3.0
    humanise_amount: float = 1.0
    humanise_timing_ms: float = 10.0
    humanise_velocity: float = 8.0
    quantise_grid: str = "1/16"

    def __post_init__(self) -> None:
        for name in ("louder_db", "small_db", "large_db", "crescendo_db", "fade_db", "mood_db"):
            if not 0 < getattr(self, name) <= 60:
                raise ValueError(f"{name} must be in (0, 60] dB")
        for name in ("tempo_change", "small_tempo", "large_tempo", "mood_tempo"):
            if not 0 < getattr(self, name) < 1:
                raise ValueError(f"{name} must be a fraction in (0, 1)")
