"""Deterministic answers and the exact SSE frames the service would send for them.

The server never invents text: an answer is ``"You said: " + prompt`` (or that text repeated to a
requested length), so a test can compute the expected result with :func:`expected_answer` /
:func:`expected_reasoning` and assert it exactly. Frames are byte-faithful to the recordings
(``t2t_fast_answer_turn1.sse``, ``thinking_summary_stream_2026-10.sse``,
``t2i_guest_keepalive_turn1.sse``): ``data: <json>\\n\\n``, Python ``json.dumps`` spacing, the odd
hand-built ``response.created`` line with its trailing space, key order as captured, growing
``usage``, a final ``finished`` event without usage, no ``[DONE]``.

Pure functions and generators only (no I/O, no clock except the ``now`` callables passed in), so the
app's stream player can pace, stop or break a script without the script knowing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attrs

if TYPE_CHECKING:
    from .config import ServerConfig

__all__ = [
    "ANSWER_PREFIX",
    "SEARCH_CITATION",
    "TurnPlan",
    "answer_text",
    "chunk_text",
    "created_frame",
    "data_frame",
    "expected_answer",
    "expected_reasoning",
    "image_size",
    "legacy_frames",
    "search_results",
    "thinking_paragraphs",
    "turn_frames",
]

ANSWER_PREFIX = "You said: "
SEARCH_CITATION = " [[1]]"

# (height, width) per aspect ratio; 16:9 is the recorded [[1536, 2688]].
_IMAGE_SIZES: dict[str, tuple[int, int]] = {
    "1:1": (2048, 2048),
    "16:9": (1536, 2688),
    "9:16": (2688, 1536),
    "4:3": (1536, 2048),
    "3:4": (2048, 1536),
}


def clean_text(text: str) -> str:
    """Lone surrogates cannot be encoded as UTF-8; replace them so a prompt never breaks a stream."""
    return text.encode("utf-8", "replace").decode("utf-8")


def answer_text(prompt: str, *, answer_length: int | None, search: bool = False) -> str:
    """The full answer for ``prompt``: the echo, or exactly ``answer_length`` characters of it repeated."""
    base = ANSWER_PREFIX + clean_text(prompt) + (SEARCH_CITATION if search else "")
    if answer_length is None:
        return base
    unit = base + " "
    repeats = answer_length // len(unit) + 1
    return (unit * repeats)[:answer_length]


def expected_answer(prompt: str, config: ServerConfig | None = None, *, search: bool = False) -> str:
    """The exact answer text the server streams for ``prompt`` (pass ``search=True`` for search turns)."""
    return answer_text(prompt, answer_length=None if config is None else config.answer_length, search=search)


def thinking_paragraphs(prompt: str) -> list[tuple[str, str]]:
    """The (title, thought) pairs of a thinking turn, in order; each event adds one."""
    text = clean_text(prompt)
    return [
        ("Reading the request", f"The user wrote {len(text)} characters: {text}"),
        ("Planning the answer", "I will repeat the message back, prefixed with 'You said: '."),
    ]


def expected_reasoning(prompt: str, config: ServerConfig | None = None) -> str:
    """The reasoning text qwen-api exposes for a thinking turn (``message.reasoning_content``).

    That is the SDK's rendering of the summary: one paragraph per step, its title line then its
    thought, paragraphs separated by a blank line. :func:`thinking_paragraphs` gives the raw
    (title, thought) pairs for other presentations. ``config`` is accepted for symmetry with
    :func:`expected_answer`; the reasoning does not depend on it.
    """
    del config
    from .._stream_parser import render_summary

    pairs = thinking_paragraphs(prompt)
    return render_summary([title for title, _ in pairs], [thought for _, thought in pairs])


def chunk_text(text: str, size: int) -> list[str]:
    """Split into deltas of ``size`` code points (a str never splits inside a character)."""
    return [text[start : start + size] for start in range(0, len(text), size)]


def tokens(text: str) -> int:
    """A stand-in tokenizer: about four characters per token, monotonic in the length."""
    return (len(text) + 3) // 4


def image_size(ratio: str | None) -> tuple[int, int]:
    """(width, height) in pixels for an aspect ratio (1:1 when unknown)."""
    return _IMAGE_SIZES.get(ratio or "1:1", _IMAGE_SIZES["1:1"])


def search_results(prompt: str) -> list[dict[str, Any]]:
    """Three deterministic ``web_search_info`` entries for a query."""
    query = clean_text(prompt)
    short = query[:60] or "(empty query)"
    quoted = quote(query[:200], safe="")
    hosts = [
        ("en.wikipedia.org", "Wikipedia", "https://en.wikipedia.org/w/index.php?search="),
        ("docs.python.org", "Python docs", "https://docs.python.org/3/search.html?q="),
        ("example.com", "Example", "https://example.com/search?q="),
    ]
    return [
        {
            "url": base + quoted,
            "title": f"{label}: {short}",
            "snippet": f"Result {index} for the query {short!r}.",
            "hostname": host,
            "hostlogo": f"https://{host}/favicon.ico",
            "date": f" (2026-09-{20 + index:02d})",
        }
        for index, (host, label, base) in enumerate(hosts, start=1)
    ]


def data_frame(payload: object) -> bytes:
    """One event: ``data: <json>\\n\\n`` with json.dumps' default separators, UTF-8 unescaped."""
    return b"data: " + json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n\n"


