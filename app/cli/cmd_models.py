"""``partita models list | path [NAME] | import FILE [--name NAME] | download NAME``."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.errors import PartitaError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "models", help="list, locate, import or download model weights",
        description="The model store. Weights are looked for in Partita's resources (shipped), "
        "then in the user model folder ($PARTITA_MODELS, else ~/.cache/partita/models).")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True,
                               parser_class=type(p))
    ls = actions.add_parser("list", help="every known model: status (shipped, installed, "
                            "missing), size and file")
    ls.add_argument("--json", action="store_true", help="print one JSON object")
    path = actions.add_parser("path", help="print the user model folder, or the file of model NAME")
    path.add_argument("name", nargs="?", metavar="NAME", help="a model name (see `models list`)")
    imp = actions.add_parser("import", help="copy a .safetensors file into the user model folder")
    imp.add_argument("file", metavar="FILE", help="the weights file")
    imp.add_argument("--name", metavar="NAME",
                     help="which model the file is (needed for your own trained weights, "
                     "e.g. --name composer for `partita train` output)")
    dl = actions.add_parser("download", help="download model NAME from its source, checking its sha256")
    dl.add_argument("name", metavar="NAME", help="a model name (see `models list`)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app import models

    if args.action == "list":
        rows: list[dict[str, Any]] = []
        for m in models.REGISTRY.values():
            state, where = models.status(m)
            rows.append({"name": m.name, "status": state, "size": m.size, "file": m.file,
                         "path": str(where) if where else None, "source": m.url,
                         "description": m.description})
        if args.json:
            print(json.dumps({"models": rows, "user_dir": str(models.user_dir())}))
        else:
            for r in rows:
                print(f"{r['name']:<12} {r['status']:<9} {r['size'] / 1e6:6.1f} MB  {r['path'] or r['file']}")
        return 0
    if args.action == "path":
        print(models.resolve(args.name) if args.name else models.user_dir())
        return 0
    if args.action == "import":
        dest = models.import_file(Path(args.file), args.name)
        print(f"imported {dest}")
        return 0
    if args.action == "download":
        from app.cli.common import StderrProgress

        model = models.info(args.name)
        if not model.url:
            raise PartitaError(f"model {model.name!r} is shipped with Partita and has no download source")
        print(f"downloaded {models.download(model, progress=StderrProgress('downloading'))}")
        return 0
    raise PartitaError(f"unknown action {args.action!r}")
