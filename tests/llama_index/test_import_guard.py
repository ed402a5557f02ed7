"""``import qwen_api`` never imports llama_index; without the extra, the adapter says how to get it."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "QWEN_AUTH_TOKEN": "subprocess-token"},
        cwd="/",
    )


def test_importing_the_package_and_client_does_not_import_llama_index() -> None:
    result = _run(
        """
        import sys
        import qwen_api
        from qwen_api import ChatMessage, ImageBlock, Qwen, QwenAPIError
        import qwen_api.core.exceptions, qwen_api.types.chat, qwen_api.types.completion
        client = Qwen(api_key="x" * 12, base_url="http://127.0.0.1:9")
        client.close()
        leaked = sorted(name for name in sys.modules if name == "llama_index" or name.startswith("llama_index."))
        print(leaked)
        assert not leaked, leaked
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_without_the_extra_the_import_error_names_the_install_command() -> None:
    result = _run(
        """
        import sys
        sys.modules["llama_index"] = None  # what an environment without llama-index-core looks like
        try:
            from qwen_api.llama_index import QwenLlamaIndex
        except ImportError as exc:
            print(exc)
        else:
            raise SystemExit("imported without llama_index")
        """
    )
    assert result.returncode == 0, result.stderr
    assert 'pip install "qwen-api[llama-index]"' in result.stdout


def test_the_package_still_works_after_the_failed_adapter_import() -> None:
    result = _run(
        """
        import sys
        sys.modules["llama_index"] = None
        try:
            import qwen_api.llama_index
        except ImportError:
            pass
        from qwen_api import Qwen
        Qwen(api_key="x" * 12, base_url="http://127.0.0.1:9").close()
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
