"""Errors a user can act on. The CLI prints them as one ``partita: error:`` line."""
from __future__ import annotations


class PartitaError(Exception):
    """Something the user can fix: bad input, a missing model, a newer file.

    The message is one sentence that says what is wrong and what to do.
    """


class InputError(PartitaError):
    """An input file could not be read or is not what it claims to be."""


class ProjectFileError(InputError):
    """A ``.partita`` file is damaged, or was written by a newer Partita."""
