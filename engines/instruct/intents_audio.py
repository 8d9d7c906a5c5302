"""Intents on audio: extract or separate stems, remove a stem from a mix, transcribe to MIDI,
copy the melody/dynamics/rhythm of a track or a file into the curve lanes.

A stem named in words ("the vocals") that is no track of the song is taken
from the song's audio track by separation first, as MusicAgent would chain
the tools: "transcribe the vocals" on a song with only a mix becomes
separate (vocals) + transcribe.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from engines.instruct.clause import Clause
from engines.instruct.intent_support import named, track_list
from engines.instruct.plan import Refuse, Step
from engines.instruct.state import State, song_after
from engines.instruct.tracks import take_tracks
from engines.instruct.vocabulary import SongInfo, TrackInfo

if TYPE_CHECKING:
    from engines.instruct.planner import Planner

STEMS = ("drums", "bass", "other", "vocals")
"""The separator's stems, in its order."""
STEM_WORDS = {"vocals": "vocals", "vocal": "vocals", "voice": "vocals", "voices": "vocals",
              "singer": "vocals", "singing": "vocals", "vox": "vocals", "lead vocal": "vocals",
              "lead vocals": "vocals", "drums": "drums", "drum": "drums", "percussion": "drums",
              "beat": "drums", "kit": "drums", "bass": "bass", "bass line": "bass", "bassline": "bass",
              "other": "other", "others": "other", "the rest": "other", "accompaniment": "other",
              "instruments": "other", "music": "other", "backing": "other", "keys": "other",
              "guitar": "other", "guitars": "other", "piano": "other", "melody": "vocals"}
STEM_RE = "|".join(sorted(STEM_WORDS, key=len, reverse=True))
KIND_OF_STEM = {"vocals": "melody", "bass": "bass", "drums": "drums", "other": "poly"}
ROLE_OF_KIND = {"melody": "melody", "bass": "bass", "drums": "drums", "poly": "harmony", "auto": "other"}
CURVES = {"melody": "melody", "tune": "melody", "contour": "melody", "pitch": "melody", "line": "melody",
          "dynamics": "dynamics", "dynamic": "dynamics", "loudness": "dynamics", "volume": "dynamics",
          "rhythm": "rhythm", "groove": "rhythm", "beat": "rhythm", "timing": "rhythm", "feel": "rhythm",
          "rhythms": "rhythm"}
CURVE_ORDER = ("melody", "dynamics", "rhythm")


def _stems(clause: Clause) -> list[str]:
    if clause.take(r"(?:all (?:the |4 )?|the |4 )?stems|everything|all of them|all 4"):
        return list(STEMS)
    if clause.take(r"(?:an? )?(?:instrumental|karaoke)(?: version| mix| track)?|backing track"):
        return ["drums", "bass", "other"]
    if clause.take(r"(?:an? )?a ?cappella|acapella"):
        return ["vocals"]
    found = []
    while (m := clause.take(rf"(?:the )?({STEM_RE})(?: stems?| parts?| tracks?)?")) is not None:
        found.append(STEM_WORDS[m.group(1)])
    return [s for s in STEMS if s in found]


def _audio_source(clause: Clause, state: State, planner: "Planner", verb: str) -> str:
    """The audio track the clause names, else the only one; refusals otherwise."""
    clause.take(r"from|of|out of|in|off")
    sel = planner.select(clause, state)
    for name in sel.names:
        if state.song.track(name).kind != "audio":
            raise Refuse(f"{name} is a MIDI track: its notes are already apart; I {verb} audio tracks",
                         suggestions=(f"solo the {name.lower()}",))
    audio = [t.name for t in state.song.tracks if t.kind == "audio"]
    names = sel.names or audio
    if not names:
        raise Refuse(f"there is no audio track to {verb}; drop a song on the window or import one first",
                     suggestions=("remove the drums", "mute everything except the bass"))
    if len(names) > 1:
        raise Refuse(f"which audio track should I {verb}: {', '.join(names)}?",
                     suggestions=tuple(f"{verb} the vocals from {n}" for n in names[:2]))
    return names[0]


