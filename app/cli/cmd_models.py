"""``partita models list | path [NAME] | import FILE [--name NAME] | remove NAME | download NAME``."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.errors import PartitaError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "models", help="list, locate, import, remove or download model weights",
        description="The model store. A model's file is looked for in the user model folder "
        "($PARTITA_MODELS, else ~/.local/share/partita/models: files you imported — they win over "
        "the shipped ones), then in Partita's resources (shipped), then among downloads. Every "
        "file is checked against its sha256 before it is loaded.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True,
                               parser_class=type(p))
    ls = actions.add_parser("list", help="every known model, each of its files with its state "
                            "(imported, shipped, cached, missing) and which one is in use")
    ls.add_argument("--json", action="store_true", help="print one JSON object")
    path = actions.add_parser("path", help="print the user model folder, or the file model NAME uses")
    path.add_argument("name", nargs="?", metavar="NAME", help="a model name (see `models list`)")
    imp = actions.add_parser("import", help="copy a weights file into the user model folder; it is then "
                             "used instead of the shipped model of that name")
    imp.add_argument("file", metavar="FILE", help="the weights file (.safetensors)")
    imp.add_argument("--name", metavar="NAME",
                     help="which model the file is (needed for your own trained weights, "
                     "e.g. --name composer for `partita train` output)")
    rm = actions.add_parser("remove", help="delete the imported file of model NAME (the shipped one "
                            "is used again)")
    rm.add_argument("name", metavar="NAME", help="a model name (see `models list`)")
    dl = actions.add_parser("download", help="download model NAME from its source, with progress, "
                            "resuming a partial download, checking its sha256")
    dl.add_argument("name", metavar="NAME", help="a model name (see `models list`)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app import models

    if args.action == "list":
        rows = [_row(m) for m in models.REGISTRY.values()]
        if args.json:
            print(json.dumps({"models": rows, "user_dir": str(models.user_dir())}))
        else:
            _print_table(rows)
        return 0
    if args.action == "path":
        print(models.resolve(args.name) if args.name else models.user_dir())
        return 0
    if args.action == "import":
        dest = models.import_file(Path(args.file), args.name)
        print(f"imported {dest}")
        return 0
    if args.action == "remove":
        print(f"removed {models.remove_import(args.name)}")
        return 0
    if args.action == "download":
        from app.cli.common import StderrProgress

        print(f"downloaded {models.download(models.info(args.name), progress=StderrProgress('downloading'))}")
        return 0
    raise PartitaError(f"unknown action {args.action!r}")


def _row(model: Any) -> dict[str, Any]:
    """One model for ``list``: its files (state, path, size, damage) and the one in use."""
    from app import models

    files = []
    for cand in models.candidates(model):
        files.append({"state": cand.state, "path": str(cand.path), "size": cand.path.stat().st_size,
                      "origin": cand.origin, "problem": models.check(model, cand)})
    used = files[0] if files else None
    return {"name": model.name, "kind": model.kind, "status": used["state"] if used else models.MISSING,
            "in_use": used["path"] if used else None, "files": files, "size": model.size,
            "sha256": model.sha256, "source": model.url, "file": model.file,
            "description": model.description, "fallback": model.fallback}


def _print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'NAME':<12} {'KIND':<11} {'STATE':<9} {'IN USE':<7} {'SIZE':>9}  FILE")
    for r in rows:
        if not r["files"]:
            print(f"{r['name']:<12} {r['kind']:<11} {'missing':<9} {'-':<7} {r['size'] / 1e6:6.1f} MB  "
                  f"{r['source'] or r['file']} (meanwhile {r['fallback']})")
        for i, f in enumerate(r["files"]):
            damage = "  DAMAGED: " + f["problem"] if f["problem"] else ""
            print(f"{r['name']:<12} {r['kind']:<11} {f['state']:<9} {'yes' if i == 0 else '':<7} "
                  f"{f['size'] / 1e6:6.1f} MB  {f['path']}{damage}")
