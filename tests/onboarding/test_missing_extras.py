"""Without an optional extra, every entry point says in one line what to install -- no traceback.

The extras' packages are hidden with a ``sitecustomize`` that puts a meta-path blocker in front of
the import system, so each run sees an environment where, say, uvicorn was never installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SERVER_INSTALL = 'pip install "qwen-api[server]"'
LLAMA_INSTALL = 'pip install "qwen-api[llama-index]"'
GATEWAY_INSTALL = 'pip install "qwen-api[gateway]"'

BLOCKER = """\
import os
import sys

_HIDDEN = tuple(name for name in os.environ.get("QWEN_TEST_HIDE_MODULES", "").split(",") if name)


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in _HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
"""


def run_without(
    hidden: tuple[str, ...], argv: list[str], tmp_path: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    variables = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(site),
        "QWEN_TEST_HIDE_MODULES": ",".join(hidden),
        **env,
    }
    return subprocess.run(
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=variables,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def assert_one_line(text: str, *needles: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    for needle in needles:
        assert needle in lines[0], text
    assert "Traceback" not in text and "ModuleNotFoundError" not in text and "No module named" not in text
    return lines[0]


def test_the_blocker_hides_what_it_is_told_to(tmp_path: Path) -> None:
    result = run_without(("uvicorn",), ["-c", "import uvicorn"], tmp_path)
    assert result.returncode == 1 and "No module named 'uvicorn'" in result.stderr


def test_python_m_qwen_api_testing(tmp_path: Path) -> None:
    result = run_without(("uvicorn", "starlette"), ["-m", "qwen_api.testing", "--port", "0"], tmp_path)
    assert result.returncode == 2
    line = assert_one_line(result.stderr, SERVER_INSTALL, "'server' extra")
    assert line.startswith("python -m qwen_api.testing: error: the local server needs")
    assert result.stdout == ""


def test_qwen_mock_server(tmp_path: Path) -> None:
    result = run_without(("uvicorn", "starlette"), ["-m", "qwen_api", "mock-server", "--port", "0"], tmp_path)
    assert result.returncode == 2  # the usage/environment status: 1 is for API errors
    line = assert_one_line(result.stderr, SERVER_INSTALL)
    assert line.startswith("qwen: error: the local server needs the 'server' extra")


@pytest.mark.parametrize("fixture", ["qwen_server", "qwen_server_factory"])
def test_the_pytest_fixtures(fixture: str, tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text(
        textwrap.dedent(
            f"""
            def test_uses_the_server({fixture}):
                pass
            """
        ),
        encoding="utf-8",
    )
    result = run_without(
        ("uvicorn", "starlette"),
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "qwen_api.testing.pytest_plugin", "test_app.py"],
        tmp_path,
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    failure = [line for line in result.stdout.splitlines() if SERVER_INSTALL in line]
    assert failure, result.stdout
    assert "fixture needs the 'server' extra (uvicorn is not installed)" in failure[0]
    assert "Traceback" not in result.stdout and "ModuleNotFoundError" not in result.stdout
    assert "No module named" not in result.stdout and "During handling" not in result.stdout


def test_importing_the_server_from_qwen_api_testing(tmp_path: Path) -> None:
    code = "from qwen_api.testing import ServerConfig, expected_answer\nfrom qwen_api.testing import serve"
    result = run_without(("uvicorn", "starlette"), ["-c", code], tmp_path)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("qwen_api._extras.MissingExtraError: qwen_api.testing.serve needs the 'server' extra")
    assert last.endswith(SERVER_INSTALL)
    assert "ModuleNotFoundError" not in result.stderr  # the one error, not the chain behind it


@pytest.mark.parametrize("hidden", [("uvicorn", "starlette"), ("uvicorn",), ("prometheus_client",)])
@pytest.mark.parametrize(
    "code",
    [
        "from qwen_api.gateway.server import ServeOptions, serve",  # as the package docstring shows
        "from qwen_api.gateway import app",
        "import qwen_api.gateway.openai_routes",
    ],
)
def test_importing_the_gateway(code: str, hidden: tuple[str, ...], tmp_path: Path) -> None:
    result = run_without(hidden, ["-c", code], tmp_path)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("qwen_api.gateway.MissingGatewayExtraError: qwen_api.gateway needs the 'gateway' extra")
    assert any(f"({module} is not installed)" in last for module in hidden) and last.endswith(GATEWAY_INSTALL)
    assert "ModuleNotFoundError" not in result.stderr and "No module named" not in result.stderr


def test_the_gateway_error_is_a_module_not_found_error_naming_the_module() -> None:
    from qwen_api.gateway import MissingGatewayExtraError

    error = MissingGatewayExtraError("uvicorn")
    assert isinstance(error, ModuleNotFoundError) and error.name == "uvicorn"
    assert str(error) == f"qwen_api.gateway needs the 'gateway' extra (uvicorn is not installed): {GATEWAY_INSTALL}"


def test_qwen_serve(tmp_path: Path) -> None:
    result = run_without(("uvicorn", "starlette"), ["-m", "qwen_api", "serve", "--port", "0"], tmp_path)
    assert result.returncode == 2  # the usage/environment status: 1 is for API errors (README)
    line = assert_one_line(result.stderr, GATEWAY_INSTALL)
    assert line.startswith("qwen: error: qwen serve needs the 'gateway' extra")
    assert result.stdout == ""


def test_the_llama_index_adapter(tmp_path: Path) -> None:
    result = run_without(("llama_index",), ["-c", "from qwen_api.llama_index import QwenLlamaIndex"], tmp_path)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "qwen_api.llama_index needs the 'llama-index' extra" in last and last.endswith(LLAMA_INSTALL)
    assert "ModuleNotFoundError" not in result.stderr


def test_the_missing_extra_error_is_an_import_error() -> None:
    from qwen_api._extras import MissingExtraError

    error = MissingExtraError("the local server", "server", "uvicorn")
    assert isinstance(error, ImportError) and error.name == "uvicorn"
    assert str(error) == f"the local server needs the 'server' extra (uvicorn is not installed): {SERVER_INSTALL}"