def created_frame(*, chat_id: str, parent_id: str | None, response_id: str, with_index: bool = True) -> bytes:
    """The ``response.created`` line, spaced exactly as captured (no space after two colons, one
    trailing space before the blank line)."""
    index = ', "response_index": "0"' if with_index else ""
    line = (
        f'data: {{"response.created":{{"chat_id": {json.dumps(chat_id)}, "parent_id": {json.dumps(parent_id)}, '
        f'"response_id":{json.dumps(response_id)}{index}}}}} \n\n'
    )
    return line.encode("utf-8")


@attrs.frozen(kw_only=True)
class TurnPlan:
    """Everything a script needs to know about one turn."""

    chat_id: str
    user_message_id: str
    response_id: str
    prompt: str
    answer: str
    chunk_size: int
    thinking: bool = False
    search: bool = False
    image: bool = False
    size: str | None = None
    image_count: int = 1
    keepalive_events: int = 1
    image_base_url: str = ""
    function_id: str = ""
    now: Callable[[], int] = attrs.field(default=lambda: int(time.time()))
    paragraphs: tuple[tuple[str, str], ...] | None = None
    """Scripted (title, thought) steps of the thinking phase; ``None`` derives them from the prompt."""

    def thinking_steps(self) -> list[tuple[str, str]]:
        """The (title, text) steps of the thinking phase: the scripted ones, else derived from the prompt."""
        return list(self.paragraphs) if self.paragraphs is not None else thinking_paragraphs(self.prompt)

    def image_urls(self) -> list[str]:
        """The URLs of the images this turn answers with."""
        return [f"{self.image_base_url}/output/t2i/{self.response_id}_{index}.png" for index in range(self.image_count)]


def _choice(delta: dict[str, Any], response_id: str, *, usage: dict[str, Any] | None, timestamp: int | None) -> bytes:
    payload: dict[str, Any] = {"choices": [{"delta": delta}], "response_id": response_id}
    if usage is not None:
        payload["usage"] = usage
    if timestamp is not None:
        payload["timestamp"] = timestamp
    return data_frame(payload)


def _text_usage(input_tokens: int, output_tokens: int, reasoning_tokens: int | None) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "characters": 0,
        "total_tokens": input_tokens + output_tokens,
        "input_tokens_details": {"text_tokens": input_tokens},
    }
    if reasoning_tokens is None:
        # The 2026-09 t2t capture's shape.
        usage["output_tokens_details"] = {"text_tokens": output_tokens}
        usage["prompt_tokens_details"] = {"cached_tokens": 0}
    else:
        # The 2026-10 thinking capture's shape (no prompt_tokens_details there).
        usage["output_tokens_details"] = {"reasoning_tokens": reasoning_tokens, "text_tokens": output_tokens}
    return usage


def _finished(phase: str, response_id: str) -> bytes:
    # Key order differs from the typing deltas in every capture: content, role, status, phase.
    return data_frame(
        {
            "choices": [{"delta": {"content": "", "role": "assistant", "status": "finished", "phase": phase}}],
            "response_id": response_id,
        }
    )


def _thinking_frames(plan: TurnPlan, input_tokens: int) -> Iterator[tuple[bytes, int]]:
    paragraphs = plan.thinking_steps()
    reasoning = 0
    states: list[int] = list(range(1, len(paragraphs) + 1))
    states.append(len(paragraphs))  # the site resends the last state once; only usage grows
    for step, count in enumerate(states):
        shown = paragraphs[:count]
        reasoning = tokens(" ".join(title + thought for title, thought in shown)) + step
        delta = {
            "role": "assistant",
            "content": "",
            "phase": "thinking_summary",
            "extra": {
                "summary_title": {"content": [title for title, _ in shown]},
                "summary_thought": {"content": [thought for _, thought in shown]},
            },
            "status": "typing",
        }
        yield (
            _choice(
                delta, plan.response_id, usage=_text_usage(input_tokens, reasoning, reasoning), timestamp=plan.now()
            ),
            reasoning,
        )
    finished = {"role": "assistant", "content": "", "phase": "thinking_summary", "status": "finished"}
    yield _choice(finished, plan.response_id, usage=None, timestamp=plan.now()), reasoning


def _search_frames(plan: TurnPlan, input_tokens: int, reasoning: int | None) -> Iterator[bytes]:
    arguments = json.dumps({"query": clean_text(plan.prompt)}, ensure_ascii=False)
    delta: dict[str, Any] = {
        "role": "assistant",
        "content": "",
        "phase": "web_search",
        "status": "typing",
        "function_call": {"name": "web_search", "arguments": arguments},
        "function_id": plan.function_id,
        "extra": {"web_search_info": search_results(plan.prompt), "display_position": "before_answer"},
    }
    used = reasoning or 0
    yield _choice(delta, plan.response_id, usage=_text_usage(input_tokens, used, reasoning), timestamp=plan.now())
    finished = {
        "role": "assistant",
        "content": "",
        "phase": "web_search",
        "status": "finished",
        "function_id": plan.function_id,
    }
    yield _choice(finished, plan.response_id, usage=None, timestamp=plan.now())


