"""The public names: listed once where they are defined, all reachable from the root, loaded lazily."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import qwen_api
from qwen_api import _exceptions, types


def test_the_root_lists_its_own_names_then_the_exceptions_and_the_types_once_each() -> None:
    own = [
        "AsyncConversation",
        "AsyncQwen",
        "AsyncStream",
        "Conversation",
        "Qwen",
        "RawResponse",
        "ResponseLimits",
        "Stream",
        "__version__",
    ]
    assert qwen_api.__all__ == [*own, *_exceptions.__all__, *types.__all__]
    assert len(set(qwen_api.__all__)) == len(qwen_api.__all__)
    for name in qwen_api.__all__:
        assert getattr(qwen_api, name) is not None
    assert qwen_api.ChatResponse is types.ChatResponse is types.chat.ChatResponse


def test_import_loads_no_type_module_until_one_is_used() -> None:
    script = textwrap.dedent(
        """
        import sys
        import qwen_api
        assert "qwen_api.types.chat" not in sys.modules, sorted(m for m in sys.modules if "qwen_api" in m)
        assert "logging.handlers" not in sys.modules
        qwen_api.ChatMessage
        assert "qwen_api.types.chat" in sys.modules
        assert qwen_api.types.tools.ToolCall.__name__ == "ToolCall"  # a submodule, reached as an attribute
        namespace = {}
        exec("from qwen_api import *", namespace)
        assert set(qwen_api.__all__) <= set(namespace)
        try:
            qwen_api.types.NoSuchType
        except AttributeError as error:
            assert "NoSuchType" in str(error)
        else:
            raise AssertionError("an unknown name must raise AttributeError")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
