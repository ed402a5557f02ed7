"""Showing a streamed answer: JSON lines for scripts, rich styling in a terminal, plain text in a pipe.

Every renderer gets the same calls in the order the stream delivers them (``reasoning``,
``content``, ``search``, then ``done`` or ``interrupted``) and writes each piece at once.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Protocol

from ._common import print_json, write

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from qwen_api._streaming import Stream
    from qwen_api.core.exceptions import QwenAPIError
    from qwen_api.types.chat import ChatResponse, ChatResponseStream, Usage, WebSearchInfo


class ChatRenderer(Protocol):
    def reasoning(self, text: str) -> None: ...
    def content(self, text: str) -> None: ...
    def search(self, results: list[WebSearchInfo]) -> None: ...
    def done(self, response: ChatResponse) -> None: ...
    def interrupted(self) -> None: ...
    def failed(self, error: QwenAPIError) -> None: ...


def search_result(info: WebSearchInfo) -> dict[str, Any]:
    return {
        "url": info.url,
        "title": info.title,
        "snippet": info.snippet,
        "hostname": info.hostname,
        "date": info.date.strip() if info.date else info.date,
    }


def usage_dict(usage: Usage | None) -> dict[str, Any] | None:
    if usage is None:
        return None
    result: dict[str, Any] = {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
    if usage.reasoning_tokens is not None:
        result["reasoning_tokens"] = usage.reasoning_tokens
    return result


class JsonRenderer:
    """One JSON object a line: ``reasoning``, ``content``, ``search``, then ``done``."""

    def reasoning(self, text: str) -> None:
        print_json({"type": "reasoning", "text": text})

    def content(self, text: str) -> None:
        print_json({"type": "content", "text": text})

    def search(self, results: list[WebSearchInfo]) -> None:
        print_json({"type": "search", "results": [search_result(r) for r in results]})

    def done(self, response: ChatResponse) -> None:
        print_json(
            {
                "type": "done",
                "chat_id": response.chat_id,
                "response_id": response.id,
                "model": response.model,
                "usage": usage_dict(response.usage),
            }
        )

    def interrupted(self) -> None:
        print_json({"type": "interrupted"})

    def failed(self, error: QwenAPIError) -> None:
        print_json({"type": "error", "error": type(error).__name__, "message": str(error)})


class _Sections:
    """Blank-line separation between reasoning and answer, and a final newline."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.ends_with_newline = True
        self.reasoning_newline = True
        self.sources: list[WebSearchInfo] = []

    def search(self, results: list[WebSearchInfo]) -> None:
        self.sources.extend(results)


class PlainRenderer(_Sections):
    """For pipes: the answer on stdout, reasoning on stderr (so ``> answer.txt`` keeps only the
    answer), sources listed after the answer; every piece flushed as it arrives."""

    def reasoning(self, text: str) -> None:
        if self.section != "reasoning":
            write("Thinking:\n", sys.stderr)
            self.section = "reasoning"
        write(text, sys.stderr)
        self.reasoning_newline = text.endswith("\n")

    def content(self, text: str) -> None:
        if self.section == "reasoning" and not self.reasoning_newline:
            write("\n", sys.stderr)
        self.section = "content"
        write(text)
        self.ends_with_newline = text.endswith("\n")

    def _finish(self) -> None:
        if self.section == "reasoning" and not self.reasoning_newline:
            write("\n", sys.stderr)
        if self.section == "content" and not self.ends_with_newline:
            write("\n")
            self.ends_with_newline = True

    def done(self, response: ChatResponse) -> None:
        self._finish()
        if self.sources:
            lines = ["", "Sources:"]
            for index, source in enumerate(self.sources, 1):
                lines.append(f"[{index}] {source.title or source.hostname or source.url}")
                if source.url:
                    lines.append(f"    {source.url}")
            write("\n".join(lines) + "\n")

    def interrupted(self) -> None:
        self._finish()

    def failed(self, error: QwenAPIError) -> None:
        self._finish()


class RichRenderer(_Sections):
    """For terminals: reasoning dimmed under a heading, the answer plain, sources as a list."""

    def __init__(self, console: Console, show_ids: bool = True) -> None:
        super().__init__()
        self.console = console
        self.show_ids = show_ids

    def _out(self, text: str, style: str | None = None) -> None:
        self.console.print(text, style=style, end="", markup=False, highlight=False, emoji=False)

    def reasoning(self, text: str) -> None:
        if self.section != "reasoning":
            self._out("Thinking\n", "dim bold")
            self.section = "reasoning"
        self._out(text, "dim italic")
        self.ends_with_newline = text.endswith("\n")

    def content(self, text: str) -> None:
        if self.section == "reasoning":
            self._out("\n\n" if not self.ends_with_newline else "\n")
        self.section = "content"
        self._out(text)
        self.ends_with_newline = text.endswith("\n")

    def _finish(self) -> None:
        if self.section is not None and not self.ends_with_newline:
            self._out("\n")
            self.ends_with_newline = True

    def done(self, response: ChatResponse) -> None:
        from rich.style import Style
        from rich.text import Text

        self._finish()
        if self.sources:
            self.console.print()
            self.console.print(Text("Sources", style="bold"))
            for index, source in enumerate(self.sources, 1):
                line = Text()
                line.append(f"[{index}] ", style="dim")
                line.append(source.title or source.hostname or source.url or "?")
                if source.url:
                    line.append("  ")
                    line.append(source.url, style=Style(dim=True, link=source.url))
                self.console.print(line)
        if self.show_ids and response.chat_id:
            self.console.print(Text(f"chat {response.chat_id}  (qwen chat --continue {response.chat_id})", style="dim"))

    def interrupted(self) -> None:
        from rich.text import Text

        self._finish()
        self.console.print(Text("[stopped]", style="dim"))

    def failed(self, error: QwenAPIError) -> None:
        self._finish()


def _search_key(info: WebSearchInfo) -> str:
    return info.url or info.title or repr(info.raw)


def render_stream(
    stream: Stream[ChatResponseStream],
    renderer: ChatRenderer,
    on_interrupt: Callable[[Stream[ChatResponseStream]], object] | None = None,
) -> ChatResponse:
    """Show the whole answer; the stream (and its connection) is closed however this ends.

    On Ctrl-C or an error the renderer is told, the stream closed, and the exception propagates;
    on Ctrl-C ``on_interrupt`` runs first, once the connection is closed (to stop the generation).
    """
    from qwen_api.core.exceptions import QwenAPIError

    seen: set[str] = set()
    try:
        for chunk in stream:
            if not chunk.choices:
                continue
            delta = chunk.choices[0].delta
            if delta.reasoning_content:
                renderer.reasoning(delta.reasoning_content)
            extra = delta.extra
            if extra is not None and extra.web_search_info:
                fresh = [info for info in extra.web_search_info if _search_key(info) not in seen]
                seen.update(_search_key(info) for info in fresh)
                if fresh:
                    renderer.search(fresh)
            if delta.content:
                renderer.content(delta.content)
    except KeyboardInterrupt:
        stream.close()
        renderer.interrupted()
        if on_interrupt is not None:
            on_interrupt(stream)
        raise
    except QwenAPIError as error:
        renderer.failed(error)
        raise
    finally:
        stream.close()
    response = stream.final_response()
    renderer.done(response)
    return response
