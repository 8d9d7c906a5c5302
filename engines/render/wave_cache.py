"""A thread-safe least-recently-used cache of rendered note waveforms, bounded in bytes."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable

import numpy as np


class WaveCache:
    """Maps a hashable key to a read-only float32 array; evicts the oldest past ``max_bytes``.

    Lifecycle: empty when made; ``get_or_make`` fills it; ``clear`` empties it and resets the hit/miss counts.
    Safe to share between render threads (a miss may be computed twice, never
    stored twice).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, key: Hashable, make: Callable[[], np.ndarray]) -> np.ndarray:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        wave = make()
        wave.setflags(write=False)
        self._store(key, wave)
        return wave

    def _store(self, key: Hashable, wave: np.ndarray) -> None:
        if wave.nbytes > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = wave
            self._bytes += wave.nbytes
            while self._bytes > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= old.nbytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def nbytes(self) -> int:
        return self._bytes
