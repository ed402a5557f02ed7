"""Optional extras: when one is missing, one line that names it and the command that installs it.

``server`` (the local server), ``cli`` (rich terminal output), ``llama-index`` (the adapter) and
``gateway`` are optional. Where a feature needs one that is not installed, the user gets a
:class:`MissingExtraError` -- an ``ImportError`` whose message is one line ending in the ``pip``
command -- instead of a ``ModuleNotFoundError`` from deep inside an import.
"""

from __future__ import annotations

__all__ = ["MissingExtraError", "install_command", "is_missing_dependency"]


def install_command(extra: str) -> str:
    return f'pip install "qwen-api[{extra}]"'


class MissingExtraError(ImportError):
    """``feature`` needs the optional ``extra``, which is not installed (``missing`` is the module
    that failed to import)."""

    def __init__(self, feature: str, extra: str, missing: str | None = None) -> None:
        detail = f" ({missing} is not installed)" if missing else ""
        super().__init__(f"{feature} needs the '{extra}' extra{detail}: {install_command(extra)}", name=missing)
        self.feature = feature
        self.extra = extra


def is_missing_dependency(exc: ImportError) -> bool:
    """True when ``exc`` is a third-party module that is not installed (not a bug in our own code)."""
    if isinstance(exc, MissingExtraError):
        return True
    name = exc.name or ""
    return isinstance(exc, ModuleNotFoundError) and bool(name) and name.split(".")[0] != "qwen_api"
