"""``qwen serve``: an OpenAI- and Anthropic-compatible HTTP gateway to Qwen Chat, built on the public
``qwen_api`` API only (never its private modules).

Parts, each with one job: the protocol adapters (:mod:`.openai_adapter`, :mod:`.anthropic_adapter`;
pure functions, no I/O), the conversation map (:mod:`.conversations`), the account pool
(:mod:`.accounts`), the chat service that ties them to the SDK (:mod:`.chat`), the HTTP layer
(:mod:`.core`, :mod:`.openai_routes`, :mod:`.anthropic_routes`, :mod:`.app`), metrics
(:mod:`.metrics`) and the uvicorn runner (:mod:`.server`). Needs the ``gateway`` extra (Starlette,
uvicorn, prometheus-client)::

    from qwen_api.gateway.server import ServeOptions, serve

    with serve(ServeOptions(port=0)) as gateway:
        ...  # openai.OpenAI(base_url=gateway.base_url, api_key="unused")
"""

from __future__ import annotations

import importlib.util

__all__ = ["MissingGatewayExtraError"]

_EXTRA_MODULES = ("starlette", "uvicorn", "prometheus_client")  # pyproject.toml's `gateway` extra


class MissingGatewayExtraError(ModuleNotFoundError):
    """The ``gateway`` extra is not installed: one line naming the missing module and the command.

    Raised when the package is imported, so every entry point (``from qwen_api.gateway.server import
    serve``, ``from qwen_api.gateway import app``, ``qwen serve``) says what to install instead of
    ending in a bare ``No module named 'uvicorn'``. Same wording as the SDK's other extras; defined
    here because the gateway uses the public API only (``.importlinter``).
    """

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"qwen_api.gateway needs the 'gateway' extra ({missing} is not installed): "
            'pip install "qwen-api[gateway]"',
            name=missing,
        )


def _missing_module() -> str | None:
    for module in _EXTRA_MODULES:
        try:
            if importlib.util.find_spec(module) is None:  # finds, never imports
                return module
        except ImportError:  # an import hook that refuses the module
            return module
    return None


_missing = _missing_module()
if _missing is not None:
    # (from None: the user sees this one line, not the import machinery behind it)
    raise MissingGatewayExtraError(_missing) from None
