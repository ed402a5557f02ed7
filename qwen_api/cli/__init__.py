"""The ``qwen`` command line (extra ``cli`` for rich terminal output; plain text works without it).

``main`` is the ``qwen`` entry point and what ``python -m qwen_api`` runs. Nothing here is imported
by ``import qwen_api``; the commands themselves load only when called.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``qwen`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    from ._app import run

    return run(argv)
