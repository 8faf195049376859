"""Command line for ITR-1 JSON.

    python -m app.itr validate FILE.json   # "valid" and exit 0; else one problem a line, exit 1
    python -m app.itr export FILING_ID     # the ITR-1 JSON on stdout; problems and exit 1

Exit 2: unreadable file, invalid JSON, or bad arguments.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .build import ItrBuildError
from .validation import validate_itr1


def _validate(path: str) -> int:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"{path} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    problems = validate_itr1(document)
    if not problems:
        print("valid")
        return 0
    for problem in problems:
        print(f"{problem.path}: {problem.message}")
    return 1


def _export(filing_id: int) -> int:
    # Imported here: exporting needs the web app's database loader, validating does not.
    from .export_cli import ExportError, export_filing

    try:
        document = export_filing(filing_id)
    except ModuleNotFoundError as exc:
        if exc.name != "app.itr.service":
            raise
        print("export needs app.itr.service.load_filing_for_export, which is not installed",
              file=sys.stderr)
        return 2
    except ExportError as exc:
        for problem in exc.problems:
            print(problem)
        return 1
    except ItrBuildError as exc:
        print(str(exc))
        return 1
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.itr", description="ITR-1 JSON for AY 2026-27")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate an ITR-1 JSON file")
    check.add_argument("file")
    export = commands.add_parser("export", help="print the ITR-1 JSON of a filing")
    export.add_argument("filing_id", type=int)
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args.file)
    return _export(args.filing_id)


if __name__ == "__main__":
    sys.exit(main())
