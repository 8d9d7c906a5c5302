"""Settings of controlled generation, with their documented defaults."""
from __future__ import annotations

from dataclasses import dataclass, field

from engines.generate.drums import DrumConfig


@dataclass(frozen=True)
class GenerateConfig:
    """How controls and attributes become parts.

    Registers (inclusive MIDI ranges): the melody sits above middle C so that
    it, not the accompaniment, is what a listener (and Music ControlNet's
    chroma above middle C) hears as the tune; harmony and bass stay below it.
      melody_range: where the melody may go. melody_centre: the pitch a
        pitch-class-only melody line gravitates to, per register attribute.
      harmony_range, bass_range: the accompaniment's registers.
      harmony_voices: simultaneous notes of a new harmony track.
    Velocities: base_velocity per role at the loudest level; velocity_share:
      share of the dynamics curve's dB the velocities follow (the renderer
      plays the curve itself as expression); velocity_spread: humanising
      spread. level_rounds: rounds of levelling (``leveling``) that move
      velocities so the music's own loudness follows the curve's shape.
    Melody control: melody_min_frames: runs of an extracted pitch curve
      shorter than this take a neighbour's pitch (flicker); min_note_s: the
      shortest note written; lock_share: share of a 16th step's frames that
      must be specified for the composer to be held to that pitch there.
    Rhythm control: per_beat_levels: onsets per beat (rhythm curve / beat
      rate) where the parts turn from sparse to medium and medium to busy.
      onsets_per_beat: what each role aims at per density level (a composer
      that takes a density target gets it per bar).
    Track levels (dB) per role, so the melody leads the mix.
    composer_conditioning: send the composer the controls and attributes its
      weights were trained on (off: with the shipped band composer it measured
      worse, attributes 0.931 vs 0.965, bench_generate); the hard locks hold either way.
    composer_drums: grooves whose drums the composer writes (when it can
      write drums); the rule drums (``drums``) play the others.
    """

    melody_range: tuple[int, int] = (60, 86)
    melody_centre: dict[str, float] = field(default_factory=lambda: {"low": 65.0, "middle": 71.0,
                                                                      "high": 77.0})
    harmony_range: tuple[int, int] = (45, 67)
    bass_range: tuple[int, int] = (28, 52)
    harmony_voices: int = 3
    base_velocity: dict[str, int] = field(default_factory=lambda: {"melody": 100, "harmony": 76,
                                                                    "bass": 96, "counter": 84, "drums": 96,
                                                                    "other": 84})
    velocity_share: float = 0.5
    velocity_spread: float = 4.0
    level_rounds: int = 3
    melody_min_frames: int = 6
    min_note_s: float = 0.06
    lock_share: float = 0.5
    per_beat_levels: tuple[float, float] = (1.6, 3.2)
    onsets_per_beat: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "sparse": {"melody": 0.75, "harmony": 0.5, "bass": 0.5, "drums": 2.0},
        "medium": {"melody": 1.5, "harmony": 1.0, "bass": 1.0, "drums": 4.0},
        "busy": {"melody": 2.5, "harmony": 2.0, "bass": 2.0, "drums": 8.0}})
    track_gain_db: dict[str, float] = field(default_factory=lambda: {"melody": 0.0, "harmony": -5.0,
                                                                     "bass": -2.0, "drums": -3.0})
    drums: DrumConfig = field(default_factory=DrumConfig)
    composer_drums: frozenset[str] = frozenset()
    composer_conditioning: bool = False

    def __post_init__(self) -> None:
        for name in ("melody_range", "harmony_range", "bass_range"):
            lo, hi = getattr(self, name)
            if not 0 <= lo < hi <= 127:
                raise ValueError(f"{name} must be 0 <= low < high <= 127")
        if not 0.0 <= self.velocity_share <= 2.0:
            raise ValueError("velocity_share must be between 0 and 2")
        if not 0.0 < self.lock_share <= 1.0:
            raise ValueError("lock_share must be in (0, 1]")
