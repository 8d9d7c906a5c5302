"""The planner: an instruction in plain English -> a ``Plan`` of operations, or a ``Refusal``.

Steps: file names are set aside (their case matters), the text is
normalised (``words``), cut into clauses at "and", "then", commas (a piece
without a verb of its own joins the clause before: "remove the drums and
the bass"), and each clause goes to the first intent whose trigger it
matches (``grammar.INTENTS``). An intent takes the words it understands;
any word left that is not filler stops the plan with a refusal that says
what was understood and what can be done instead. Deterministic: the same
text and vocabulary always give the same plan.

Lifecycle: ``Planner(vocabulary)`` -> ``plan(text)`` any number of times.
"""
from __future__ import annotations

import re
from typing import Any

from engines.instruct.bars import BarSpec, take_bars
from engines.instruct.clause import Clause
from engines.instruct.config import InstructConfig
from engines.instruct.grammar import KNOWN_WORDS, Intent, intent_of, starts_with_verb, triggered
from engines.instruct.operations import closest_examples, examples_for
from engines.instruct.plan import Plan, Refusal, Refuse, Step
from engines.instruct.state import State
from engines.instruct.tracks import Selection, take_tracks
from engines.instruct.vocabulary import OperationSpec, Vocabulary
from engines.instruct.words import normalise

FILE = re.compile(r"\"([^\"]+\.[A-Za-z0-9]{2,8})\"|'([^']+\.[A-Za-z0-9]{2,8})'"
                  r"|(\S+\.(?:wav|wave|flac|ogg|oga|mp3|aif|aiff|mid|midi|partita))(?=[\s,.;:!?]|$)",
                  re.IGNORECASE)
REST_OF_BARS = (r"(?:(?:in|for|over|across|during|on|at|of|from) )?(?:all )?(?:the )?(?:rest|remaining bars|other bars)"
                r"(?: of (?:the )?(?:song|piece|it|bars))?")
SEPARATORS = re.compile(r" , and then | , then | and then | , and | , also | and also | , | then "
                        r"| and | plus | also | after that ")


