"""Band arrangements of folk tunes: a chord chart for mma in a popular style, and the tune on top.

The band data (``app.band_data``) takes a tune of the corpus (Essen, O'Neill),
lets ``arrange`` choose a style whose metre fits the tune, a groove of that
style from mma's library, a tempo, a key and a chord per bar or half bar
(``accompany.chord_plan``), writes it as an mma script (``mma_script``), has
mma render drums, bass and comping, and lays the tune over it
(``melody_notes``). Pure: no files, no processes.

Metres: 4/4 styles take tunes in 4/4 and 2/4 (two 2/4 bars make one 4/4
bar); waltzes take 3/4 tunes; 6/8 styles take 6/8 tunes (3/4 and 6/8 are
told apart by where the notes start, ``is_compound``). "halftime" plays a
rock or pop groove's drums at half speed (snare on beat 3) under the
groove's own bass and chords; "reggae" puts mma's reggae drum patterns
under ska bass and chords.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engines.compose.accompany import chord_plan
from engines.compose.data import Piece
from engines.compose.grid import REST, GridNote, decode_lane

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass(frozen=True)
class BandStyle:
    """A style: mma beats per bar (4, 3, or 6 eighths), quarter-note tempo range, grooves as
    (main, fill or "") pairs, drum grooves to use instead of the main groove's ("reggae"),
    whether the drums play at half speed, the chance a chord gets its seventh, lead programs."""

    beats: int
    bpm: tuple[float, float]
    grooves: tuple[tuple[str, str], ...]
    leads: tuple[int, ...]
    drum_grooves: tuple[str, ...] = ()
    half_time_drums: bool = False
    sevenths: float = 0.15


def _g(*names: str) -> tuple[tuple[str, str], ...]:
    """"Main" or "Main:Fill" strings to (main, fill) pairs."""
    return tuple((n.split(":")[0], n.split(":")[1] if ":" in n else "") for n in names)


ROCK = _g("50sRock", "60sRock", "BasicRock", "SoftRock:SoftRockFill", "FolkRock:FolkRockFill",
          "BubbleRock:BubbleRockFill", "Rock1", "Rock2", "PopRock1", "PopRock2", "rock1A:rock1FA",
          "rock1B:rock1FB", "8beat1A:8beat1FA", "8beat2A:8beat2FA", "8Beat", "DigitalRock", "metal1A:metal1FA",
          "W-RockMainA:W-RockFillAA", "50s_RockA:50s_RockFillAA")
POP = _g("8BeatPop1", "8BeatPop2", "8BeatPop3", "80sPop", "60sPop", "ElectricPop", "WorldPop", "SoulPop",
         "16beat1A:16beat1FA", "16beat2A:16beat2FA", "8beatmotownA:8beatmotownFillA", "highfiveA:highfiveFA")
STYLE_TABLE: dict[str, BandStyle] = {
    "rock": BandStyle(4, (96, 150), ROCK, (29, 30, 81, 27, 16, 0)),
    "pop": BandStyle(4, (84, 128), POP, (0, 4, 80, 73, 11, 54, 65, 24, 25)),
    "funk": BandStyle(4, (88, 116), _g("Funk1", "Funk2", "BVFunk", "Kfunk1A:Kfunk1FillAA", "Kfunk1B:Kfunk1FillBB",
                                       "DSoul:DSoulFill", "60sSoul", "Soul", "ModernR&B", "Fusion"),
                      (65, 66, 61, 56, 81, 4, 16)),
    "disco": BandStyle(4, (112, 130), _g("DiscoSoul", "Dance1", "Dance2", "DancePop1", "DancePop2", "DancePop3",
                                         "House", "8BeatDance", "BoneyM:BoneyMFill", "Techno", "LatinHouse"),
                       (81, 80, 61, 48, 62)),
    "swing": BandStyle(4, (110, 200), _g("Swing:SwingFill", "JazzCombo", "BigBand", "EasySwing:EasySwingFill",
                                         "FastSwing", "JazzSwingMainA:JazzSwingFillAA", "JazzBasieA:JazzBasieFillAA",
                                         "SlowSwing", "MiddleBigBand", "JazzGrTrioMainA:JazzGrTrioFillAA",
                                         "JazzTrioMainA:JazzTrioFillAA"),
                       (65, 66, 56, 57, 71, 11, 0), sevenths=0.8),
    "shuffle": BandStyle(4, (80, 130), _g("ShuffleBoggie:ShuffleBoggieFill", "16Shuffle1", "16Shuffle2",
                                          "PopShuffle1", "PopShuffle2", "ShuffleRock", "ShuffleBoogie",
                                          "HappyshuffleA:HappyshuffleFillA", "HappyshuffleB:HappyshuffleFillB",
                                          "BoggieWoggie", "FastBlues"),
                         (22, 29, 66, 0, 16), sevenths=0.5),
    "bossa": BandStyle(4, (110, 150), _g("BossaNova", "BossaNovaSus", "BossaNova1Sus", "kbossaA:kbossaFillA",
                                         "kbossaB:kbossaFillB", "JazzBossaA:JazzBossaFillAA",
                                         "JazzBossaB:JazzBossaFillBB"),
                       (73, 65, 24, 11, 0), sevenths=0.8),
    "reggae": BandStyle(4, (66, 92), _g("Ska", "Ska1", "SkaSus", "Ska1Sus"), (16, 62, 80, 56, 0),
                        drum_grooves=("REGG01", "REGG02", "REGG03", "REGG04")),
    "waltz": BandStyle(3, (90, 180), _g("Waltz", "Waltz1", "JazzWaltz", "CountryWaltz", "RockWaltz", "PopWaltz",
                                        "VieneseWaltz", "FastWaltz", "BroadwayWaltz", "FrenchWaltz",
                                        "ModernJazzWaltz:ModernJazzWaltzFill", "JazzWaltzMainA:JazzWaltzFillAA",
                                        "LatinWaltz:LatinWaltzFill"),
                       (40, 21, 73, 0, 71)),
    "ballad68": BandStyle(6, (50, 84), _g("68Ballad", "Blues68", "68Swing"), (0, 40, 73, 65, 4)),
    "halftime": BandStyle(4, (128, 168), _g("50sRock", "BasicRock", "Rock1", "PopRock1", "8BeatPop1", "SoftRock",
                                            "rock1A", "8beat1A", "16beat1A"),
                          (29, 81, 80, 0, 4), half_time_drums=True),
    "ballad": BandStyle(4, (60, 84), _g("RockBallad:RockBalladFill", "PianoBallad", "SlowRock", "OldieBallad",
                                        "Slow16Beat", "slowrockA:slowrockFA", "kwestballadA:kwestballadFillA",
                                        "R&B-Ballad:R&B-BalladFill", "FolkBallad"),
                        (0, 40, 73, 48, 65, 4)),
    "country": BandStyle(4, (96, 150), _g("WesternMainA:WesternFillAA", "JazzCountryMainA:JazzCountryFillAA",
                                          "BlueGrass", "SlowCountry:SlowCountryFill", "Folk", "CountryBlues",
                                          "WesternSwing", "Zydeco", "HillCountry:HillCountryFill"),
                         (40, 105, 25, 22, 0)),
    "latin": BandStyle(4, (96, 140), _g("Samba:SambaFill", "Salsa:SalsaFill", "Mambo", "ChaCha:ChaChaFill",
                                        "Rhumba", "Merengue", "Salsa1MainA:Salsa1FillAA", "Son",
                                        "Beguine:BeguineFill", "MamboMainA:MamboFillAA", "LatinFusion"),
                       (56, 73, 65, 0, 11), sevenths=0.3),
}
"""The band styles (the first entries of ``config.STYLES``) and their mma grooves."""
STEPS_PER_BEAT = {4: 4, 3: 4, 6: 2}
"""16th steps per mma beat: mma counts 6/8 in six quarter-length beats, which are our 8ths."""
MELODY_RANGE = (60, 79)
"""Mean pitch range of a placed melody (it is moved by octaves into it)."""


@dataclass(frozen=True)
class Arrangement:
    """One song to render.

    tune: the source tune. style: a key of ``STYLE_TABLE``. groove, fill:
    mma groove names (fill "" = none). drum_groove: mma groove the drums come
    from ("" = the groove's own). bpm: quarter-note tempo. transpose:
    semitones the tune moves. key: the song's key 0-23. steps_per_bar: 16 or
    12. shift: song step of tune step 0. repeats: times the tune is played.
    tune_steps: steps one pass of the tune takes in the song. chords: one mma
    chord line per bar ("C", "Am / G7 /" ...). fills: bars (0-based) played
    with the fill groove. lead: GM program of the melody. seed: mma's RndSeed.
    """

    tune: Piece
    style: str
    groove: str
    fill: str
    drum_groove: str
    bpm: float
    transpose: int
    key: int
    steps_per_bar: int
    shift: int
    repeats: int
    tune_steps: int
    chords: tuple[str, ...]
    fills: tuple[int, ...]
    lead: int
    seed: int
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def beats(self) -> int:
        return STYLE_TABLE[self.style].beats

    @property
    def n_steps(self) -> int:
        return len(self.chords) * self.steps_per_bar


def regular_tune(tune: Piece) -> Piece | None:
    """The tune's top lane in whole bars, or None (bars of different lengths, or overlong ones).

    Written tunes break the bar grid at repeats (a part ends on a short bar
    and the next starts with a pickup): two short bars that make one whole
    are joined, any other short bar is filled with rest, so every downbeat
    after the pickup falls a whole bar after the one before.
    """
    bar = int(tune.bar_len[0])
    if not (tune.bar_len == bar).all() or tune.key < 0:
        return None
    downs = np.flatnonzero(tune.pos == 0).tolist()
    if not downs:
        return None
    cuts = [0, *downs, tune.n_steps]
    segs = [(a, b) for a, b in zip(cuts[:-1], cuts[1:]) if b > a]
    pickup = segs.pop(0) if downs[0] > 0 else None
    parts: list[tuple[int, int]] = [pickup] if pickup else []
    i = 0
    while i < len(segs):
        a, b = segs[i]
        if b - a > bar:
            return None
        if b - a < bar and i + 1 < len(segs) - 1 and (b - a) + (segs[i + 1][1] - segs[i + 1][0]) == bar:
            parts.append((a, segs[i + 1][1]))
            i += 2
            continue
        parts.append((a, b) if b - a == bar or i == len(segs) - 1 else (a, -(bar - (b - a))))
        i += 1
    pitch, onset = _joined(tune, parts)
    first = bar - (pickup[1] - pickup[0]) if pickup else 0
    pos = ((np.arange(len(pitch)) + first) % bar).astype(np.uint8)
    return Piece(tune.name, pitch[None], onset[None], tune.roles[:1], pos, np.full(len(pitch), bar, np.uint8),
                 key=tune.key)


def _joined(tune: Piece, parts: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Lane 0 of the tune over ``parts`` (start, stop) in order; a negative stop -k means the
    part runs to the next downbeat and then k steps of rest follow."""
    pitch, onset = [], []
    for a, b in parts:
        stop = b if b > 0 else int(np.flatnonzero(np.r_[tune.pos[a + 1:], 0] == 0)[0]) + a + 1
        pitch.append(tune.pitch[0, a:stop])
        onset.append(tune.onset[0, a:stop])
        if b < 0:
            pitch.append(np.full(-b, REST, np.uint8))
            onset.append(np.zeros(-b, bool))
    return np.concatenate(pitch).astype(np.uint8), np.concatenate(onset).astype(bool)


def tune_meter(tune: Piece) -> int | None:
    """The mma beats per bar a tune fits (4, 3 or 6), or None (mixed or other metres)."""
    bar = int(tune.bar_len[0])
    steady = (tune.bar_len == bar).all() and (tune.pos == (np.arange(tune.n_steps) + tune.pos[0]) % bar).all()
    if not steady or tune.n_lanes != 1 or tune.key < 0:
        return None
    if bar in (8, 16):
        return 4
    if bar == 12:
        return 6 if is_compound(tune) else 3
    return None


def is_compound(tune: Piece) -> bool:
    """Whether a 12-step-bar tune is in 6/8 (more onsets on the bar's middle than on beat 3)."""
    at = tune.pos[tune.onset.any(0)]
    return int((at == 6).sum()) > int((at == 8).sum())


def styles_for(beats: int) -> list[str]:
    return [name for name, s in STYLE_TABLE.items() if s.beats == beats]


def arrange(tune: Piece, rng: np.random.Generator, *, style: str | None = None,
            known_grooves: frozenset[str] | None = None) -> Arrangement | None:
    """A random arrangement of ``tune`` (None when no style fits its metre).

    ``known_grooves`` (lower-case names): grooves the installed mma has;
    others are skipped.
    """
    regular = regular_tune(tune)
    beats = tune_meter(regular) if regular is not None else None
    if regular is None or beats is None:
        return None
    tune = regular
    names = [style] if style else styles_for(beats)
    if not names or STYLE_TABLE[names[0]].beats != beats:
        return None
    name = names[int(rng.integers(len(names)))]
    spec = STYLE_TABLE[name]
    grooves = [g for g in spec.grooves if known_grooves is None or g[0].lower() in known_grooves]
    if not grooves:
        return None
    groove, fill = grooves[int(rng.integers(len(grooves)))]
    if known_grooves is not None and fill.lower() not in known_grooves:
        fill = ""
    drum_groove = spec.drum_grooves[int(rng.integers(len(spec.drum_grooves)))] if spec.drum_grooves else ""
    return _layout(tune, rng, name, groove, fill, drum_groove)


def _layout(tune: Piece, rng: np.random.Generator, style: str, groove: str, fill: str,
            drum_groove: str) -> Arrangement:
    spec = STYLE_TABLE[style]
    bar = STEPS_PER_BEAT[spec.beats] * spec.beats
    tune_bar, pos0 = int(tune.bar_len[0]), int(tune.pos[0])
    intro = int(rng.choice([0, 1, 2, 4], p=[0.3, 0.2, 0.3, 0.2]))
    shift = intro * bar + (pos0 + bar - tune_bar if pos0 else 0)
    tune_steps = -(-(tune.n_steps + (pos0 + bar - tune_bar if pos0 else 0)) // bar) * bar
    repeats = 2 if tune_steps <= 12 * bar else 1
    transpose = _transpose(tune, rng)
    key = (tune.key % 12 + transpose) % 12 + 12 * (tune.key // 12)
    n_bars = intro + repeats * tune_steps // bar + 1
    melody = _song_melody(tune, transpose, shift, tune_steps, repeats, n_bars * bar)
    pos = (np.arange(n_bars * bar) % bar).astype(np.uint8)
    plan = chord_plan(melody[None], pos, key, half_bars=spec.beats != 3 and rng.random() < 0.4)
    chords = _chart(plan, key, bar, n_bars, spec, rng)
    fills = tuple(b for b in range(intro, n_bars - 1) if fill and (b + 1 - intro) % 8 == 0)
    bpm = float(np.round(rng.uniform(*spec.bpm)))
    return Arrangement(tune, style, groove, fill, drum_groove, bpm, transpose, key, bar, shift, repeats,
                       tune_steps, chords, fills, int(rng.choice(spec.leads)), int(rng.integers(1, 1 << 30)))


def _transpose(tune: Piece, rng: np.random.Generator) -> int:
    """A random shift of up to 6 semitones, then whole octaves to bring the tune's mean pitch
    into ``MELODY_RANGE``."""
    shift = int(rng.integers(-6, 7))
    mean = float(tune.pitch[tune.pitch != REST].mean()) + shift
    while mean < MELODY_RANGE[0]:
        mean, shift = mean + 12, shift + 12
    while mean > MELODY_RANGE[1]:
        mean, shift = mean - 12, shift - 12
    return shift


def _song_melody(tune: Piece, transpose: int, shift: int, tune_steps: int, repeats: int,
                 n_steps: int) -> np.ndarray:
    """The melody's pitch on the song grid, uint8 (n_steps,) (for choosing chords)."""
    out = np.full(n_steps, REST, dtype=np.uint8)
    for r in range(repeats):
        for n in melody_notes_of(tune, transpose):
            a = shift + r * tune_steps + n.start
            out[a:min(n_steps, a + n.duration)] = n.pitch
    return out


def melody_notes_of(tune: Piece, transpose: int) -> list[GridNote]:
    """The tune's notes, transposed, in tune steps."""
    notes = decode_lane(tune.pitch[0], tune.onset[0])
    return [GridNote(min(127, max(0, n.pitch + transpose)), n.start, n.duration) for n in notes]


def _chart(plan: list, key: int, bar: int, n_bars: int, spec: BandStyle, rng: np.random.Generator
           ) -> tuple[str, ...]:
    """One mma chord line per bar from a chord plan: a chord per bar, or two ("C / G7 /")."""
    beat = bar // spec.beats
    lines = []
    for b in range(n_bars):
        cells = ["/"] * spec.beats
        for start, _, pcs in plan:
            if b * bar <= start < (b + 1) * bar:
                cells[(start - b * bar) // beat] = chord_name(pcs, key, rng, spec.sevenths)
        if cells[0] == "/":
            cells[0] = next(chord_name(p, key, rng, spec.sevenths) for s, e, p in plan if s <= b * bar < e)
        lines.append(cells[0] if cells.count("/") == len(cells) - 1 else " ".join(cells))
    return tuple(lines)


def chord_name(pcs: tuple[int, ...], key: int, rng: np.random.Generator, sevenths: float) -> str:
    """An mma chord name for a triad (root first), sometimes with its seventh."""
    root, third = pcs[0], (pcs[1] - pcs[0]) % 12
    name = NOTE_NAMES[root] + ("m" if third == 3 else "")
    if rng.random() < sevenths:
        dominant = third == 4 and (root - key % 12) % 12 == 7
        name += "7" if dominant else ("7" if third == 3 else "maj7")
    return name


def melody_notes(arr: Arrangement, rng: np.random.Generator) -> list[GridNote]:
    """The tune placed in the song (every repeat), with accented velocities, in song steps."""
    out = []
    for r in range(arr.repeats):
        for n in melody_notes_of(arr.tune, arr.transpose):
            start = arr.shift + r * arr.tune_steps + n.start
            beat = STEPS_PER_BEAT[arr.beats]
            accent = 8 if start % arr.steps_per_bar == 0 else 3 if start % beat == 0 else -4
            velocity = int(np.clip(92 + accent + rng.integers(-6, 7), 40, 127))
            out.append(GridNote(n.pitch, start, n.duration, velocity))
    return out


def mma_script(arr: Arrangement, *, drums_only: bool = False) -> str:
    """The mma file of an arrangement. ``drums_only``: the drum part's own script when it comes
    from another groove or plays at half speed (its bars then last two of the song's)."""
    spec = STYLE_TABLE[arr.style]
    groove = arr.drum_groove or arr.groove
    tempo = arr.bpm * (2 if spec.beats == 6 else 1)
    lines = [f"RndSeed {arr.seed}"]
    if drums_only and spec.half_time_drums:
        n_bars = -(-len(arr.chords) // 2)
        lines += [f"Tempo {tempo / 2:g}", f"Groove {groove}"]
        lines += [f"{b + 1} {arr.chords[2 * b].split()[0]}" for b in range(n_bars)]
        return "\n".join(lines) + "\n"
    base = groove if drums_only else arr.groove
    lines += [f"Tempo {tempo:g}", f"Groove {base}"]
    current = base
    for b, chord in enumerate(arr.chords):
        want = arr.fill if b in arr.fills and not drums_only else base
        if want != current:
            lines.append(f"Groove {want}")
            current = want
        lines.append(f"{b + 1} {chord}")
    return "\n".join(lines) + "\n"
