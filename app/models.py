"""The model store: which model weights exist, where they are, which one is used, how to get them.

Every model is a ``ModelInfo`` in ``REGISTRY``: name, kind, file, source,
size, sha256, what it does and what runs when it is missing. A model's file
can be in up to three places; the first that exists is **in use**:

1. ``imported`` — the user's own file under the model's name in ``user_dir()``
   (``partita models import FILE --name NAME``: a fine-tuned composer, a
   separator the user fetched). It wins over the shipped one of that name.
   Its sha256 is recorded at import time in ``user_dir()/imported.json``.
2. ``shipped`` — in ``resources/models/``, or inside an installed Python
   package when the source is ``package:MODULE/PATH``.
3. ``cached`` — downloaded from the model's ``url`` into ``download_dir()``.

Every file is verified against its sha256 (the registered one; for an
imported file, the one recorded when it was imported) when it is resolved
for loading, not only after a download; the result is remembered by path,
size and mtime (``verified.json`` in the cache), so start-up hashes nothing
twice. A damaged file is refused with one line (``ModelFileError``); a
missing one raises ``ModelMissingError`` naming what to run, and what runs
instead (``ModelInfo.fallback``). Downloads (``app.model_download``) show
progress, resume a partial file and refuse a hash mismatch. Weights are
``.safetensors``: tensors plus string metadata, loaded into classes built
from the metadata's config, never unpickled.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from app.errors import PartitaError

if TYPE_CHECKING:
    import torch

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "resources" / "models"
Progress = Callable[[float, str], None]
IMPORTED, SHIPPED, CACHED, MISSING = "imported", "shipped", "cached", "missing"
"""A file's state; ``MISSING`` when a model has no file at all."""
PACKAGE_PREFIX = "package:"


class ModelMissingError(PartitaError):
    """A model's weights are not here and cannot be fetched now; ``fallback`` says what runs instead."""

    def __init__(self, message: str, fallback: str = "") -> None:
        super().__init__(message)
        self.fallback = fallback


class ModelFileError(PartitaError):
    """A weights file is damaged, or is not the model it claims to be."""


@dataclass(frozen=True)
class ModelInfo:
    """One model of ``kind`` (the engine that loads it: "composer", "separator", ...).

    ``file``: its file name. ``url``: where to download it (http/https), or
    ``package:MODULE/PATH`` for weights inside an installed package, or None
    (shipped in ``resources/models`` only). ``size`` in bytes and ``sha256`` of
    the official file. ``fallback``: what runs when it is missing, as a phrase
    ("the embedded separator runs instead"). ``formats``: accepted values of the
    safetensors metadata key "format" (empty: any file).
    """

    name: str
    kind: str
    file: str
    url: str | None
    size: int
    sha256: str
    description: str
    fallback: str
    formats: tuple[str, ...] = ()


REGISTRY: dict[str, ModelInfo] = {
    "composer": ModelInfo(
        name="composer", kind="composer", file="composer.safetensors", url=None, size=2932508,
        sha256="65a7d8534e598e20236d0e42ad408332da3cedb1213d7786ef13b4d6a2c02aa7",
        description="symbolic infilling / generation of any tracks over any bars (engines.compose)",
        fallback="nothing runs instead: infill and generate need it; reinstall Partita or train "
                 "one with `partita train`", formats=("partita.composer/1",)),
    "separator": ModelInfo(
        name="separator", kind="separator", file="separator.safetensors", url=None, size=1477516,
        sha256="d114e8e4787182609b2bd07a1cf41f17187fe236cb12a9d4a38b1040ac78d437",
        description="embedded stem separator: drums / bass / other / vocals masks from a 736k-parameter "
                    "network, numpy, any sample rate (engines.separate; card: resources/models/separator.md)",
        fallback="the DSP separator runs instead (--model dsp)", formats=("partita.separator/1",)),
    "hdemucs": ModelInfo(
        name="hdemucs", kind="separator", file="hdemucs_high_trained.pt",
        url="https://download.pytorch.org/torchaudio/models/hdemucs_high_trained.pt", size=334_697_255,
        sha256="a004b2790d73ffeaa535db458a1a79b539dfdbafbccc31f275d07e632ebd7816",
        description="Hybrid Demucs (torchaudio HDEMUCS_HIGH_MUSDB_PLUS, Défossez 2021): drums / bass / other "
                    "/ vocals at 44.1 kHz; MUSDB-HQ + 150 songs; a state dict loaded with weights_only",
        fallback="the embedded separator runs instead (--model embedded)"),
    "basic-pitch": ModelInfo(
        name="basic-pitch", kind="transcriber", file="basic-pitch-nmp.onnx", url=None, size=230_444,
        sha256="2c3c1d144bfa61ad236e92e169c13535c880469a12a047d4e73451f2c059a0ec",
        description="basic-pitch's ICASSP 2022 network (Spotify, Apache-2.0), the ONNX file of its 0.4.0 "
                    "wheel: note, onset and pitch posteriors for transcription (engines.transcribe)",
        fallback="nothing runs instead: pitched transcription needs it; reinstall Partita"),
    "drum-classifier": ModelInfo(
        name="drum-classifier", kind="drum-classifier", file="drum-classifier.safetensors", url=None,
        size=171_132, sha256="d52a524e5ac8464a6d5c722526f9c9c3a86eb5ceab25429c0fc3e6320722a246",
        description="kick / snare / hi-hat / tom / cymbal at each drum onset (engines.transcribe.drums), "
                    "fitted by `python -m app.transcribe_train`",
        fallback="nothing runs instead: drum transcription needs it; refit it with "
                 "`python -m app.transcribe_train FILE` and import it", formats=("partita.drums/1",)),
}


