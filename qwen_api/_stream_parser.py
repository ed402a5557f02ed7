"""Turn decoded stream events into typed chunks and accumulate the final answer (no I/O).

Phases are kept apart: ``answer`` is content, ``thinking_summary``/``think`` is reasoning,
``web_search`` carries search results, ``image_gen`` carries image URLs. The reasoning summary
arrives as *accumulating* title/thought arrays (each event repeats everything so far), so the
parser renders the summary and hands out only the new suffix. Unknown phases and fields are kept
on the chunk (``raw``) and in ``ChatResponse.phases``; they are never fatal.
"""

from __future__ import annotations

from collections.abc import Callable
from json import loads as _std_loads
from typing import Any

from ._errors import error_from_stream_event, internal_error
from .types.chat import (
    ChatResponse,
    ChatResponseStream,
    Choice,
    ChoiceList,
    ChoiceStream,
    Delta,
    Extra,
    FunctionCall,
    Message,
    Usage,
    WebSearchInfo,
    answer_choice,
    stream_chunk,
)
from .types.completion import CompletionChoice, CompletionResponse

_loads: Callable[[bytes], Any]
try:  # orjson parses an event about 3x faster than the standard library (see docs/benchmarks.md)
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a dependency on CPython; PyPy and others fall back
    _loads = _std_loads
#: From this size on the standard library parses. orjson's lead shrinks on long strings (~10% on UTF-8
#: text) and its cost jumps 1.3-1.45x once the work buffer it sizes from the input is mapped afresh by
#: the allocator (from ~3 MiB in a fresh process, ~4.5 MiB later); json's cost stays linear in the size.
_FAST_JSON_LIMIT = 512 * 1024

_REASONING_PHASES = frozenset({"thinking_summary", "think", "reasoning", "thinking"})
_FINAL_PHASES = frozenset({"answer", "image_gen", "deep_research_answer", "video_gen"})


def render_summary(titles: list[str], thoughts: list[str]) -> str:
    """The reasoning summary as text: one paragraph per step, title line then thought."""
    paragraphs = []
    for index in range(max(len(titles), len(thoughts))):
        title = titles[index] if index < len(titles) else ""
        thought = thoughts[index] if index < len(thoughts) else ""
        paragraphs.append("\n".join(part for part in (title, thought) if part))
    return "\n\n".join(paragraphs)


def _text_list(value: Any) -> list[str] | None:
    if isinstance(value, dict):
        value = value.get("content")
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    if isinstance(value, str):
        return [value]
    return None


