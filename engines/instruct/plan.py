"""What the planner returns: a ``Plan`` of steps, or a ``Refusal`` that helps.

A step names one operation of the vocabulary and its arguments; track
references are track names, bar ranges (first, last) 1-based and inclusive
(None = the whole song), amounts in semitones, dB or BPM as the argument's
name says.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from engines.instruct.describe import describe_step


@dataclass(frozen=True)
class Step:
    """One operation with its arguments, e.g. ``Step("transpose", {"tracks": ("Lead",), ...})``."""

    op: str
    args: dict[str, Any] = field(default_factory=dict)

    def describe(self, programs: Sequence[str] = ()) -> str:
        """One line for the user, e.g. "Transpose Lead up 12 semitones, all bars".

        ``programs``: the 128 General MIDI names, to name instruments.
        """
        return describe_step(self.op, self.args, programs)


@dataclass(frozen=True)
class Plan:
    """The steps for an instruction, in order, applied as one edit.

    ``notes`` are things the user said that the plan understood but does not
    act on (shown with the plan, never dropped silently).
    """

    text: str
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = ()
    programs: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def lines(self) -> list[str]:
        """The plan for a person: numbered steps, then the notes."""
        out = [f"{i}. {step.describe(self.programs)}" for i, step in enumerate(self.steps, 1)]
        return out + [f"note: {n}" for n in self.notes]


@dataclass(frozen=True)
class Refusal:
    """Why an instruction cannot be carried out.

    ``reason``: what is wrong, one sentence. ``understood``: what the planner
    did make of it ("" when nothing). ``suggestions``: the closest things it
    can do, as instructions the user could type.
    """

    text: str
    reason: str
    understood: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """One line: the reason, what was understood, and what to try instead."""
        reason = self.reason.rstrip(".")
        parts = [reason if reason.endswith(("?", "!")) else reason + "."]
        if self.understood:
            parts.append(f"I understood: {self.understood}.")
        if self.suggestions:
            parts.append("I can: " + "; ".join(f'"{s}"' for s in self.suggestions) + ".")
        return " ".join(parts)


class Refuse(Exception):
    """Raised inside the planner; becomes a ``Refusal``."""

    def __init__(self, reason: str, *, suggestions: tuple[str, ...] = (),
                 ops: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.suggestions = suggestions
        self.ops = ops
        """Operations to suggest instead (turned into example instructions)."""
