"""Docstrings agree with the signatures they document, across the whole package.

mkdocstrings renders them through griffe, which warns about an ``Args:`` entry that names no
parameter (``timeout`` after it moved into ``**request_options``, or ``a, b, c`` on one line);
``mkdocs build --strict`` fails on those warnings, and the Makefile must not hide them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import griffe

ROOT = Path(__file__).resolve().parents[2]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _parse_all(obj: griffe.Object) -> None:
    for member in obj.members.values():
        if isinstance(member, griffe.Alias):
            continue
        if member.docstring is not None:
            member.docstring.parse("google")
        if member.is_class or member.is_module:
            _parse_all(member)


def test_every_documented_parameter_is_in_its_signature() -> None:
    collector = _Collect()
    logger = logging.getLogger("griffe")
    logger.addHandler(collector)
    try:
        package = griffe.load("qwen_api", search_paths=[str(ROOT)], allow_inspection=False)
        assert isinstance(package, griffe.Module)
        _parse_all(package)
    finally:
        logger.removeHandler(collector)
    assert collector.messages == []


def test_the_docs_build_does_not_hide_warnings() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^docs-build:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe is not None
    assert "mkdocs build --strict" in recipe.group(1)
    assert "--quiet" not in recipe.group(1) and " -q" not in recipe.group(1)