class StreamState:
    """Feed it the JSON payload of each event; it yields chunks and keeps the running totals."""

    __slots__ = (
        "_answer_parts",
        "_other_phases",
        "_reasoning_parts",
        "_summary_text",
        "chat_id",
        "finished",
        "image_sizes",
        "images",
        "method",
        "model",
        "parent_id",
        "response_id",
        "url",
        "usage_raw",
        "web_search_info",
    )

    def __init__(self, *, model: str | None = None, method: str | None = None, url: str | None = None) -> None:
        self.model: str | None = model
        self.method: str | None = method
        self.url: str | None = url
        self.chat_id: str | None = None
        self.parent_id: str | None = None
        self.response_id: str | None = None
        self.usage_raw: dict[str, Any] | None = None
        self.finished: bool = False
        self.images: list[str] = []
        self.image_sizes: list[list[int]] = []
        self.web_search_info: list[WebSearchInfo] = []
        self._answer_parts: list[str] = []
        self._reasoning_parts: list[str] = []
        self._summary_text = ""
        self._other_phases: dict[str, list[str]] = {}

    # -- events --------------------------------------------------------------------------

    def feed(self, payload: bytes) -> ChatResponseStream | None:
        """One ``data`` payload in; a chunk out when it carries a delta. Raises on error events.

        The answer's typing deltas (nearly every event) take the straight path through this method;
        everything else (reasoning, search, images, tool calls, unknown fields) goes through :meth:`_delta`.
        """
        try:
            # Fast path: both parsers give the same value, and what orjson refuses goes to _lenient.
            event = _loads(payload) if len(payload) < _FAST_JSON_LIMIT else _std_loads(payload)  # pragma: no mutate
        except ValueError:  # includes invalid UTF-8; `[DONE]` lands here too
            event = self._lenient(payload)
            if event is None:
                return None
        if type(event) is not dict:
            raise internal_error(
                "the stream carried an event that is not a JSON object",
                body=event,
                method=self.method,
                url=self.url,
            )
        choices = event.get("choices")
        if choices is None:
            self._other(event)
            return None
        if type(choices) is not list or not choices:
            return None
        choice = choices[0]
        if type(choice) is not dict:
            return None
        raw = choice.get("delta")
        if type(raw) is not dict:
            raw = {}
        get = raw.get
        content = get("content")
        phase = get("phase")
        status = get("status")
        role = get("role")
        usage = event.get("usage")
        if type(usage) is dict:
            self.usage_raw = usage
        response_id = event.get("response_id")
        if type(response_id) is str:
            self.response_id = response_id
        created = event.get("timestamp")
        if not isinstance(created, int):
            created = None
        # The lines marked "fast path" only choose the straight path for a delta the general path turns
        # into the same chunk: a change that skips it changes nothing but speed, and each change that
        # takes it wrongly is pinned by a test in tests/unit/test_stream_state_pins.py.
        if (
            len(raw) == 4
            and phase == "answer"  # pragma: no mutate (fast path)
            and type(content) is str  # pragma: no mutate (fast path)
            and type(status) is str  # pragma: no mutate (fast path)
            and type(role) is str  # pragma: no mutate (fast path)
            and not choice.get("finish_reason")  # (one the general path honours; the service sends none)
        ):
            # An answer delta with exactly role/content/phase/status: nearly every event of a turn.
            if content:
                self._answer_parts.append(content)
            finish_reason = None
            if status == "finished":
                self.finished = True
                finish_reason = "stop"
            answer = answer_choice(content, role, status, raw, finish_reason)
            return stream_chunk(answer, self.response_id, self.chat_id, self.model, created, event)
        delta = self._delta(raw, content, phase, status, role)
        finish_reason = None
        if delta.status == "finished" and (delta.phase in _FINAL_PHASES or delta.phase is None):
            self.finished = True
            finish_reason = "stop"
        else:
            reason = choice.get("finish_reason")
            if type(reason) is str and reason:  # the older (v1) framing ends on a finish_reason
                self.finished = True
                finish_reason = reason
        return stream_chunk(
            ChoiceStream(delta, 0, finish_reason), self.response_id, self.chat_id, self.model, created, event
        )

    def _delta(self, raw: dict[str, Any], content: Any, phase: Any, status: Any, role: Any) -> Delta:
        """Any other delta: reasoning, search, images, tool calls, unknown phases and fields."""
        if type(content) is not str:  # pragma: no mutate (fast path: str() of a string is the string)
            content = "" if content is None else str(content)
        phase = phase if type(phase) is str else None
        status = status if type(status) is str else None
        role = role if type(role) is str else "assistant"
        content, reasoning, extra = self._phase(phase, content, raw.get("extra"))
        function_call = raw.get("function_call")
        if function_call is not None:
            function_call = (
                FunctionCall(function_call.get("name"), function_call.get("arguments"))
                if type(function_call) is dict
                else None
            )
        name = raw.get("name")
        function_id = raw.get("function_id")
        return Delta(
            content,
            role,
            phase,
            status,
            reasoning,
            extra,
            name if type(name) is str else None,
            function_call,
            function_id if type(function_id) is str else None,
            raw,
        )

    def _lenient(self, payload: bytes) -> Any:
        """A payload the fast parser refused: ``[DONE]``, or JSON only the standard library accepts
        (NaN, integers beyond 64 bits, UTF-16); otherwise a typed error."""
        if payload.strip() == b"[DONE]":
            self.finished = True
            return None
        try:
            return _std_loads(payload)
        except ValueError as exc:
            error = exc
        raise internal_error(
            f"the stream carried an event that is not valid JSON ({error.__class__.__name__})",
            body=payload[:500].decode("utf-8", "replace"),  # pragma: no mutate (codec names ignore case)
            method=self.method,
            url=self.url,
        ) from None

    def _other(self, event: dict[str, Any]) -> None:
        created = event.get("response.created")
        if isinstance(created, dict):
            self.chat_id = created.get("chat_id") or self.chat_id
            self.parent_id = created.get("parent_id")
            self.response_id = created.get("response_id") or self.response_id
            return None
        if "response.stopped" in event:  # the user stopped the answer (chats.stop): it ends here
            self.finished = True
            return None
        if "error" in event:
            error = error_from_stream_event(event, method=self.method, url=self.url)
            error.partial_content = self.content or None
            raise error
        return None  # response.info keep-alives, response.stopped, and events we do not know yet

    def _phase(self, phase: str | None, content: str, raw_extra: Any) -> tuple[str, str | None, Extra | None]:
        """Everything but a plain answer delta: returns (content, reasoning, extra) for the chunk."""
        extra = self._extra(raw_extra) if isinstance(raw_extra, dict) else None
        reasoning: str | None = None  # pragma: no mutate (read only as `reasoning or ...`: "" reads the same)

        if phase in _REASONING_PHASES:
            if extra is not None and (extra.summary_title is not None or extra.summary_thought is not None):
                rendered = render_summary(extra.summary_title or [], extra.summary_thought or [])
                if rendered.startswith(self._summary_text):
                    reasoning = rendered[len(self._summary_text) :]
                else:  # the service rewrote its summary: continue from here (the summary so far is
                    # not empty: an empty one is a prefix of any)
                    reasoning = "\n\n" + rendered
                self._summary_text = rendered
            if content:
                reasoning = (reasoning or "") + content
            if reasoning:
                self._reasoning_parts.append(reasoning)
            content = ""
        elif phase == "image_gen":
            if content:
                self.images.append(content)
                sizes = extra.output_image_hw if extra is not None else None
                self.image_sizes.append(sizes[0] if sizes and isinstance(sizes[0], list) else [])
        elif phase in (None, "answer"):
            if content:
                self._answer_parts.append(content)
        elif content:
            self._other_phases.setdefault(phase, []).append(content)
        return content, reasoning or None, extra

    def _extra(self, raw: dict[str, Any]) -> Extra:
        results = raw.get("web_search_info")
        web_search_info: list[WebSearchInfo] = []
        if isinstance(results, list):
            web_search_info = [WebSearchInfo.from_wire(item) for item in results if isinstance(item, dict)]
            known = {info.url for info in self.web_search_info}
            self.web_search_info.extend(info for info in web_search_info if info.url not in known)
        hw = raw.get("output_image_hw")
        image_list = raw.get("image_list")
        return Extra(
            web_search_info,
            _text_list(raw.get("summary_title")),
            _text_list(raw.get("summary_thought")),
            hw if isinstance(hw, list) else None,
            image_list if isinstance(image_list, list) else None,
            raw,
        )

    # -- totals --------------------------------------------------------------------------

    @property
    def content(self) -> str:
        return "".join(self._answer_parts)

    @property
    def reasoning_content(self) -> str | None:
        return "".join(self._reasoning_parts) or None

    @property
    def usage(self) -> Usage | None:
        return Usage.from_wire(self.usage_raw) if self.usage_raw is not None else None

    def chat_response(self, request_id: str | None = None) -> ChatResponse:
        """The answer received so far as a ``ChatResponse`` (the whole answer once the stream ended)."""
        message = Message(
            "assistant",
            self.content,
            self.reasoning_content,
            None,
            list(self.web_search_info),
            list(self.images),
        )
        extra = Extra(list(self.web_search_info)) if self.web_search_info else None
        return ChatResponse(
            ChoiceList([Choice(message, 0, "stop" if self.finished else None, extra)]),
            self.usage,
            self.response_id,
            self.chat_id,
            self.parent_id,
            self.model,
            None,
            request_id,
            {phase: "".join(parts) for phase, parts in self._other_phases.items()},
        )

    def completion_response(self, request_id: str | None = None) -> CompletionResponse:
        """The answer received so far as a ``CompletionResponse``; ``finish_reason`` is ``"stop"``
        only when the answer ended."""
        reason = "stop" if self.finished else None  # never "stop" for an answer that did not end
        choice = CompletionChoice(self.content, 0, reason, self.reasoning_content, list(self.web_search_info))
        return CompletionResponse(
            ChoiceList([choice]), self.usage, self.response_id, self.chat_id, self.model, None, request_id
        )
