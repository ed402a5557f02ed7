"""The documentation site's configuration: every guide and reference page is in the nav, and the
nav tolerates the optional pages other work adds (and nothing else)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def nav_files(entry: Any) -> list[str]:
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, dict):
        return [file for value in entry.values() for file in nav_files(value)]
    if isinstance(entry, list):
        return [file for value in entry for file in nav_files(value)]
    return []


def config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return loaded


def hooks() -> Any:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts" / "mkdocs_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_page_is_in_the_nav() -> None:
    listed = set(nav_files(config()["nav"]))
    pages = {str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md")}
    assert pages <= listed, f"pages missing from the nav in mkdocs.yml: {sorted(pages - listed)}"


def test_the_seed_document_is_marked_as_the_original() -> None:
    text = (DOCS / "qwen-api-sdk-documentation.md").read_text(encoding="utf-8")
    assert text.startswith('!!! note "The original documentation"')
    assert "qwen-api-sdk-documentation.md" in nav_files(config()["nav"])


def test_missing_optional_pages_leave_the_nav_and_others_stay(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("# home")
    (tmp_path / "tools.md").write_text("# tools")
    nav = [{"Home": "index.md"}, {"More": [{"Gateway": "gateway.md"}, {"Tools": "tools.md"}, {"Typo": "typo.md"}]}]
    result = hooks().on_config({"docs_dir": str(tmp_path), "nav": nav})
    assert result["nav"] == [{"Home": "index.md"}, {"More": [{"Tools": "tools.md"}, {"Typo": "typo.md"}]}]


def test_a_section_of_only_missing_optional_pages_disappears(tmp_path: Path) -> None:
    nav = [{"Home": "index.md"}, {"Later": [{"Gateway": "gateway.md"}]}]
    assert hooks().on_config({"docs_dir": str(tmp_path), "nav": nav})["nav"] == [{"Home": "index.md"}]


def test_sphinx_roles_in_docstrings_render_as_the_names_they_point_at() -> None:
    html = (
        "<p>Returns a :class:<code>~qwen_api.RawResponse</code>; see :meth:<code>close</code> and "
        ":py:func:<code>qwen_api.tools.render_call</code>, not a:class:code.</p>"
    )
    assert hooks().on_page_content(html, page=None) == (
        "<p>Returns a <code>RawResponse</code>; see <code>close</code> and "
        "<code>qwen_api.tools.render_call</code>, not a:class:code.</p>"
    )
