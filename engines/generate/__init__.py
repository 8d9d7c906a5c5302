"""Controlled generation: melody, dynamics and rhythm controls (any of them only partly
specified) and musical attributes -> a multi-track arrangement that follows them.

Front object: ``pipeline.Generator`` (``generate(GenerateTask)``), around the
composer (``engines.compose``). Rules here: ``timing`` (beats -> a bar grid
and tempo map), ``melody`` (a pitch or pitch-class curve -> the melody's
notes), ``dynamics`` and ``leveling`` (the dynamics curve -> velocities),
``drums`` (grooves that follow the beats), ``attributes``, ``vocabulary``
and ``prompt`` (plain words -> attributes), ``tonality`` (the key).
Importing this package imports nothing heavy.
"""