class Planner:
    """Plans instructions against one vocabulary (the operations and the song)."""

    def __init__(self, vocabulary: Vocabulary, config: InstructConfig | None = None) -> None:
        self.vocab = vocabulary
        self.config = config or InstructConfig()
        self.files: list[str] = []

    # -- the front ---------------------------------------------------------------------
    def plan(self, text: str) -> Plan | Refusal:
        """The plan for ``text``, or why there is none (see the module docstring)."""
        self.files = []
        norm = normalise(FILE.sub(self._protect_file, text))
        state = State(self.vocab.song)
        if not norm.strip(" ,"):
            return Refusal(text, "say what to change", suggestions=closest_examples((), self.can))
        try:
            self._run(norm, state)
        except Refuse as refused:
            return self._refusal(text, refused, state)
        if not state.steps:
            return self._refusal(text, Refuse("that would change nothing"), state)
        return Plan(text, tuple(state.steps), tuple(dict.fromkeys(state.notes)), self.vocab.song.programs)

    def _protect_file(self, match: re.Match[str]) -> str:
        self.files.append(next(g for g in match.groups() if g))
        return f" fileref{len(self.files) - 1} "

    def _run(self, norm: str, state: State) -> None:
        chunks = [c.strip(" ,") for c in SEPARATORS.split(f" {norm} ") if c.strip(" ,")]
        current = chunks[0] if chunks else ""
        for chunk in chunks[1:]:
            if starts_with_verb(chunk) or (triggered(chunk) and self._parses(current, state)):
                self._clause(current, state)
                current = chunk
            else:
                current = f"{current} and {chunk}"
        self._clause(current, state)

    def _parses(self, text: str, state: State) -> bool:
        try:
            self._clause(text, state.fork())
        except Refuse:
            return False
        return True

    def _clause(self, text: str, state: State) -> None:
        clause = Clause(text)
        intent = self._intent(clause)
        try:
            steps = intent.handle(clause, state, self)
        except Refuse as refused:
            if not refused.ops and not refused.suggestions:
                refused.ops = intent.related
            raise
        unknown = [w for w in clause.unknown() if not re.fullmatch(r"fileref\d+", w)]
        if unknown:
            words = ", ".join(f'"{w}"' for w in dict.fromkeys(unknown))
            raise Refuse(f"I don't know what {words} means in \"{text}\"", ops=intent.related)
        state.add(steps)

    def _intent(self, clause: Clause) -> Intent:
        intent = intent_of(clause.view())
        if intent is not None:
            return intent
        raise Refuse(f"I don't know how to do \"{clause.text}\"",
                     suggestions=closest_examples(clause.words, self.can))

    def _refusal(self, text: str, refused: Refuse, state: State) -> Refusal:
        understood = "; ".join(s.describe(self.vocab.song.programs) for s in state.steps)
        suggestions = refused.suggestions or examples_for(refused.ops, self.can) or closest_examples(
            normalise(text).split(), self.can)
        return Refusal(text, refused.reason, understood, tuple(suggestions))

    # -- helpers for the intents --------------------------------------------------------
    def bars(self, clause: Clause, state: State, *, extend: bool = False) -> tuple[int, int] | None:
        """The clause's bar range checked against the song (None: all bars).

        ``extend``: a closed range past the end is allowed (the step lengthens the song).
        """
        rest = self._rest_of_bars(clause, state)
        if rest is not None:
            return rest
        found, spec = take_bars(clause, state.song.bars)
        if not found or spec is None:
            return None
        return self._check_bars(spec, state, extend)

    def _rest_of_bars(self, clause: Clause, state: State) -> tuple[int, int] | None:
        """"... and the rest softer" after a step over bars: the song's other bars (then taken);
        None when the clause does not say it or no earlier step named bars."""
        said = [s.args["bars"] for s in state.steps if s.args.get("bars")]
        match = clause.find(REST_OF_BARS) if said else None
        if match is None:
            return None
        (first, last), end = said[-1], state.song.bars
        if first > 1 and last < end:
            raise Refuse(f"the rest of the song is two separate places (before bar {first} and after bar {last}); "
                         "name the bars", suggestions=(f"... in bars {last + 1}-{end}",))
        if first == 1 and last == end:
            raise Refuse("the bars before cover the whole song; there is no rest")
        clause.take_span(match.start(), match.end())
        return (last + 1, end) if first == 1 else (1, first - 1)

    def _check_bars(self, spec: BarSpec, state: State, extend: bool) -> tuple[int, int]:
        last_bar = state.song.bars
        if spec.first > last_bar and not (extend and spec.closed):
            raise Refuse(f"the song has {last_bar} bars, so bar {spec.first} is past its end",
                         suggestions=(f"make the song {spec.last if spec.closed else spec.first + 3} bars long",
                                      f"... in bars {max(1, last_bar - 3)}-{last_bar}"))
        if spec.last > last_bar and not extend:
            raise Refuse(f"the song has {last_bar} bars; bars {spec.first}-{spec.last} run past its end",
                         suggestions=(f"... in bars {spec.first}-{last_bar}",
                                      f"make the song {spec.last} bars long"))
        return spec.range

    def select(self, clause: Clause, state: State, *, partial: bool = False) -> Selection:
        """The tracks the clause names (see ``tracks.take_tracks``).

        A clause that names a track the song lacks beside ones it has is refused unless
        ``partial`` (the caller handles ``missing``): "transpose the lead and the trumpet"
        must not transpose only the lead.
        """
        sel = take_tracks(clause, state.song, context=state.last, known=KNOWN_WORDS)
        if sel.names and sel.missing and not partial:
            raise Refuse(f"there is no {sel.missing[0]} track (tracks: {', '.join(t.name for t in state.song.tracks)})")
        return sel

    def step(self, op: str, **args: Any) -> Step:
        """A step for ``op``, refused when the vocabulary lacks it or an argument is out of range."""
        spec = self.vocab.op(op)
        if spec is None or not spec.available:
            reason = spec.unavailable_reason if spec is not None and spec.unavailable_reason else \
                f"{op.replace('_', ' ')} is not available in this Partita"
            raise Refuse(reason, ops=_fallbacks(op))
        _check_args(spec, args)
        return Step(op, args)

    def default(self, op: str, param: str, fallback: float) -> float:
        """The vocabulary's default for ``op``'s ``param``, else ``fallback``."""
        spec = self.vocab.op(op)
        found = spec.param(param) if spec is not None else None
        return float(found.default) if found is not None and found.default is not None else fallback

    def can(self, op: str, limit: str | None = None) -> bool:
        """Whether ``op`` is available (and, with ``limit``, free of that limit)."""
        spec = self.vocab.op(op)
        return spec is not None and spec.available and (limit is None or limit not in spec.limits)

    def file(self, word: str) -> str:
        """The file name a "filerefN" word stands for."""
        return self.files[int(word.removeprefix("fileref"))]


def _fallbacks(op: str) -> tuple[str, ...]:
    return {"separate": ("mute", "remove_track"), "transcribe": ("add_track", "infill"),
            "generate": ("infill", "add_track"), "infill": ("transpose", "quantise")}.get(op, ())


def _check_args(spec: OperationSpec, args: dict[str, Any]) -> None:
    for name, value in args.items():
        param = spec.param(name)
        if param is None or isinstance(value, (bool, tuple, list)) or value is None:
            continue
        if isinstance(value, (int, float)):
            if param.minimum is not None and value < param.minimum or \
                    param.maximum is not None and value > param.maximum:
                raise Refuse(f"{spec.title}: {name.replace('_', ' ')} {value:g} is out of range "
                             f"({param.minimum:g} to {param.maximum:g})")
        elif param.choices and value not in param.choices:
            raise Refuse(f"{spec.title}: {name.replace('_', ' ')} {value!r} is not one of "
                         f"{', '.join(param.choices)}")
