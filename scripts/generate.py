"""Regenerate generated/qwen_api_client from spec/ (or check that it is up to date).

Generation always happens in a temporary folder and is then formatted with the pinned ruff and
an explicit config, so `make generate` and `make check-generated` produce the same bytes no
matter where the output lands.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "qwen-chat.openapi.yaml"
CONFIG = ROOT / "spec" / "codegen.yaml"
RUFF_CONFIG = ROOT / "spec" / "ruff-generated.toml"
TEMPLATES = ROOT / "spec" / "templates"
"""Templates that replace the generator's own of the same name (the rest stay the pinned version's)."""
TARGET = ROOT / "generated" / "qwen_api_client"
BIN = Path(sys.executable).parent
PACKAGED_SPEC = "openapi.json"
"""The spec's JSON copy inside generated/qwen_api_client (read by qwen_api.doctor)."""


def _run(*cmd: str | Path, cwd: Path | None = None) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0 or "WARNING" in result.stdout + result.stderr:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        raise SystemExit(f"generation step failed: {' '.join(str(c) for c in cmd)}")


def write_packaged_spec(out: Path) -> None:
    """The spec as JSON inside the client package: ``qwen doctor`` validates the wire against it.

    spec/ stays the one source of truth; this copy is derived from it on every generation, so
    ``make check-generated`` fails when it is stale (JSON, so the installed package needs no YAML parser).
    """
    import json

    import yaml

    document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    text = json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n"
    (out / PACKAGED_SPEC).write_text(text, encoding="utf-8")


def drop_empty_modules(out: Path) -> None:
    """Remove the modules a template rendered empty (``client.py``, ``errors.py``).

    The generator writes a fixed set of files; our templates render the parts the facade does not
    use (the generated HTTP client and its errors) as nothing, and an empty module is not shipped.
    """
    for module in sorted(out.rglob("*.py")):
        if not module.read_text(encoding="utf-8").strip():
            module.unlink()


def generate_into(out: Path) -> None:
    _run(
        BIN / "openapi-python-client",
        "generate",
        "--path",
        SPEC,
        "--config",
        CONFIG,
        "--meta",
        "none",
        "--output-path",
        out,
        "--overwrite",
        "--fail-on-warning",
        "--custom-template-path",
        TEMPLATES,
    )
    drop_empty_modules(out)
    # With --meta none the generator writes no PEP 561 marker; without it the wheel ships the client untyped.
    (out / "py.typed").write_text("# Marker file for PEP 561\n", encoding="utf-8")
    write_packaged_spec(out)
    ruff = BIN / "ruff"
    _run(ruff, "check", "--no-cache", "--config", RUFF_CONFIG, "--fix-only", "--exit-zero", ".", cwd=out)
    _run(ruff, "format", "--no-cache", "--config", RUFF_CONFIG, ".", cwd=out)


def _differences(left: Path, right: Path) -> list[str]:
    diffs: list[str] = []
    cmp = filecmp.dircmp(left, right, ignore=["__pycache__", ".ruff_cache"])

    def walk(c: filecmp.dircmp[str], prefix: str) -> None:
        diffs.extend(f"only in generated/: {prefix}{n}" for n in c.left_only)
        diffs.extend(f"missing from generated/: {prefix}{n}" for n in c.right_only)
        for name in c.common_files:
            if not filecmp.cmp(Path(c.left) / name, Path(c.right) / name, shallow=False):
                diffs.append(f"differs: {prefix}{name}")
        for name, sub in c.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(cmp, "")
    return diffs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if generated/ is out of date with spec/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "qwen_api_client"
        generate_into(out)
        if args.check:
            if not TARGET.exists():
                print("generated/qwen_api_client is missing; run `make generate`", file=sys.stderr)
                return 1
            diffs = _differences(TARGET, out)
            if diffs:
                print("generated/ is out of date with spec/ (run `make generate`):", file=sys.stderr)
                for line in diffs:
                    print(f"  {line}", file=sys.stderr)
                return 1
            print("generated/ is up to date with spec/")
            return 0
        if TARGET.exists():
            shutil.rmtree(TARGET)
        shutil.copytree(out, TARGET, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache"))
        print(f"regenerated {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
