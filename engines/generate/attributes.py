"""Musical attributes a user can ask for (MuseCoco / EmoGen) and how emotion maps onto them.

An ``Attributes`` holds what was asked, each field None when not asked.
``resolved`` fills the gaps: first from the emotion quadrant (EmoGen's
emotion -> attribute cluster centres: happy = major, quick, busy, high;
tense = minor, fast, busy, low; sad = minor, slow, sparse, low; calm =
major, slow, sparse, middle), then from the defaults, so the music never
depends on an emotion label directly, only on the attributes it maps to.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

ROLES = ("melody", "harmony", "bass", "drums")
"""The parts generated from nothing, in track order."""
EMOTIONS = ("happy", "tense", "sad", "calm")
"""Emotion quadrants: (valence, arousal) = (+, +), (-, +), (-, -), (+, -)."""
DENSITIES = ("sparse", "medium", "busy")
REGISTERS = ("low", "middle", "high")
DRUM_STYLES = ("straight8", "sixteenths", "halftime", "four_on_floor", "shuffle", "waltz",
               "six_eight", "bossa")
"""Drum grooves: straight 8ths, 16ths, half-time, four-on-the-floor, shuffle, waltz, 6/8, bossa nova."""


@dataclass(frozen=True)
class EmotionProfile:
    """Attribute values at the centre of an emotion quadrant."""

    mode: str
    tempo: float
    density: str
    register: str
    drum_style: str


EMOTION_PROFILES = {
    "happy": EmotionProfile("major", 126.0, "busy", "high", "straight8"),
    "tense": EmotionProfile("minor", 140.0, "busy", "low", "sixteenths"),
    "sad": EmotionProfile("minor", 70.0, "sparse", "low", "straight8"),
    "calm": EmotionProfile("major", 84.0, "sparse", "middle", "straight8"),
}
DEFAULT_PROGRAMS = {"melody": 73, "harmony": 0, "bass": 33}
"""GM programs per role when no instrument is asked for: flute, piano, fingered bass."""
STYLE_METERS = {"waltz": (3, 4), "six_eight": (6, 8)}
"""Grooves that imply a meter."""


@dataclass(frozen=True)
class Attributes:
    """What to generate; None = not asked (the model or a default chooses).

    tonic: pitch class 0-11. mode: "major" or "minor". tempo: quarter notes
    per minute. meter: (numerator, denominator). programs: GM program per
    role ("melody", "harmony", "bass"). roles: the parts to write, in order
    (None = all of ``ROLES``). register: one of ``REGISTERS`` (the melody's
    octave). density: one of ``DENSITIES``. emotion: one of ``EMOTIONS``.
    drum_style: one of ``DRUM_STYLES``.
    """

    tonic: int | None = None
    mode: str | None = None
    tempo: float | None = None
    meter: tuple[int, int] | None = None
    programs: dict[str, int] = field(default_factory=dict)
    roles: tuple[str, ...] | None = None
    register: str | None = None
    density: str | None = None
    emotion: str | None = None
    drum_style: str | None = None

    def __post_init__(self) -> None:
        _check(self.mode, ("major", "minor"), "mode")
        _check(self.register, REGISTERS, "register")
        _check(self.density, DENSITIES, "density")
        _check(self.emotion, EMOTIONS, "emotion")
        _check(self.drum_style, DRUM_STYLES, "drum style")
        if self.tonic is not None and not 0 <= self.tonic < 12:
            raise ValueError(f"tonic {self.tonic} is not a pitch class 0-11")
        for role in (self.roles or ()):
            _check(role, ROLES, "role")

    def merged(self, other: "Attributes") -> "Attributes":
        """These attributes with every field ``other`` sets taken from ``other``."""
        changes = {name: getattr(other, name) for name in _FIELDS if getattr(other, name) is not None}
        changes["programs"] = {**self.programs, **other.programs}
        return replace(self, **changes)


_FIELDS = ("tonic", "mode", "tempo", "meter", "roles", "register", "density", "emotion", "drum_style")


def _check(value: str | None, allowed: tuple[str, ...], what: str) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")


@dataclass(frozen=True)
class Resolved:
    """Every attribute decided: what the generator uses."""

    tonic: int
    mode: str
    tempo: float
    meter: tuple[int, int]
    programs: dict[str, int]
    roles: tuple[str, ...]
    register: str
    density: str
    drum_style: str


def resolved(attrs: Attributes, *, default_tonic: int = 0) -> Resolved:
    """Fill every gap of ``attrs``: from its emotion's profile first, then the defaults."""
    profile = EMOTION_PROFILES.get(attrs.emotion or "")
    meter = attrs.meter or STYLE_METERS.get(attrs.drum_style or "") or (4, 4)
    style = attrs.drum_style or (profile.drum_style if profile else None) or default_style(meter)
    return Resolved(
        tonic=default_tonic if attrs.tonic is None else attrs.tonic,
        mode=attrs.mode or (profile.mode if profile else "major"),
        tempo=attrs.tempo or (profile.tempo if profile else 110.0),
        meter=meter,
        programs={**DEFAULT_PROGRAMS, **attrs.programs},
        roles=attrs.roles or ROLES,
        register=attrs.register or (profile.register if profile else "middle"),
        density=attrs.density or (profile.density if profile else "medium"),
        drum_style=fit_style(style, meter),
    )


def default_style(meter: tuple[int, int]) -> str:
    """The groove a meter suggests when none is asked for."""
    num, den = meter
    if den >= 8 and num % 3 == 0 and num > 3:
        return "six_eight"
    return "waltz" if num == 3 else "straight8"


def fit_style(style: str, meter: tuple[int, int]) -> str:
    """``style`` when it fits the meter's beats, else the meter's own groove."""
    implied = STYLE_METERS.get(style)
    if implied is not None:
        return style if implied == meter or default_style(meter) == style else default_style(meter)
    return style if default_style(meter) == "straight8" else default_style(meter)
