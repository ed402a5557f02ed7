"""``make check-generated`` catches a hand edit of ``generated/`` and a spec change left unregenerated."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The parts of the repository generation reads and compares, in a scratch folder."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT / "spec", root / "spec")
    shutil.copytree(ROOT / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "generated", root / "generated", ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache"))
    return root


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "generate.py"), "--check"], capture_output=True, text=True, timeout=300
    )


def test_both_packages_carry_the_pep_561_marker() -> None:
    assert (ROOT / "qwen_api" / "py.typed").is_file()
    assert (ROOT / "generated" / "qwen_api_client" / "py.typed").is_file()


def test_an_untouched_copy_is_up_to_date(checkout: Path) -> None:
    result = check(checkout)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_one_hand_edited_line_fails_the_check(checkout: Path) -> None:
    types = checkout / "generated" / "qwen_api_client" / "types.py"
    original = types.read_text()
    types.write_text(original.replace("class Request:", "class Request:  # edited by hand", 1))
    try:
        result = check(checkout)
    finally:
        types.write_text(original)
    assert result.returncode == 1
    assert "differs: types.py" in result.stderr


def test_a_spec_change_without_regeneration_fails_the_check(checkout: Path) -> None:
    spec = checkout / "spec" / "qwen-chat.openapi.yaml"
    original = spec.read_text()
    assert "operationId: deleteChat" in original
    spec.write_text(original.replace("operationId: deleteChat", "operationId: removeChat", 1))
    try:
        result = check(checkout)
    finally:
        spec.write_text(original)
    assert result.returncode == 1
    assert "out of date" in result.stderr and "remove_chat" in result.stderr