def _stem_names(state: State, source: str, stems: list[str]) -> dict[str, str]:
    """Track names for the stems, as the separator names them: "<source> <stem>"."""
    names: dict[str, str] = {}
    for stem in stems:
        names[stem] = state.song.unique_name(f"{source} {stem}", tuple(names.values()))
    return names


def separate(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"extract the vocals", "separate the guitar track", "split the mix into stems"."""
    clause.take(r"extract|separate|split|isolate|unmix|de-?mix|pull out|get|give me|make")
    named_source = _named_audio(clause, state, prepositions=False)
    clause.take(r"(?:up )?into|to|as")
    stems = _stems(clause) or list(STEMS)
    source = named_source or _audio_source(clause, state, planner, "separate")
    names = _stem_names(state, source, stems)
    state.last = tuple(names.values())
    return [planner.step("separate", track=source, stems=tuple(stems), names=names, mute_source=True,
                         mute_stems=False)]


def remove_stems(clause: Clause, state: State, planner: "Planner", missing: list[str],
                 source: str | None = None) -> list[Step]:
    """"remove the vocals" when no track is the vocals: keep the other stems of the audio track
    (``source`` when the clause named it: "take the vocals out of the guitar")."""
    gone = [STEM_WORDS[w] for w in missing if w in STEM_WORDS]
    audio = [t.name for t in state.song.tracks if t.kind == "audio"]
    if len(gone) < len(missing) or not audio:
        raise Refuse(f"there is no {missing[0]} track to remove (tracks: {track_list(state.song)})",
                     suggestions=("remove the drums",))
    source = source or _audio_source(clause, state, planner, "separate")
    keep = [s for s in STEMS if s not in gone]
    names = _stem_names(state, source, keep)
    state.last = tuple(names.values())
    return [planner.step("separate", track=source, stems=tuple(keep), names=names, mute_source=True,
                         mute_stems=False)]


def transcribe(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"transcribe the bass stem", "turn the guitar into MIDI", "transcribe the vocals"."""
    clause.take(r"transcribe|turn|convert|make|write out|get|give me")
    clause.take(r"(?:in)?to (?:a )?(?:midi|notes)(?: tracks?| notes)?|as (?:a )?(?:midi|notes)(?: tracks?)?"
                r"|(?:the )?(?:midi|notes) (?:of|from)|to midi")
    kind_word = clause.take(r"as (?:a |an )?(melody|bass|drums|poly|polyphonic|chords)(?: part| line)?")
    song, steps = state.song, []
    source_named = _named_audio(clause, state)
    sel = planner.select(clause.fork(), state, partial=True)
    if source_named or (sel.missing and not sel.names):
        stems = _stems(clause)
        if source_named and not stems:
            return _transcribe_tracks([source_named], kind_word, song, state, planner)
        if not stems:
            raise Refuse(f"there is no {sel.missing[0]} track to transcribe (tracks: {track_list(song)})")
        source = source_named or _audio_source(clause, state, planner, "transcribe")
        names = _stem_names(state, source, stems)
        steps.append(planner.step("separate", track=source, stems=tuple(stems), names=names,
                                  mute_source=False, mute_stems=True))
        song = song_after(song, steps[0])
        targets = list(names.values())
    else:
        targets = planner.select(clause, state).names or [_audio_source(clause, state, planner, "transcribe")]
    return steps + _transcribe_tracks(targets, kind_word, song, state, planner)


def _named_audio(clause: Clause, state: State, *, prepositions: bool = True) -> str | None:
    """An audio track named after "from"/"of"/"in" (or anywhere, without ``prepositions``),
    then taken; else None. Of several, the one with the shortest name (the mix, not its stems)."""
    for track in sorted((t for t in state.song.tracks if t.kind == "audio"), key=lambda t: len(t.name)):
        words = [re.escape(w) for w in re.sub(r"[^a-z0-9#]+", " ", track.name.lower()).split()]
        names = "|".join([" ".join(words)] + [w for w in words if len(w) > 3])
        lead = r"(?:from|of|in|out of|off) " if prepositions else r"(?:(?:from|of|in|out of|off) )?"
        if clause.take(rf"{lead}(?:the |my )?(?:{names})(?: track| stem| audio)?"):
            return track.name
    return None


def _transcribe_tracks(targets: list[str], kind_word: re.Match[str] | None, song: SongInfo, state: State,
                       planner: "Planner") -> list[Step]:
    steps: list[Step] = []
    made: list[str] = []
    for name in targets:
        track = song.track(name)
        if track.kind != "audio":
            raise Refuse(f"{name} is already MIDI; I transcribe audio tracks",
                         suggestions=("transcribe the guitar to MIDI",))
        kind = _kind(kind_word, track)
        made.append(song.unique_name(f"{name} MIDI", tuple(made)))
        role = track.role if track.role != "other" else ROLE_OF_KIND[kind]
        steps.append(planner.step("transcribe", track=name, kind=kind, name=made[-1], role=role))
    state.last = tuple(made)
    return steps


def _kind(word: re.Match[str] | None, track: TrackInfo) -> str:
    """The transcription kind: as said, else from the stem's name, else from its role."""
    if word is not None:
        said = word.group(1)
        return {"polyphonic": "poly", "chords": "poly"}.get(said, said)
    lowered = track.name.lower()
    for stem, kind in KIND_OF_STEM.items():
        if stem in lowered or (stem == "vocals" and "vocal" in lowered):
            return kind
    return {"melody": "melody", "bass": "bass", "drums": "drums", "harmony": "poly"}.get(track.role, "auto")


def copy_controls(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"copy the dynamics of the guitar", "use the rhythm of groove.wav", "match the melody of the lead".

    With a target ("... onto the bass") the target is then generated to follow the curves.
    """
    clause.take(r"copy|borrow|take|steal|use|match|follow|extract|get|apply|grab|transfer|read|lift")
    target = _target(clause, state)
    curves: list[str] = []
    while (m := clause.take(rf"(?:the |its )?({'|'.join(CURVES)})(?: curves?| lanes?| controls?)?")) is not None:
        curves.append(CURVES[m.group(1)])
    if clause.take(r"(?:all )?(?:the )?(?:controls|curves)") or not curves:
        curves = list(CURVE_ORDER)
    chosen = tuple(c for c in CURVE_ORDER if c in curves)
    clause.take(r"of|from|off|in|on|out of")
    file = clause.take(r"fileref\d+")
    if file is not None:
        steps = [planner.step("copy_controls", file=planner.file(file.group(0)), curves=chosen)]
    else:
        names = named(planner.select(clause, state), state, "copy from", example="copy the dynamics of the guitar")
        if len(names) > 1:
            raise Refuse(f"copy from one track at a time, not {', '.join(names)}")
        steps = [planner.step("copy_controls", track=names[0], curves=chosen)]
    if target:
        if not planner.can("generate"):
            raise Refuse(f"making {', '.join(target)} follow the copied {' and '.join(chosen)} needs the "
                         "generate engine, which is not installed here",
                         suggestions=(f"copy the {chosen[0]} of the {steps[0].args.get('track', 'file')}".lower(),))
        steps.append(planner.step("generate", tracks=tuple(target), bars=None, prompt=""))
    state.last = tuple(target)
    return steps


def _target(clause: Clause, state: State) -> list[str]:
    """Tracks after "onto"/"to"/"for" at the end of the clause (then taken), else []."""
    match = clause.find(r"(?:onto|on to|into|to|for|under) (?:the )?[^_]+$")
    if match is None:
        return []
    words = match.group(0).split(" ", 1)[1]
    sub = Clause(words)
    names = take_tracks(sub, state.song, context=state.last).names
    if not names or sub.unknown():
        return []
    clause.take_span(match.start(), match.end())
    return names
