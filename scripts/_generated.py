"""What the generators in ``scripts/`` share: the project's ruff formatting, and write-or-``--check``.

Each generator renders a file (or a piece of one) from its source of truth; ``make generate`` writes
it, ``make check-generated`` (and the tests) run ``--check``, which fails when the file on disk is
not what a fresh rendering gives, so nobody edits generated text by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff_formatted(source: str, *, fix: bool = False) -> str:
    """``source`` as the project's ruff formats it (``fix``: also apply ruff's safe fixes first)."""
    ruff = Path(sys.executable).parent / "ruff"
    config = ["--config", str(ROOT / "pyproject.toml")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "module.py"
        path.write_text(source, encoding="utf-8")
        if fix:
            subprocess.run([str(ruff), "check", "--fix-only", "--quiet", *config, str(path)], check=False)
        subprocess.run([str(ruff), "format", "--quiet", *config, str(path)], check=True)
        return path.read_text(encoding="utf-8")


def main(doc: str | None, target: Path, render: Callable[[], str]) -> int:
    """The command line of a one-file generator: write ``render()`` to ``target``, or with ``--check``
    exit 1 (naming the command to run) when ``target`` differs from it."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    parser.add_argument("--check", action="store_true", help="fail when the file differs from a fresh generation")
    args = parser.parse_args()
    fresh = render()
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != fresh:
            script = Path(sys.argv[0]).name
            print(f"{target.relative_to(ROOT)} is stale: run python scripts/{script}", file=sys.stderr)
            return 1
        return 0
    target.write_text(fresh, encoding="utf-8")
    return 0
