"""Shared fixtures: the example corpus as records, and the `retold` binary
whose output the Python package must reproduce."""

import json
import os
import subprocess
from pathlib import Path

import pytest

# The package's tests check the binding against the CLI, not the optional
# multilingual model (issue 18): both run with it off, so the example
# corpus's German translation stands alone, as `retold eval corpus` scores
# it without the model, and no test waits on embeddings.
os.environ.setdefault("RETOLD_EMBEDDER", "off")

import retold  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "examples" / "corpus"


def retold_binary() -> Path:
    """`RETOLD_BIN`, else the newest of target/{release,debug}/retold."""
    if os.environ.get("RETOLD_BIN"):
        return Path(os.environ["RETOLD_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    found = [p for p in (target / "release" / "retold", target / "debug" / "retold") if p.exists()]
    if not found:
        pytest.fail("no retold binary: build it (cargo build -p retold) or set RETOLD_BIN")
    return max(found, key=lambda p: p.stat().st_mtime)


def run_cli(*args: str) -> str:
    out = subprocess.run(
        [str(retold_binary()), *args, "--quiet"] if args[0] in ("analyze", "dedup") else [str(retold_binary()), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return out.stdout


@pytest.fixture(scope="session")
def corpus_records():
    records = retold.read(str(CORPUS))
    assert len(records) == 46
    return records


@pytest.fixture(scope="session")
def cli_analysis():
    return json.loads(run_cli("analyze", str(CORPUS), "--format", "json"))


@pytest.fixture(scope="session")
def gold():
    """The corpus's gold labels without the translated versions (the model
    is off here; see above)."""
    g = json.loads((CORPUS / "gold.json").read_text())
    g["articles"] = [a for a in g["articles"] if a.get("relation") != "translated"]
    return g


def approx_equal(a, b, tol=1e-6, path="$"):
    """Deep equality; numbers within `tol` (the engine's sums may differ in
    the last bits between runs). Raises AssertionError naming the place."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, (int, float)) and isinstance(b, (int, float)), path
        assert abs(a - b) <= tol, f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{path}: keys {sorted(a)} != {sorted(b) if isinstance(b, dict) else b}"
        for k in a:
            approx_equal(a[k], b[k], tol, f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            approx_equal(x, y, tol, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def structure(stories):
    """Each story's id and origin, and its members' article, role, relation, parent."""
    return sorted(
        (
            s["id"],
            s["origin"],
            tuple(sorted((m["article"], m["role"], m.get("relation"), m.get("parent")) for m in s["members"])),
        )
        for s in stories
    )
