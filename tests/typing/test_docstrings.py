"""What an IDE shows: every public class and method has a docstring, and ``help(Qwen)`` explains
every constructor parameter with its default and environment variable."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import pydoc
import subprocess
import sys
from pathlib import Path

import pytest

import qwen_api
import qwen_api.tools
import qwen_api.types
from qwen_api import AsyncQwen, Qwen
from qwen_api.resources import _raw, account, chat, chats, completion, images, models


@pytest.mark.parametrize("client_class", [Qwen, AsyncQwen], ids=lambda cls: cls.__name__)
def test_help_qwen_explains_every_constructor_parameter(client_class: type) -> None:
    text = pydoc.render_doc(client_class, renderer=pydoc.plaintext)
    for name in inspect.signature(client_class.__init__).parameters:
        if name != "self":
            assert f"{name}:" in text, name
    for needle in ("QWEN_BASE_URL", "https://chat.qwen.ai", "QWEN_AUTH_TOKEN", "means 2", "Raises:"):
        assert needle in text, needle


def _public_members(cls: type) -> list[str]:
    names = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            member = member.fget
        if isinstance(member, classmethod | staticmethod):
            member = member.__func__
        if inspect.isfunction(member):
            names.append(name)
    return names


_TYPES_MODULES = [
    importlib.import_module(f"qwen_api.types.{info.name}")
    for info in pkgutil.iter_modules(qwen_api.types.__path__)
    if not info.name.startswith("_")
]
_CLASSES = [
    getattr(module, name)
    for module in (qwen_api, qwen_api.types, qwen_api.tools, *_TYPES_MODULES)
    for name in module.__all__
    if inspect.isclass(getattr(module, name))
] + [
    cls
    for module in (chat, chats, completion, images, models, account, _raw)
    for cls in vars(module).values()
    if inspect.isclass(cls) and cls.__module__ == module.__name__ and not cls.__name__.startswith("_")
]


@pytest.mark.parametrize(
    "function",
    [
        getattr(module, name)
        for module in (qwen_api.types, qwen_api.tools, *_TYPES_MODULES)
        for name in module.__all__
        if inspect.isfunction(getattr(module, name))
    ],
    ids=lambda function: function.__qualname__,
)
def test_public_functions_are_documented(function: object) -> None:
    assert inspect.getdoc(function), function


@pytest.mark.parametrize("cls", _CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_public_classes_and_methods_are_documented(cls: type) -> None:
    assert cls.__doc__ and cls.__doc__.strip(), cls  # its own: getdoc would find dict's for a TypedDict
    if cls.__module__.startswith("qwen_api.core.exceptions"):
        return
    missing = [name for name in _public_members(cls) if not inspect.getdoc(getattr(cls, name))]
    assert not missing, f"{cls.__qualname__}: {missing}"


def test_async_qwen_doc_is_qwens_own() -> None:
    """``AsyncQwen``'s Args are copied from ``Qwen``'s: an edit of one without regenerating fails."""
    script = Path(__file__).parents[2] / "scripts" / "generate_async_client_doc.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "httpx.AsyncClient`` to send through" in (AsyncQwen.__doc__ or "")
