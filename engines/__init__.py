"""Compute engines for Partita.

Engines take arrays and dataclasses and return frozen dataclasses. They never
import ``app`` or ``ui``, never take file paths, and import torch only inside
the functions that need it, so ``import engines`` stays fast.
"""