@dataclass(frozen=True)
class Candidate:
    """One file of a model: ``state`` (imported / shipped / cached), where, and where it came from."""

    state: str
    path: Path
    origin: str
    sha256: str | None
    """The hash it must have (None: an imported file nobody recorded; only its header is checked)."""


def user_dir() -> Path:
    """Imported and fine-tuned weights: $PARTITA_MODELS, else ``$XDG_DATA_HOME/partita/models``."""
    from app.settings import data_dir

    env = os.environ.get("PARTITA_MODELS")
    return Path(env) if env else data_dir() / "models"


def legacy_dir() -> Path | None:
    """Where imports went before they moved to the data folder (read, never written)."""
    from app.settings import cache_dir

    return None if os.environ.get("PARTITA_MODELS") else cache_dir() / "models"


def download_dir() -> Path:
    """Downloaded weights: ``user_dir()/downloads`` (re-fetchable, safe to delete)."""
    return user_dir() / "downloads"


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


# -- where a model's files are -------------------------------------------------------------------------
def candidates(model: ModelInfo) -> list[Candidate]:
    """The model's files that exist, in order of precedence (the first is in use)."""
    found = []
    recorded = _imported_manifest().get(model.name, {})
    for folder in (user_dir(), legacy_dir()):
        path = folder / model.file if folder else None
        if path is not None and path.is_file():
            found.append(Candidate(IMPORTED, path, str(recorded.get("from", "imported")),
                                   recorded.get("sha256") if folder == user_dir() else None))
            break
    shipped = _shipped_path(model)
    if shipped is not None and shipped.is_file():
        found.append(Candidate(SHIPPED, shipped, "shipped with Partita" if model.url is None or
                               not model.url.startswith(PACKAGE_PREFIX) else model.url, model.sha256))
    cached = download_dir() / model.file
    if cached.is_file():
        found.append(Candidate(CACHED, cached, model.url or "downloaded", model.sha256))
    return found


def _shipped_path(model: ModelInfo) -> Path | None:
    if model.url and model.url.startswith(PACKAGE_PREFIX):
        import importlib.util

        module, _, inner = model.url[len(PACKAGE_PREFIX):].partition("/")
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            return None
        return Path(list(spec.submodule_search_locations)[0]) / inner
    return SHIPPED_DIR / model.file


def in_use(model: ModelInfo) -> Candidate | None:
    found = candidates(model)
    return found[0] if found else None


# -- verification --------------------------------------------------------------------------------------
def _verified_path() -> Path:
    from app.settings import cache_dir

    return cache_dir() / "verified.json"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Atomic write; a read-only folder only costs a re-hash next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def file_sha256(path: Path) -> str:
    """sha256 of ``path``, remembered by (path, size, mtime) so an unchanged file is hashed once."""
    st = path.stat()
    key, stamp = str(path.resolve()), [st.st_size, st.st_mtime_ns]
    known = _read_json(_verified_path())
    entry = known.get(key)
    if isinstance(entry, list) and entry[:2] == stamp and isinstance(entry[2], str):
        return entry[2]
    digest = sha256_file(path)
    remember_sha256(path, digest)
    return digest


def remember_sha256(path: Path, digest: str) -> None:
    """Record ``digest`` as ``path``'s sha256 at its current size and mtime (just hashed elsewhere)."""
    st = path.stat()
    known = _read_json(_verified_path())
    known[str(path.resolve())] = [st.st_size, st.st_mtime_ns, digest]
    _write_json(_verified_path(), known)


def check(model: ModelInfo, cand: Candidate) -> str | None:
    """None when ``cand`` is intact, else one sentence saying what is wrong and what to do."""
    if cand.sha256 is None:
        try:
            check_safetensors(cand.path)
        except ModelFileError as exc:
            return f"{exc}; {_fix(model, cand)}"
        return None
    digest = file_sha256(cand.path)
    if digest == cand.sha256:
        return None
    return (f"the {cand.state} {model.name} weights {cand.path} are damaged (sha256 {digest[:12]}…, "
            f"expected {cand.sha256[:12]}…); {_fix(model, cand)}")


def _fix(model: ModelInfo, cand: Candidate) -> str:
    if cand.state == IMPORTED:
        return (f"import the file again with `partita models import FILE --name {model.name}`, or "
                f"`partita models remove {model.name}` to use the shipped one")
    if cand.state == CACHED:
        return f"run `partita models download {model.name}` to fetch it again"
    return "reinstall Partita"


