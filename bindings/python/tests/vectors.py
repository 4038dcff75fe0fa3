"""Shared helpers of the binding tests: locating /work/shared/vectors and reporting counts.

Vectors are read in place from $ZK_VECTORS_DIR, or ../shared/vectors relative to
the repository root. A missing file skips the test with a visible reason; it never passes.
"""

from __future__ import annotations

import json
import os
import sys
import unittest
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
# Import the package from this source tree (bindings/python), not from site-packages.
sys.path.insert(0, str(REPO_ROOT / "bindings" / "python"))


def vectors_dir() -> Path:
    env = os.environ.get("ZK_VECTORS_DIR")
    return Path(env) if env else (REPO_ROOT.parent / "shared" / "vectors")


def vector_path(rel: str) -> Path:
    p = vectors_dir() / rel
    if not p.is_file():
        msg = f"SKIPPED: vector file {rel} not found under {vectors_dir()}"
        print(msg, file=sys.stderr)
        raise unittest.SkipTest(msg)
    return p


def load_json(rel: str) -> Any:
    with open(vector_path(rel), "rb") as f:
        return json.load(f)


def read_bytes(rel: str) -> bytes:
    return vector_path(rel).read_bytes()


def report(suite: str, run: int, passed: int) -> None:
    print(f"VECTORS python/{suite}: run={run} passed={passed}", file=sys.stderr)


def report_mutations(suite: str, tried: int, rejected: int) -> None:
    print(f"MUTATIONS python/{suite}: tried={tried} rejected={rejected}", file=sys.stderr)


def require(tc: unittest.TestCase, *names: str) -> None:
    """Skip visibly when the loaded library does not export one of the C functions."""
    import zerokey

    missing = [n for n in names if not zerokey.has_function(n)]
    if missing:
        msg = f"SKIPPED: {', '.join(missing)} not exported by {zerokey.library_path}"
        print(msg, file=sys.stderr)
        tc.skipTest(msg)
