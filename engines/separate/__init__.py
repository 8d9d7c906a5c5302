"""Stem separation: a mix -> drums, bass, other and vocals (``SOURCES``).

Two separators behind one front (``engines.separate.api``):
- the embedded separator (``mask_model``): a compact time-frequency mask model
  whose weights ship with Partita; runs in numpy, no download, no torch;
- torchaudio's Hybrid Demucs (``hdemucs``), when its pretrained weights are
  in the model store; torch, CPU or GPU.
Both separate long inputs segment by segment (``overlap_add``) so memory
stays bounded, report progress per segment and stop between segments when
cancelled.
"""
from engines.separate.config import ChunkConfig  # noqa: F401
from engines.separate.stems import SOURCES, StemBlock, Stems  # noqa: F401