# -- resolving -----------------------------------------------------------------------------------------
def resolve(name: str, *, allow_download: bool = False, progress: Progress | None = None) -> Path:
    """Path of model ``name``'s verified weights: the file in use (see the module docstring).

    Without a local file, downloads it when ``allow_download`` and the model
    has a URL; else ``ModelMissingError``. A damaged file: ``ModelFileError``.
    """
    model = info(name)
    cand = in_use(model)
    if cand is not None:
        problem = check(model, cand)
        if problem:
            raise ModelFileError(problem)
        return cand.path
    if allow_download and model.url and not model.url.startswith(PACKAGE_PREFIX):
        return download(model, progress=progress)
    raise missing(model)


def missing(model: ModelInfo, reason: str = "") -> ModelMissingError:
    """The error for a model with no file: what to run, and what runs meanwhile."""
    if model.url and model.url.startswith(PACKAGE_PREFIX):
        how = f"install the Python package {model.url[len(PACKAGE_PREFIX):].split('/')[0]!r}, or "
    elif model.url:
        how = f"run `partita models download {model.name}` while online, or "
    else:
        how = ""
    why = f" ({reason})" if reason else ""
    return ModelMissingError(f"model {model.name!r} ({model.file}) is not installed{why}; {how}get the file "
                             f"and run `partita models import FILE --name {model.name}`; meanwhile "
                             f"{model.fallback}", model.fallback)


def download(model: ModelInfo, *, progress: Progress | None = None, timeout: float = 30.0) -> Path:
    """Fetch ``model.url`` into ``download_dir()`` (see ``app.model_download.download``)."""
    from app.model_download import download as fetch

    return fetch(model, progress=progress, timeout=timeout)


def load_weights(name: str, *, allow_download: bool = False, progress: Progress | None = None,
                 ) -> tuple[dict[str, "torch.Tensor"], dict[str, str]]:
    """(tensors, metadata) of model ``name``'s verified file in use, on the CPU."""
    return load_safetensors(resolve(name, allow_download=allow_download, progress=progress))


# -- importing -----------------------------------------------------------------------------------------
def _imported_manifest() -> dict[str, dict[str, Any]]:
    data = _read_json(user_dir() / "imported.json")
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def import_file(path: Path, name: str | None = None) -> Path:
    """Copy a weights file into ``user_dir()`` as model ``name``; it is then in use for that name.

    Without ``name``, the model is the one whose sha256 matches, else the one
    whose file name matches. A model's ``formats`` must match the file's
    metadata, so separator weights cannot become the composer by mistake.
    The file's sha256 is recorded; a later change to the copy is refused at load.
    """
    path = Path(path)
    if not path.is_file():
        raise PartitaError(f"{path}: no such file")
    digest = sha256_file(path)
    model = info(name) if name else (next((m for m in REGISTRY.values() if m.sha256 == digest), None)
                                     or next((m for m in REGISTRY.values() if m.file == path.name), None))
    if model is None:
        raise PartitaError(f"{path.name} matches no known model; pass --name with one of {', '.join(REGISTRY)}")
    if path.suffix == ".safetensors" or model.formats:
        fmt = check_safetensors(path).get("format")
        if model.formats and fmt not in model.formats:
            raise ModelFileError(f"{path.name} holds {fmt or 'unlabelled'} weights, not a {model.kind} model "
                                 f"(expected format {', '.join(model.formats)})")
    dest = user_dir() / model.file
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    shutil.copyfile(path, tmp)
    os.replace(tmp, dest)
    remember_sha256(dest, digest)
    manifest = _imported_manifest()
    manifest[model.name] = {"file": model.file, "sha256": digest, "size": dest.stat().st_size,
                            "from": str(path.resolve()), "at": time.strftime("%Y-%m-%d %H:%M:%S")}
    _write_json(user_dir() / "imported.json", manifest)
    return dest


def remove_import(name: str) -> Path:
    """Delete the imported file of model ``name`` (the shipped or cached one is used again)."""
    model = info(name)
    imported = next((c for c in candidates(model) if c.state == IMPORTED), None)
    if imported is None:
        raise PartitaError(f"no imported file for model {name!r} in {user_dir()}")
    dest = imported.path
    dest.unlink()
    manifest = _imported_manifest()
    manifest.pop(name, None)
    _write_json(user_dir() / "imported.json", manifest)
    return dest


# -- safetensors ---------------------------------------------------------------------------------------
def check_safetensors(path: Path) -> dict[str, str]:
    """The metadata of a safetensors file; ``ModelFileError`` when it is not one."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), "pt") as fh:
            return dict(fh.metadata() or {})
    except Exception as exc:  # safetensors raises several types for a bad header
        raise ModelFileError(f"{path.name} is not a readable .safetensors file ({exc})") from None


def load_safetensors(path: Path) -> tuple[dict[str, "torch.Tensor"], dict[str, str]]:
    """(tensors, metadata) of a safetensors file, as torch tensors on the CPU."""
    from safetensors.torch import load_file

    meta = check_safetensors(path)
    try:
        return load_file(str(path)), meta
    except Exception as exc:  # a truncated body passes the header check
        raise ModelFileError(f"{path.name} is damaged: {exc}") from None
