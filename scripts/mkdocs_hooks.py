"""MkDocs hooks for the documentation site (``mkdocs.yml`` -> ``hooks``).

The docstrings use Sphinx roles (``:class:`~qwen_api.RawResponse```), which IDEs and ``help()``
understand but mkdocstrings renders as literal text; :func:`on_page_content` turns each role into
the name it stands for, as code (``~`` keeps only the last part, as Sphinx does).

``OPTIONAL_PAGES`` are pages that other lines of work add to ``docs/``. They are listed in the nav
so that they appear in their place the moment their file exists; until then this hook drops them
from the nav, since ``mkdocs build --strict`` fails on a nav entry whose file is missing. Every
other nav entry stays strict: a typo in the nav still fails the build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|data|mod|exc|obj|const):<code>(~?)([^<]*)</code>")


def _role_name(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    return f"<code>{target.rsplit('.', 1)[-1] if short else target}</code>"


def on_page_content(html: str, **_: Any) -> str:
    """Sphinx roles in rendered docstrings shown as the code name they point at."""
    return _ROLE.sub(_role_name, html)


OPTIONAL_PAGES = frozenset({"gateway.md", "tools.md", "architecture.md", "contributing.md"})


def _keep(entry: Any, docs: Path) -> Any:
    """``entry`` without optional pages that do not exist (None when nothing is left of it)."""
    if isinstance(entry, str):
        return None if entry in OPTIONAL_PAGES and not (docs / entry).is_file() else entry
    if isinstance(entry, dict):
        kept = {title: _keep(value, docs) for title, value in entry.items()}
        kept = {title: value for title, value in kept.items() if value is not None}
        return kept or None
    if isinstance(entry, list):
        items = [item for item in (_keep(value, docs) for value in entry) if item is not None]
        return items or None
    return entry


def on_config(config: Any) -> Any:
    docs = Path(config["docs_dir"])
    if config["nav"] is not None:
        config["nav"] = _keep(config["nav"], docs) or []
    return config
