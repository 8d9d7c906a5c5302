"""Downloading a model's weights: progress, resumption, size and sha256 checks.

Lifecycle of one ``download``: bytes stream into ``download_dir()/FILE.part``
(appending, with an HTTP Range request, when a partial file is there and the
server honours it; from the start otherwise), progress is reported as the
fraction of ``ModelInfo.size``; the finished file's sha256 must match the
registry, else it is deleted and ``ModelFileError`` raised; only then is it
renamed to ``FILE``. No network (``$PARTITA_OFFLINE``, or the source cannot
be reached) is a ``ModelMissingError`` that names what runs instead.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from app.models import (PACKAGE_PREFIX, ModelFileError, ModelInfo, ModelMissingError, Progress, download_dir,
                        missing, remember_sha256, sha256_file)

BLOCK = 1 << 16
"""Bytes read per chunk (progress is reported per chunk)."""
OFFLINE_ENV = "PARTITA_OFFLINE"


def download(model: ModelInfo, *, progress: Progress | None = None, timeout: float = 30.0) -> Path:
    """Fetch ``model.url`` into ``download_dir()``; returns the verified file (see module doc)."""
    import urllib.error
    import urllib.request

    if not model.url or model.url.startswith(PACKAGE_PREFIX):
        raise ModelMissingError(f"model {model.name!r} has no download source; it ships with Partita or its "
                                f"package; import its file with `partita models import FILE --name {model.name}`",
                                model.fallback)
    if os.environ.get(OFFLINE_ENV):
        raise missing(model, f"not downloading: ${OFFLINE_ENV} is set")
    dest = download_dir() / model.file
    if dest.is_file() and sha256_file(dest) == model.sha256:
        return dest
    part = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    if have >= model.size:  # a finished download that was never renamed, or junk
        if have == model.size and sha256_file(part) == model.sha256:
            os.replace(part, dest)
            remember_sha256(dest, model.sha256)
            return dest
        part.unlink()
        have = 0
    request = urllib.request.Request(model.url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            if have and resp.status != 206:
                have = 0  # the server sends the whole file again
            with open(part, "ab" if have else "wb") as fh:
                _stream(resp, fh, have, model, progress)
    except ModelFileError:
        part.unlink(missing_ok=True)
        raise
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise missing(model, f"could not download it from {model.url}: {reason}; "
                             f"{part.stat().st_size if part.exists() else 0} bytes kept to resume") from None
    if part.stat().st_size < model.size:  # the connection closed early: keep what came
        raise missing(model, f"the download from {model.url} stopped early; "
                             f"{part.stat().st_size} bytes kept to resume")
    return _verify_and_keep(model, part, dest)


def _stream(resp: IO[bytes], fh: IO[bytes], have: int, model: ModelInfo, progress: Progress | None) -> None:
    """Copy the response into ``fh`` from byte ``have``; refuses more bytes than the model has."""
    done = have
    total_mb = model.size / 1e6
    while block := resp.read(BLOCK):
        done += len(block)
        if done > model.size:
            raise ModelFileError(f"the server sent more than the {model.size} bytes of {model.file}; "
                                 "the source may have changed, try again later")
        fh.write(block)
        if progress:
            progress(done / max(model.size, 1), f"downloading {model.file}: {done / 1e6:.1f} / {total_mb:.1f} MB")


def _verify_and_keep(model: ModelInfo, part: Path, dest: Path) -> Path:
    digest = sha256_file(part)
    if digest != model.sha256:
        part.unlink(missing_ok=True)
        raise ModelFileError(f"downloaded {model.file} has sha256 {digest[:12]}…, expected {model.sha256[:12]}…; "
                             "it was deleted and nothing was installed; try again later")
    os.replace(part, dest)
    remember_sha256(dest, digest)
    return dest
