"""MkDocs hooks for the documentation site (``mkdocs.yml`` -> ``hooks``).

``OPTIONAL_PAGES`` are pages that other lines of work add to ``docs/``. They are listed in the nav
so that they appear in their place the moment their file exists; until then this hook drops them
from the nav, since ``mkdocs build --strict`` fails on a nav entry whose file is missing. Every
other nav entry stays strict: a typo in the nav still fails the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
