"""The model store: which model weights exist, where they are, and how to get them.

A model is resolved in this order: the file shipped in ``resources/models/``,
then the user's model folder (``user_dir()``: imported or downloaded files),
then, only when the caller allows it, a download from the model's source URL
with progress, resumption of a partial file and a sha256 check. Otherwise
``ModelMissingError`` says what is missing, how to get it, and what runs
instead. Weights are ``.safetensors``: tensors plus string metadata, loaded
into classes built from the metadata's config, never unpickled.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from app.errors import PartitaError

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "resources" / "models"
Progress = Callable[[float, str], None]


class ModelMissingError(PartitaError):
    """A model's weights are not here and cannot be fetched now."""


class ModelFileError(PartitaError):
    """A weights file is damaged, or is not the model it claims to be."""


@dataclass(frozen=True)
class ModelInfo:
    """One model: ``file`` name, source ``url`` (None = shipped only), ``size`` in bytes,
    ``sha256`` of the file, what it does, and what runs when it is missing."""

    name: str
    file: str
    url: str | None
    size: int
    sha256: str
    description: str
    fallback: str


REGISTRY: dict[str, ModelInfo] = {
    "composer": ModelInfo(
        name="composer", file="composer.safetensors", url=None, size=2894572,
        sha256="b49c0168d4d048d070a4d2f703086453120f028688cc4316832c1c99e7d343cc",
        description="symbolic infilling / generation of any tracks over any bars (engines.compose)",
        fallback="nothing: infill and generate need it; retrain with `partita train`"),
}


def cache_root() -> Path:
    """Partita's cache: $PARTITA_CACHE, else $XDG_CACHE_HOME/partita, else ~/.cache/partita."""
    if os.environ.get("PARTITA_CACHE"):
        return Path(os.environ["PARTITA_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "partita"


def user_dir() -> Path:
    """Imported and downloaded weights: $PARTITA_MODELS, else ``cache_root()/models``."""
    env = os.environ.get("PARTITA_MODELS")
    return Path(env) if env else cache_root() / "models"


def info(name: str) -> ModelInfo:
    try:
        return REGISTRY[name]
    except KeyError:
        raise PartitaError(f"no model named {name!r}; known models: {', '.join(sorted(REGISTRY))}") from None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find(model: ModelInfo) -> Path | None:
    """The local file of ``model`` (shipped first, then the user folder), or None."""
    for folder in (SHIPPED_DIR, user_dir()):
        path = folder / model.file
        if path.is_file():
            return path
    return None


def resolve(name: str, *, allow_download: bool = False, progress: Progress | None = None) -> Path:
    """Path of model ``name``'s weights; see the module docstring for the order."""
    model = info(name)
    path = find(model)
    if path is not None:
        return path
    if allow_download and model.url:
        return download(model, progress=progress)
    how = (f"run `partita models download {name}` while online, or " if model.url else "")
    raise ModelMissingError(f"model {name!r} ({model.file}) is not installed; {how}get the file and run "
                            f"`partita models import FILE`; meanwhile: {model.fallback}")


def download(model: ModelInfo, *, progress: Progress | None = None, timeout: float = 30.0) -> Path:
    """Fetch ``model.url`` into ``user_dir()``, resuming a partial ``.part`` file, checking sha256.

    A hash mismatch deletes the download and raises ``ModelFileError``.
    """
    if not model.url:
        raise ModelMissingError(f"model {model.name!r} has no download source; import its file instead")
    if os.environ.get("PARTITA_OFFLINE"):
        raise ModelMissingError(f"not downloading model {model.name!r}: PARTITA_OFFLINE is set; "
                                "import the file with `partita models import FILE`")
    dest = user_dir() / model.file
    part = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(model.url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            if have and resp.status != 206:
                have = 0
            _stream(resp, part, have, model, progress)
    except (urllib.error.URLError, OSError) as exc:
        raise ModelMissingError(f"could not download model {model.name!r} from {model.url}: "
                                f"{getattr(exc, 'reason', exc)}; import the file with `partita models import FILE`"
                                ) from None
    digest = sha256_file(part)
    if digest != model.sha256:
        part.unlink(missing_ok=True)
        raise ModelFileError(f"downloaded {model.file} has sha256 {digest[:12]}…, expected "
                             f"{model.sha256[:12]}…; the file was deleted, try again later")
    os.replace(part, dest)
    return dest


def _stream(resp: object, part: Path, have: int, model: ModelInfo, progress: Progress | None) -> None:
    total = have + int(resp.headers.get("Content-Length") or 0) or model.size  # type: ignore[attr-defined]
    with open(part, "ab" if have else "wb") as fh:
        done = have
        while block := resp.read(1 << 16):  # type: ignore[attr-defined]
            fh.write(block)
            done += len(block)
            if progress:
                progress(min(1.0, done / max(total, 1)), f"downloading {model.file}")


def import_file(path: Path, name: str | None = None) -> Path:
    """Copy a weights file into ``user_dir()`` under the registered name it matches.

    The model is the one whose sha256 matches, else ``name``, else the one
    whose file name matches; a registered model with a different hash is
    accepted only when ``name`` is given (e.g. your own fine-tuned composer).
    """
    path = Path(path)
    if not path.is_file():
        raise PartitaError(f"{path} is not a file")
    digest = sha256_file(path)
    match = next((m for m in REGISTRY.values() if m.sha256 == digest), None)
    match = match or (info(name) if name else None)
    match = match or next((m for m in REGISTRY.values() if m.file == path.name), None)
    if match is None:
        raise PartitaError(f"{path.name} matches no known model; pass --name with one of {', '.join(REGISTRY)}")
    check_safetensors(path)
    dest = user_dir() / match.file
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    shutil.copyfile(path, tmp)
    os.replace(tmp, dest)
    return dest


def check_safetensors(path: Path) -> dict[str, str]:
    """The metadata of a safetensors file; ``ModelFileError`` when it is not one."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), "pt") as fh:
            return dict(fh.metadata() or {})
    except Exception as exc:  # safetensors raises several types for a bad header
        raise ModelFileError(f"{path.name} is not a readable .safetensors file ({exc})") from None


def load_safetensors(path: Path) -> tuple[dict, dict[str, str]]:
    """(tensors, metadata) of a safetensors file, as torch tensors on the CPU."""
    from safetensors.torch import load_file

    meta = check_safetensors(path)
    return load_file(str(path)), meta


def status(model: ModelInfo) -> tuple[str, Path | None]:
    """("shipped" | "installed" | "missing", path)."""
    path = find(model)
    if path is None:
        return "missing", None
    return ("shipped" if path.parent == SHIPPED_DIR else "installed"), path
