"""Stem separation: a mix -> drums, bass, other and vocals (``SOURCES``).

Three separators behind one front (``engines.separate.api``: ``Separator``, ``separate``):
- the embedded separator (``embedded`` + ``mask_model``): a compact band-mask network
  whose weights ship with Partita; numpy only, any sample rate, no download;
- torchaudio's Hybrid Demucs (``hdemucs``), when its pretrained weights are in the
  model store; torch, CPU or GPU, 44.1 kHz;
- signal processing (``dsp``): a harmonic/percussive split with a bass band and,
  optionally, a comb on the lead's pitch; the benchmark's baselines.
All separate long inputs segment by segment (``overlap_add``), so memory stays
bounded, report progress per segment and stop between segments when cancelled.
Mask separators' stems sum to the input exactly. ``metrics`` scores stems (SDR);
``mask_torch`` and ``mask_train`` train the embedded network.
"""
from engines.separate.config import ChunkConfig  # noqa: F401
from engines.separate.stems import SOURCES, StemBlock, Stems  # noqa: F401
