"""Copy the ``Args:`` / ``Raises:`` sections of ``Qwen``'s docstring into ``AsyncQwen``'s.

The two clients take the same arguments, and an IDE shows only a literal docstring (not one built
at import time), so ``AsyncQwen``'s keeps its own introduction and gets the rest of ``Qwen``'s
written into the source, with the few sentences that differ for async code replaced (``REPLACE``).
Run it after editing ``Qwen``'s docstring; ``--check`` (``make check-generated`` and
tests/typing/test_docstrings.py) fails when ``AsyncQwen``'s is stale.

    python scripts/generate_async_client_doc.py [--check]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from _generated import main

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "qwen_api" / "client.py"
TARGET = ROOT / "qwen_api" / "_async_client.py"
SECTION = "    Args:\n"

# What is true of Qwen but not of AsyncQwen, and what AsyncQwen says instead (each must occur once).
REPLACE = {
    """        http_client: an ``httpx.Client`` (or ``httpx.AsyncClient``) to send through, for proxies,
            certificates or a custom transport; the SDK never closes a client it was given.
        async_http_client: an ``httpx.AsyncClient`` for the async methods.
""": """        http_client: an ``httpx.AsyncClient`` to send through, for proxies, certificates or a
            custom transport; the SDK never closes a client it was given.
        async_http_client: the same as ``http_client`` (the name ``Qwen`` uses for its async pool);
            give one of them, not both.
""",
}


def _docstring_span(source: str, class_name: str) -> tuple[int, int]:
    """Character offsets of the body of ``class_name``'s docstring (between the triple quotes)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                lines = source.splitlines(keepends=True)
                start = sum(map(len, lines[: first.lineno - 1])) + first.col_offset + 3
                end = sum(map(len, lines[: first.end_lineno - 1])) + first.end_col_offset - 3  # type: ignore[operator]
                return start, end
    raise SystemExit(f"no docstring found for class {class_name}")


def render() -> str:
    qwen_source = SOURCE.read_text()
    start, end = _docstring_span(qwen_source, "Qwen")
    qwen_doc = qwen_source[start:end]
    sections = SECTION + qwen_doc.split(SECTION, 1)[1]
    for old, new in REPLACE.items():
        if sections.count(old) != 1:
            raise SystemExit(f"Qwen's docstring changed: update REPLACE in {Path(__file__).name} for {old[:60]!r}")
        sections = sections.replace(old, new)
    target = TARGET.read_text()
    start, end = _docstring_span(target, "AsyncQwen")
    intro = target[start:end].split(SECTION, 1)[0]
    return target[:start] + intro + sections + target[end:]


if __name__ == "__main__":
    sys.exit(main(__doc__, TARGET, render))
