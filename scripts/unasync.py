"""Write the async twins of the resources' methods from their sync originals (or check them).

The sync method is the one source of truth: ``acreate`` is ``create`` with ``def`` made ``async def``,
each driver call awaited (``runtime.run(`` -> ``await runtime.arun(``...) and the stream types made
async (``Stream`` -> ``AsyncStream``), as httpcore's ``unasync`` does for whole modules. Overload
stacks are translated too; only the docstring of the async implementation is its own (given below).
``make check-generated`` runs ``--check``, which fails when an async twin was edited by hand or its
sync original changed without a regeneration.

    python scripts/unasync.py [--check]
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

from _generated import ruff_formatted

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qwen_api"

TWINS: list[tuple[str, str, str, str, str]] = [
    # (module under qwen_api/, class, sync method, async method, docstring of the async implementation)
    ("client.py", "Qwen", "_run_sync", "_run_async", ""),
    (
        "resources/chat.py",
        "Chat",
        "create",
        "acreate",
        "Async :meth:`create`; with ``stream=True`` the awaited value is an async iterator.",
    ),
    (
        "resources/chat.py",
        "Chat",
        "upload_file",
        "async_upload_file",
        "Async :meth:`upload_file` (no blocking file I/O on the event loop); also named :meth:`aupload_file`.",
    ),
    (
        "resources/completion.py",
        "Completion",
        "create",
        "acreate",
        "Async :meth:`create` (an async iterator when streaming).",
    ),
    ("resources/images.py", "Images", "generate", "agenerate", "Async :meth:`generate`."),
    ("resources/models.py", "Models", "list", "alist", "Async :meth:`list`."),
    ("resources/models.py", "Models", "retrieve", "aretrieve", "Async :meth:`retrieve`."),
    ("resources/account.py", "AccountResource", "retrieve", "aretrieve", "Async :meth:`retrieve`."),
    (
        "resources/chats.py",
        "Conversation",
        "send",
        "asend",
        "Async :meth:`send`; with ``stream=True`` the awaited value is an async iterator.",
    ),
    ("resources/chats.py", "Conversation", "_send_tools", "_asend_tools", ""),
    ("resources/chats.py", "Conversation", "delete", "adelete", "Async :meth:`delete`."),
    ("resources/chats.py", "Chats", "new", "anew", "Async :meth:`new`."),
    ("resources/chats.py", "Chats", "get", "aget", "Async :meth:`get`."),
    ("resources/chats.py", "Chats", "delete", "adelete", "Async :meth:`delete`."),
    ("resources/chats.py", "Chats", "stop", "astop", "Async :meth:`stop`."),
]

#: sync text -> async text, applied in order to whole words.
TOKENS: list[tuple[str, str]] = [
    (r"\bruntime\.run\(", "await runtime.arun("),
    (r"\bself\._run\(", "await self._arun("),
    (r"\battach_uploads_sync\(", "await attach_uploads_async("),
    (r"\bupload_sync\(", "await upload_async("),
    (r"\bself\._send_tools\(", "await self._asend_tools("),
    (r"\bself\.list\(", "await self.alist("),
    (r"\bchat\.create\(", "await chat.acreate("),
    (r"\bself\._chats\.delete\(", "await self._chats.adelete("),
    (r"\brun_sync\(", "await run_async("),
    (r"\bself\._http\(\)", "self._ahttp()"),
    (r"\bself\._storage_http\b", "self._astorage_http"),
    (r"\bToolStream\b", "AsyncToolStream"),
    (r"\bStream\b", "AsyncStream"),
]


def _group(klass: ast.ClassDef, name: str, kind: type[ast.AST]) -> tuple[int, int] | None:
    """First and last line (1-based, decorators included) of the contiguous defs named ``name``."""
    nodes = [n for n in klass.body if isinstance(n, kind) and getattr(n, "name", None) == name]
    if not nodes:
        return None
    first = nodes[0]
    start = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
    end = nodes[-1].end_lineno
    assert end is not None
    return start, end


def translate(text: str, sync: str, asyn: str, doc: str) -> str:
    """The async twin of the sync method source ``text`` (overloads and implementation)."""
    out = re.sub(rf"^(\s*)def {re.escape(sync)}\(", rf"\1async def {asyn}(", text, flags=re.M)
    out = re.sub(r"^(\s{8,})def ", r"\1async def ", out, flags=re.M)  # nested helpers (a repair callback)
    for pattern, replacement in TOKENS:
        out = re.sub(pattern, replacement, out)
    implementation = out.rfind(f"async def {asyn}(")
    head, body = out[:implementation], out[implementation:]
    docstring = re.compile(r'(\n\s+)"""(?:.|\n)*?"""')
    if doc:
        body = docstring.sub(lambda m: f'{m.group(1)}"""{doc}"""', body, count=1)
    return head + body


def render(path: Path) -> str:
    """``path`` with every configured async twin regenerated from its sync original."""
    source = path.read_text(encoding="utf-8")
    for module, cls, sync, asyn, doc in TWINS:
        if PACKAGE / module != path:
            continue
        tree = ast.parse(source)
        klass = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
        sync_span = _group(klass, sync, ast.FunctionDef)
        async_span = _group(klass, asyn, ast.AsyncFunctionDef)
        assert sync_span and async_span, f"{cls}.{sync} / {cls}.{asyn} not found in {module}"
        lines = source.splitlines(keepends=True)
        twin = translate("".join(lines[sync_span[0] - 1 : sync_span[1]]), sync, asyn, doc)
        source = "".join(lines[: async_span[0] - 1]) + twin + "".join(lines[async_span[1] :])
    return ruff_formatted(source)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a twin differs from its regeneration")
    args = parser.parse_args()
    stale = []
    for path in sorted({PACKAGE / module for module, *_ in TWINS}):
        fresh = render(path)
        if path.read_text(encoding="utf-8") != fresh:
            stale.append(path)
            if not args.check:
                path.write_text(fresh, encoding="utf-8")
    if args.check and stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"async twins are stale in {names}: run python scripts/unasync.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
