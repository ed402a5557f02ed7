"""Mutation testing of the core with mutmut: does a test notice when the code changes?

``make mutate`` runs every module below; ``make mutate MODULE=_sse`` runs one. Each module is mutated
in its own scratch copy of the project (``.mutate/<module>/``, ignored by git), and each mutant is run
only against the tests that reach it (mutmut 3 traces which tests call which function, within the
test selection given here). The summary table replaces the block between the markers in
``docs/testing.md``.

Coverage says a line ran; a killed mutant says a test would fail if that line changed. A survivor
that changes nothing observable (a fast path that only saves time, say) is marked in place with
``# pragma: no mutate`` and a short reason, so the score counts only behaviour.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutate"
DOC = ROOT / "docs" / "testing.md"
BEGIN, END = "<!-- mutate:begin -->", "<!-- mutate:end -->"

#: module -> the tests that exercise it (mutmut narrows each mutant to the ones that reach it).
MODULES: dict[str, list[str]] = {
    "_sse": ["tests/unit/test_sse.py", "tests/unit/test_sse_shapes.py", "tests/unit/test_sse_limit.py"],
    "_errors": [
        "tests/unit/test_error_shapes.py",
        "tests/unit/test_error_mapping_pins.py",
        "tests/unit/test_errors.py",
        "tests/unit/test_auth_retry.py",
    ],
    "_auth": ["tests/unit/test_token_manager.py", "tests/unit/test_auth_retry.py", "tests/e2e/test_token_claims.py"],
    "_stream_parser": [
        "tests/unit/test_stream_parser.py",
        "tests/unit/test_assembly_pins.py",
        "tests/unit/test_stream_first_chunk.py",
        "tests/unit/test_stream_state_pins.py",
    ],
    "_assembler": [
        "tests/unit/test_assembler.py",
        "tests/unit/test_assembly_pins.py",
        "tests/unit/test_stream_first_chunk.py",
        "tests/unit/test_stream_parser.py",
        "tests/unit/test_sse_limit.py",
    ],
    "_engine": [
        "tests/unit/test_engine.py",
        "tests/unit/test_auth_retry.py",
        "tests/unit/test_request_options.py",
        "tests/unit/test_request_building.py",
    ],
    "_oss_signing": [
        "tests/upload/test_oss_signing_pins.py",
        "tests/upload/test_oss_signing.py",
        "tests/upload/test_signing_time_zone.py",
    ],
}

_STATUS = re.compile(r":\s*(\w[\w ]*)$")


def _scratch_copy(module: str) -> Path:
    work = WORK / module
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ("qwen_api", "tests"):
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    selection = ", ".join(f'"{path}"' for path in MODULES[module])
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + (
        "\n[tool.mutmut]\n"
        'source_paths = ["qwen_api"]\n'
        f'only_mutate = ["qwen_api/{module}.py"]\n'
        f"pytest_add_cli_args_test_selection = [{selection}]\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "--no-cov", "-q"]\n'
    )
    (work / "pyproject.toml").write_text(config, encoding="utf-8")
    return work


def run_module(module: str, max_children: int) -> dict[str, int]:
    """Mutate one module; returns the count of mutants per mutmut status."""
    work = _scratch_copy(module)
    mutmut = Path(sys.executable).with_name("mutmut")
    started = time.monotonic()
    with (work / "mutmut-run.log").open("wb") as log:  # the progress display is long: keep it out of the terminal
        subprocess.run([str(mutmut), "run", "--max-children", str(max_children)], cwd=work, stdout=log, stderr=log)
    listing = subprocess.run(
        [str(mutmut), "results", "--all", "true"], cwd=work, capture_output=True, text=True, check=True
    ).stdout
    counts: collections.Counter[str] = collections.Counter()
    for line in listing.splitlines():
        match = _STATUS.search(line.strip())
        if match:
            counts[match.group(1)] += 1
    print(f"{module}: {dict(counts)} in {time.monotonic() - started:.0f} s (log: {work / 'mutmut-run.log'})")
    return dict(counts)


def score(counts: dict[str, int]) -> tuple[int, int, float]:
    """(caught, counted, percent): timeouts count as caught; skipped mutants are not counted."""
    counted = sum(n for status, n in counts.items() if status != "skipped")
    caught = counts.get("killed", 0) + counts.get("timeout", 0)
    return caught, counted, 100.0 * caught / counted if counted else 100.0


def write_table(results: dict[str, dict[str, int]], command: str) -> None:
    rows = [
        "| module | mutants | caught (killed + timeout) | survived | no tests | score |",
        "|---|---|---|---|---|---|",
    ]
    for module, counts in results.items():
        caught, counted, percent = score(counts)
        survived, untested = counts.get("survived", 0), counts.get("no tests", 0)
        rows.append(f"| `{module}.py` | {counted} | {caught} | {survived} | {untested} | {percent:.0f} % |")
    block = f"{BEGIN}\nMeasured with `{command}` on {time.strftime('%Y-%m-%d')}:\n\n" + "\n".join(rows) + f"\n{END}"
    text = DOC.read_text(encoding="utf-8")
    before, _, rest = text.partition(BEGIN)
    _, _, after = rest.partition(END)
    DOC.write_text(before + block + after, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--module", choices=sorted(MODULES), help="one module (default: all)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants run in parallel")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/testing.md alone")
    args = parser.parse_args()
    modules = [args.module] if args.module else list(MODULES)
    results = {module: run_module(module, args.max_children) for module in modules}
    for module, counts in results.items():
        caught, counted, percent = score(counts)
        print(f"{module:16} {caught:4}/{counted:<4} {percent:5.1f} %")
    if not args.no_doc:
        command = "make mutate" + (f" MODULE={args.module}" if args.module else "")
        write_table(results, command)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
