"""Partita's window: PySide6 + pyqtgraph widgets that show and edit an ``app.Project``.

One widget per module. The window (``main_window``) holds a ``DocumentModel``
(the document's changes as Qt signals), one ``TimeAxis`` every lane shares,
and these views: ``transport`` (play, loop, position, tempo, meter, key),
the ``ruler`` (bars, loop region, playhead), ``track_list`` rows of ``track_header`` + ``track_lane``, ``editor_pane``
(``piano_keys``, ``piano_roll`` with ``note_mouse`` gestures, ``velocity_lane``),
``curves_pane`` (``curve_lane`` with ``curve_tools`` strokes) and
``jobs_panel``. ``qt_player``/``qt_render`` adapt the pure ``app.player`` and
``app.live_render``; ``file_actions`` does files, ``dnd`` drag and drop,
``menus`` the actions and shortcuts, ``theme``/``icons`` the look,
``painter_paths`` many shapes drawn from arrays, ``elided_label`` text that
never widens the window. Engine
helpers plug in through ``ui.actions``. ``ui.app.run(document)`` starts it all.

``note_index``, ``curve_tools`` and ``snap`` hold pure logic and
import no Qt; the note edits themselves are ``app.note_edits``.
"""
