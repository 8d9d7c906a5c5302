"""Editing by instruction: a project and plain English -> a plan -> one undoable command.

``plan_instruction`` asks the planner (``engines.instruct``) with a vocabulary of the
catalogue's operations and the project's tracks (``app.edit_vocab``). ``plan_command``
carries a plan out: every step runs on a working copy of the project, in order (so
"add a bass track, then infill it" finds the track), and the commands come back as one
``Compound`` for the live project, which the caller pushes (one Ctrl+Z undoes it all).
Engine steps (infill, generate, separate, transcribe, controls) report progress and
stop at the next chunk when cancelled; nothing is changed until the command is pushed.

Lifecycle of a window's edit: ``plan_instruction`` while the user types ->
``edit_job(project.snapshot(), plan)`` -> the job's ``work(progress, cancel)`` returns
the ``Compound`` -> the window pushes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.commands import Command, Compound
from app.errors import PartitaError
from app.jobs import Job
from app.project import Project
from engines.common import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from engines.instruct import Plan, Refusal, Step

ENGINE_WEIGHT = 20.0
"""How much longer an engine step counts than a plain edit in the progress bar."""


@dataclass(frozen=True)
class EditSettings:
    """How engine steps run: ``seed`` for the composer and generator (the same seed gives the
    same result), ``device`` "auto", "cpu" or "cuda"."""

    seed: int = 0
    device: str = "auto"


def plan_instruction(project: Project, text: str) -> "Plan | Refusal":
    """The plan for ``text`` on ``project``, or a refusal that says why and what to try."""
    from app.edit_vocab import vocabulary
    from engines.instruct import Planner

    return Planner(vocabulary(project)).plan(text)


def plan_command(project: Project, plan: "Plan", *, settings: EditSettings = EditSettings(),
                 progress: Progress = no_progress, cancel: CancelToken | None = None) -> Compound:
    """Carry ``plan`` out on a working copy of ``project`` and return it as one command.

    ``project`` is only read (give a snapshot when a window edits it meanwhile).
    Raises ``PartitaError`` with a one-line reason when a step cannot run;
    ``Cancelled`` when ``cancel`` is set between steps or engine chunks.
    """
    from app.edit_steps import is_engine_step, run_step

    work = project.snapshot()
    weights = [ENGINE_WEIGHT if is_engine_step(s.op) else 1.0 for s in plan.steps]
    total, done_weight = sum(weights), 0.0
    done: list[Command] = []
    try:
        for step, weight in zip(plan.steps, weights):
            if cancel is not None:
                cancel.check()
            report = _share(progress, done_weight / total, weight / total, step.describe(plan.programs))
            command = run_step(work, step, settings=settings, progress=report, cancel=cancel)
            _apply(work, command, step)
            done.append(command)
            done_weight += weight
    finally:
        for command in reversed(done):
            command.undo(work)
    progress(1.0, "planned edit ready")
    return Compound(f"Edit: {plan.text.strip()}", done)


def _apply(work: Project, command: Command, step: "Step") -> None:
    try:
        command.do(work)
    except (ValueError, KeyError) as exc:
        raise PartitaError(f"{step.describe()}: {exc}".replace('"', "")) from None


def _share(progress: Progress, start: float, size: float, what: str) -> Progress:
    def report(fraction: float, message: str = "") -> None:
        progress(start + size * min(max(fraction, 0.0), 1.0), message or what)

    report(0.0)
    return report


def edit_job(project: Project, plan: "Plan", *, settings: EditSettings = EditSettings()) -> Job:
    """A job that carries ``plan`` out on ``project`` (a snapshot) and returns the command.

    A plan with an engine step runs in a worker process (``app.workers``), so an engine
    crash fails the job and nothing else; plain edits run on the job's thread.
    """
    from app.edit_steps import is_engine_step

    title = f"Edit: {plan.text.strip()}"
    if any(is_engine_step(step.op) for step in plan.steps):
        from app.workers import InWorker

        return Job(title, InWorker("app.edit:plan_command", project=project, plan=plan, settings=settings))

    def work(progress: Progress, cancel: CancelToken) -> Command:
        return plan_command(project, plan, settings=settings, progress=progress, cancel=cancel)

    return Job(title, work)


def describe(result: "Plan | Refusal") -> list[str]:
    """Lines for a person: the numbered steps and notes, or the refusal's message."""
    from engines.instruct import Plan

    return result.lines() if isinstance(result, Plan) else [result.message]

