"""The public API's overloads type-check: mypy --strict on a file of assert_type calls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def test_overloads_give_stream_types() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(HERE / "overloads_check.py")],
        capture_output=True,
        text=True,
        cwd=HERE.parents[1],
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_expectation_is_caught() -> None:
    bad = HERE / "overloads_check.py"
    marker = "stream=True), Stream[ChatResponseStream])"
    source = bad.read_text().replace(marker, "stream=True), CompletionResponse)", 1)
    assert source != bad.read_text()
    probe = HERE / "_wrong_probe.py"
    probe.write_text(source)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(probe)],
            capture_output=True,
            text=True,
            cwd=HERE.parents[1],
        )
    finally:
        probe.unlink()
    assert result.returncode != 0 and "[assert-type]" in result.stdout


# --------------------------------------------------------------------------------------------
# Mistakes the type checkers must catch (mistakes_check.py), with both mypy and basedpyright.
# Every mistake carries `# type: ignore[code]` (mypy) and `# pyright: ignore[rule]` (basedpyright);
# with unused-ignore reporting on, a mistake that stops being an error fails the run.
# --------------------------------------------------------------------------------------------

MYPY_STRICT = [
    sys.executable,
    "-m",
    "mypy",
    "--strict",
    "--no-incremental",
    "--enable-error-code",
    "ignore-without-code",
]
PYRIGHT_CONFIG = HERE / "pyrightconfig.json"  # type: ignore comments off, unnecessary pyright ignores are errors


def _basedpyright(*paths: Path) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).parent / "basedpyright"
    return subprocess.run(
        [str(executable), "--pythonpath", sys.executable, "-p", str(PYRIGHT_CONFIG), *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=HERE.parents[1],
    )


def _mypy(*paths: Path, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MYPY_STRICT, *extra, *map(str, paths)], capture_output=True, text=True, cwd=HERE.parents[1])


def test_mypy_flags_every_mistake() -> None:
    result = _mypy(HERE / "mistakes_check.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_basedpyright_flags_every_mistake() -> None:
    result = _basedpyright(HERE / "mistakes_check.py", HERE / "overloads_check.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_both_checkers_notice_a_mistake_that_is_no_longer_an_error() -> None:
    """The proof is only as good as the unused-ignore reporting: correct one mistake, both runs fail."""
    source = (HERE / "mistakes_check.py").read_text()
    mistake = 'thinking_mode="deep")  # type: ignore[call-overload]'
    assert mistake in source
    probe = HERE / "_fixed_probe.py"
    probe.write_text(source.replace(mistake, 'thinking_mode="auto")  # type: ignore[call-overload]', 1))
    try:
        mypy, pyright = _mypy(probe), _basedpyright(probe)
    finally:
        probe.unlink()
    assert mypy.returncode != 0 and 'Unused "type: ignore" comment' in mypy.stdout, mypy.stdout
    assert pyright.returncode != 0 and "Unnecessary" in pyright.stdout, pyright.stdout


# The snippets of the documentation are the user's code: their functions have no annotations, so
# mypy runs strict but allows untyped definitions (their bodies are still checked).
EXAMPLES = HERE.parents[1] / "examples"
# usage_example.py is the documentation's snippet verbatim, and that snippet catches QwenAPIError
# without importing it: the one finding both checkers must report on examples/.
KNOWN_SNIPPET_BUG = "usage_example.py:22"


def test_examples_type_check_with_mypy() -> None:
    result = _mypy(EXAMPLES, extra=("--allow-untyped-defs", "--allow-untyped-calls"))
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and KNOWN_SNIPPET_BUG in errors[0] and '"QwenAPIError" is not defined' in errors[0], (
        result.stdout
    )


def test_examples_type_check_with_basedpyright() -> None:
    result = _basedpyright(EXAMPLES)
    errors = [line.strip() for line in result.stdout.splitlines() if " - error:" in line]
    assert len(errors) == 1 and KNOWN_SNIPPET_BUG in errors[0] and '"QwenAPIError" is not defined' in errors[0], (
        result.stdout
    )


def test_raw_response_twins_match_the_resource_methods() -> None:
    """``with_raw_response`` repeats each method's signature: a changed method must be regenerated."""
    script = HERE.parents[1] / "scripts" / "generate_raw_response.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_async_client_facades_match_the_resource_methods() -> None:
    """``AsyncQwen``'s resources repeat each ``a...`` method's signature: a changed method must be regenerated."""
    script = HERE.parents[1] / "scripts" / "generate_async_resources.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
