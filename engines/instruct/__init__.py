"""Instruction editing: plain English -> a plan of operations (Instruct-MusicGen's edits,
MusicAgent's decomposition into tool calls), deterministic and testable.

    planner = Planner(Vocabulary(operations, song))
    result = planner.plan("remove the drums and add a shuffle from bar 9")
    # a Plan (steps naming operations, with their arguments) or a Refusal

The vocabulary is plain data the app builds from its operation catalogue and
the open project; this package never imports the app.
"""
from engines.instruct.config import InstructConfig
from engines.instruct.operations import OPERATIONS, every_operation
from engines.instruct.plan import Plan, Refusal, Step
from engines.instruct.planner import Planner
from engines.instruct.vocabulary import OperationSpec, ParamSpec, SongInfo, TrackInfo, Vocabulary

__all__ = ["InstructConfig", "OPERATIONS", "OperationSpec", "ParamSpec", "Plan", "Planner", "Refusal",
           "SongInfo", "Step", "TrackInfo", "Vocabulary", "every_operation"]
