"""Import path of the older SDK for the model id type.

Model ids are open strings: the service adds and retires models every few months, so ``ChatModel``
is ``str`` and :data:`KNOWN_MODELS` only lists ids seen in 2025-2026 (``client.models.list()`` is
the authority).
"""

ChatModel = str

KNOWN_MODELS: tuple[str, ...] = (
    "qwen3.8-max",
    "qwen3.7-max",
    "qwen3.7-plus",
    "qwen3.6-plus",
    "qwen3.5-plus",
    "qwen3.5-flash",
    "qwen3.5-omni-plus",
    "qwen3-max",
    "qwen3-coder-plus",
    "qwen3-vl-plus",
    "qwen-max-latest",
    "qwen-plus-latest",
    "qwen-turbo-latest",
)

__all__ = ["KNOWN_MODELS", "ChatModel"]