def _answer_frames(plan: TurnPlan, input_tokens: int, reasoning: int | None) -> Iterator[bytes]:
    sent = ""
    pieces = chunk_text(plan.answer, plan.chunk_size)
    # The site closes every answer with an empty typing delta before `finished` (two in the captures).
    for piece in [*pieces, ""]:
        sent += piece
        output = tokens(sent) + (reasoning or 0)
        delta = {"role": "assistant", "content": piece, "phase": "answer", "status": "typing"}
        yield _choice(delta, plan.response_id, usage=_text_usage(input_tokens, output, reasoning), timestamp=plan.now())
    yield _finished("answer", plan.response_id)


def _image_frames(plan: TurnPlan) -> Iterator[bytes]:
    for _ in range(plan.keepalive_events):
        info = {
            "action": "keep_alive",
            "chat_id": plan.chat_id,
            "response_id": plan.response_id,
            "timestamp": plan.now(),
        }
        yield data_frame({"response.info": info})
    height, width = image_size(plan.size)
    for url in plan.image_urls():
        delta = {
            "role": "assistant",
            "content": url,
            "phase": "image_gen",
            "extra": {"output_image_hw": [[height, width]]},
            "status": "typing",
        }
        usage = {
            "input_tokens": 0,
            "output_tokens": 0,
            "characters": 0,
            "width": width,
            "image_count": 1,
            "height": height,
        }
        yield _choice(delta, plan.response_id, usage=usage, timestamp=plan.now())
    yield _finished("image_gen", plan.response_id)


def turn_frames(plan: TurnPlan) -> Iterator[bytes]:
    """Every frame of one v2 turn, in the recorded order: created, [thinking], [search], answer | images."""
    yield created_frame(
        chat_id=plan.chat_id, parent_id=plan.user_message_id, response_id=plan.response_id, with_index=not plan.image
    )
    if plan.image:
        yield from _image_frames(plan)
        return
    input_tokens = max(1, tokens(plan.prompt))
    reasoning: int | None = None
    if plan.thinking:
        for frame, used in _thinking_frames(plan, input_tokens):
            reasoning = used
            yield frame
    if plan.search:
        yield from _search_frames(plan, input_tokens, reasoning)
    yield from _answer_frames(plan, input_tokens, reasoning)


def legacy_frames(answer: str, chunk_size: int) -> Iterator[bytes]:
    """The retired v1 stream: bare choice deltas without ids, ending on ``finish_reason: "stop"``.

    The only v1 sample (``legacy_v1_web_search_stream.sse``) was printed by an SDK, which filled
    absent fields with ``null``; the spec types those fields as objects, so they are left out here.
    """
    for piece in chunk_text(answer, chunk_size):
        yield data_frame({"choices": [{"delta": {"role": "assistant", "content": piece}}]})
    yield data_frame({"choices": [{"delta": {"role": "assistant", "content": ""}, "finish_reason": "stop"}]})


def history_content_list(plan: TurnPlan, *, stopped: bool = False) -> list[dict[str, Any]]:
    """The assistant message's ``content_list`` as chat detail shows it after the turn."""
    items: list[dict[str, Any]] = []
    timestamp = plan.now()
    if plan.thinking:
        paragraphs = plan.thinking_steps()
        items.append(
            {
                "content": "",
                "phase": "thinking_summary",
                "status": "finished",
                "extra": {
                    "summary_title": {"content": [title for title, _ in paragraphs]},
                    "summary_thought": {"content": [thought for _, thought in paragraphs]},
                },
                "role": "assistant",
                "response_id": plan.response_id,
                "timestamp": timestamp,
            }
        )
    if plan.image:
        items.extend(
            {
                "content": url,
                "phase": "image_gen",
                "status": "finished",
                "extra": {"output_image_hw": [list(image_size(plan.size))]},
                "role": "assistant",
                "response_id": plan.response_id,
                "timestamp": timestamp,
            }
            for url in plan.image_urls()
        )
        return items
    input_tokens = max(1, tokens(plan.prompt))
    items.append(
        {
            "content": plan.answer,
            "phase": "answer",
            "status": "stopped" if stopped else "finished",
            "extra": {"web_search_info": search_results(plan.prompt)} if plan.search else None,
            "role": "assistant",
            "response_id": plan.response_id,
            "usage": _text_usage(input_tokens, tokens(plan.answer), None),
            "timestamp": timestamp,
        }
    )
    return items


def reasoning_sequence(frames: Sequence[dict[str, Any]]) -> list[str]:
    """Helper for tests: the thought paragraphs newly added by each thinking event (diffing the arrays)."""
    seen: list[str] = []
    for event in frames:
        for choice in event.get("choices", []):
            extra = (choice.get("delta") or {}).get("extra") or {}
            thoughts = (extra.get("summary_thought") or {}).get("content") or []
            seen.extend(thoughts[len(seen) :])
    return seen
