"""The composer: any-track, any-span symbolic infilling and generation.

Front object: ``engines.compose.api.ComposeEngine`` (``infill(InfillTask)``).
Representation: ``grid`` (tracks as monophonic lanes on a 16th grid).
Network: ``model.Composer`` (axial transformer), configured by ``config``,
trained by ``train`` on ``batches`` of masked ``data`` pieces (``corpus``
parses music21's corpus), sampled by ``sample`` (iterative refinement with
per-cell constraints), stored by ``weights``; ``metrics``, ``baselines`` and
``evaluate`` make the benchmark figures. Modules import torch only where they
run the network; importing this package imports nothing heavy.
"""
