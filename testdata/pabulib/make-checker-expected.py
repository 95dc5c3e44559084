#!/usr/bin/env python3
"""Makes checker-expected.jsonl: what the real pabulib checker says about every test file.

The Rust checker (crates/plenum_choice/src/pb/check) is a port of pabulib-checker 1.0.8; its test
compares the error and warning *kinds* it finds with the ones recorded here, so CI does not need
Python. Run this again whenever a .pb file under testdata/pabulib (top level, large/ or edge/) is
added or changed:

    PY=$(../shared/reference/tools/setup-venv.sh)   # Python with pabulib-checker==1.0.8
    $PY testdata/pabulib/make-checker-expected.py > testdata/pabulib/checker-expected.jsonl

(run from the repository root). One JSON object per file, sorted by path:
{"file": "<path relative to testdata/pabulib>", "errors": {kind: count}, "warnings": {kind: count}}
"""

import contextlib
import io
import json
import pathlib
import sys

from pabulib.checker import Checker

HERE = pathlib.Path(__file__).resolve().parent


def check(path: pathlib.Path) -> dict:
    checker = Checker()  # one checker per file: the library keeps state between files
    with contextlib.redirect_stdout(io.StringIO()):
        results = checker.process_files([str(path)])
    (name,) = [key for key in results if key not in ("metadata", "summary")]
    found = results[name]["results"]
    return {
        "file": str(path.relative_to(HERE)),
        "errors": {kind: len(items) for kind, items in sorted(found.get("errors", {}).items())},
        "warnings": {kind: len(items) for kind, items in sorted(found.get("warnings", {}).items())},
    }


def main() -> None:
    files = sorted(
        [*HERE.glob("*.pb"), *HERE.glob("large/*.pb"), *HERE.glob("edge/*.pb")],
        key=lambda p: str(p.relative_to(HERE)),
    )
    for path in files:
        sys.stdout.write(json.dumps(check(path), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
