"""Opening or starting another document: the window lets go of the old one."""
from __future__ import annotations

from app.commands import AddNotes
from app.project import Note


def test_edits_to_a_replaced_document_no_longer_reach_the_window(window, qtbot):
    old = window.model.document
    melody = window.project.track_named("Melody")
    window.files.new()
    assert window.model.document is not old
    revision = window.model.revision
    with qtbot.assertNotEmitted(window.model.notes_changed, wait=50):
        old.push(AddNotes(melody.id, [Note(60, 0, 120, 90)]))
    assert window.model.revision == revision
    assert not window.model.modified, "the new document is untouched"


def test_the_undo_stack_names_the_command_it_would_undo(window):
    melody = window.project.track_named("Melody")
    first, second = AddNotes(melody.id, [Note(60, 0, 120, 90)]), AddNotes(melody.id, [Note(62, 0, 120, 90)])
    stack = window.model.document.undo_stack
    window.model.push(first)
    window.model.push(second)
    assert stack.top is second and stack.top.label == first.label
    window.model.undo()
    assert stack.top is first
