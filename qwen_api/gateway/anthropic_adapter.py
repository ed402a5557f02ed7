"""The Anthropic Messages adapter: ``POST /v1/messages`` bodies in, SDK call arguments out; answer
pieces in, Anthropic messages and stream events out. Pure, like :mod:`.openai_adapter`, whose
request type (:class:`ChatRequest`) it fills so that one chat service answers both APIs.

Tool use maps onto the OpenAI shapes the SDK emulates: ``tools`` (name, description,
``input_schema``) become function tools, ``tool_choice`` auto / any / tool / none becomes auto /
required / a named function / none, ``tool_use`` blocks of earlier answers become ``tool_calls`` and
``tool_result`` blocks become ``role: "tool"`` messages; calls come back as ``tool_use`` blocks
(``stop_reason: "tool_use"``) or, streamed, as a ``tool_use`` block with one ``input_json_delta``.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from qwen_api.tools import TOOL_NAME_RULE, check_schema, is_tool_name
from qwen_api.types.tools import ToolCall, ToolCallDelta

from .errors import GatewayError
from .openai_adapter import (
    MAX_STOP,
    ChatRequest,
    InCall,
    InImage,
    InMessage,
    check_tools,
    name_tool_results,
    split_model,
    tool_input,
)

__all__ = [
    "THINKING_SIGNATURE",
    "EventBuilder",
    "anthropic_error_body",
    "estimate_tokens",
    "message_body",
    "parse_messages_request",
    "stop_reason",
]

#: Thinking blocks must carry a signature; the upstream has none, so the gateway marks its own.
THINKING_SIGNATURE = "qwen-gateway"
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    503: "overloaded_error",
    529: "overloaded_error",
}


def is_anthropic_path(path: str) -> bool:
    """The Messages API's paths (``/v1/messages`` and below), answered in Anthropic's shapes."""
    return path == "/v1/messages" or path.startswith("/v1/messages/")


def anthropic_error_body(error: GatewayError) -> dict[str, Any]:
    """The error as Anthropic's API answers it: ``{"type": "error", "error": {"type", "message"}}``."""
    kind = _ERROR_TYPES.get(error.status, "api_error")
    return {"type": "error", "error": {"type": kind, "message": error.message}}


def _bad(message: str) -> GatewayError:
    return GatewayError(400, message, "invalid_request_error", None, None)


def _unsupported(feature: str) -> GatewayError:
    return GatewayError(
        400, f"{feature} is not supported yet by this gateway", "invalid_request_error", "unsupported_parameter", None
    )


def _text_blocks(value: Any, where: str) -> tuple[str, tuple[InImage, ...]]:
    if isinstance(value, str):
        return value, ()
    if not isinstance(value, list):
        raise _bad(f"{where} must be a string or a list of content blocks")
    texts: list[str] = []
    images: list[InImage] = []
    for index, block in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(block, Mapping):
            raise _bad(f"{at} must be an object")
        kind = block.get("type")
        if kind == "text":
            if not isinstance(block.get("text"), str):
                raise _bad(f"{at}.text must be a string")
            texts.append(block["text"])
        elif kind == "image":
            images.append(_image(block.get("source"), at))
        elif kind in ("thinking", "redacted_thinking"):
            continue  # earlier reasoning, handed back by the client: not part of the conversation text
        elif kind in ("tool_use", "tool_result"):
            raise _bad(f"{at}: a {kind} block belongs in an assistant (tool_use) or user (tool_result) message")
        else:
            raise _unsupported(f"content block type {kind!r}")
    return "\n".join(texts), tuple(images)


def _image(source: Any, where: str) -> InImage:
    if not isinstance(source, Mapping):
        raise _bad(f"{where}.source must be an object")
    if source.get("type") == "base64":
        try:
            data = base64.b64decode(str(source.get("data", "")), validate=True)
        except (binascii.Error, ValueError):
            raise _bad(f"{where}.source.data is not valid base64") from None
        if not data:
            raise _bad(f"{where}.source.data is empty")
        return InImage(data=data, mimetype=str(source.get("media_type") or "image/png"))
    if source.get("type") == "url" and isinstance(source.get("url"), str):
        url = source["url"]
        if not url.startswith(("http://", "https://")):
            raise _bad(f"{where}.source.url must be http(s)")
        return InImage(url=url)
    raise _bad(f"{where}.source must be base64 or url")


def _tool_result(block: Mapping[str, Any], at: str) -> InMessage:
    call_id = block.get("tool_use_id")
    if not isinstance(call_id, str) or not call_id:
        raise _bad(f"{at}.tool_use_id is required")
    content = block.get("content")
    text, images = ("", ()) if content is None else _text_blocks(content, f"{at}.content")
    if block.get("is_error") is True:
        text = "The tool failed:\n" + text
    return InMessage("tool", text, images, tool_call_id=call_id)


def _tool_use(block: Mapping[str, Any], at: str) -> InCall:
    call_id, name, arguments = block.get("id"), block.get("name"), block.get("input", {})
    if not isinstance(call_id, str) or not isinstance(name, str) or not isinstance(arguments, Mapping):
        raise _bad(f"{at}: a tool_use block needs id, name and an input object")
    return InCall(call_id, name, json.dumps(arguments, ensure_ascii=False))


def _message(role: str, content: Any, where: str) -> list[InMessage]:
    """One Anthropic message as the gateway's messages: ``tool_result`` blocks become tool messages
    (before the user's own text), ``tool_use`` blocks the assistant message's calls."""
    if isinstance(content, str):
        return [InMessage(role, content)] if content.strip() else []
    if not isinstance(content, list):
        raise _bad(f"{where} must be a string or a list of content blocks")
    out: list[InMessage] = []
    plain: list[Any] = []
    calls: list[InCall] = []
    for index, block in enumerate(content):
        at = f"{where}[{index}]"
        if not isinstance(block, Mapping):
            plain.append(block)  # refused with its position by _text_blocks
            continue
        kind = block.get("type")
        if kind == "tool_result" and role == "user":
            out.append(_tool_result(block, at))
        elif kind == "tool_use" and role == "assistant":
            calls.append(_tool_use(block, at))
        elif kind in ("server_tool_use", "web_search_tool_result"):
            raise _unsupported(f"content block type {kind!r} (server tools)")
        else:
            plain.append(block)
    text, images = _text_blocks(plain, where)
    if text.strip() or images or calls:
        out.append(InMessage(role, text, images, tool_calls=tuple(calls)))
    return out


def _tools(value: Any) -> tuple[dict[str, Any], ...] | None:
    """Anthropic client tools as OpenAI function tools; server tools (web search, computer use,
    the versioned bash / text editor types) need Anthropic's own runtime and are refused."""
    if value is None or value == []:
        return None
    if not isinstance(value, list):
        raise _bad("tools must be a list")
    tools: list[dict[str, Any]] = []
    for index, tool in enumerate(value):
        at = f"tools[{index}]"
        if not isinstance(tool, Mapping):
            raise _bad(f"{at} must be an object")
        kind = tool.get("type")
        if kind not in (None, "custom"):
            raise _unsupported(f"{at}: the server tool type {kind!r}")
        name, schema = tool.get("name"), tool.get("input_schema")
        if not isinstance(name, str) or not name:
            raise _bad(f"{at}.name: field required")
        if not is_tool_name(name):  # checked here, so the error names Anthropic's field, not OpenAI's
            raise _bad(f"{at}.name must be {TOOL_NAME_RULE}, got {name!r}")
        if not isinstance(schema, Mapping):
            raise _bad(f"{at}.input_schema: an object (JSON Schema) is required")
        problem = check_schema(schema)
        if problem is not None:
            raise _bad(f"{at}.input_schema is not a valid JSON Schema: {problem}")
        function: dict[str, Any] = {"name": name, "parameters": dict(schema)}
        if isinstance(tool.get("description"), str):
            function["description"] = tool["description"]
        tools.append({"type": "function", "function": function})
    return tuple(tools)


def _tool_choice(value: Any, has_tools: bool) -> tuple[Any, bool | None]:
    """(OpenAI ``tool_choice``, ``parallel_tool_calls``) of an Anthropic ``tool_choice``."""
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        raise _bad('tool_choice must be an object such as {"type": "auto"}')
    kind = value.get("type")
    parallel = False if value.get("disable_parallel_tool_use") is True else None
    if kind in ("none", "auto") and not has_tools:
        return None, None  # nothing to choose from: the neutral value
    if kind == "none":
        return "none", None
    if not has_tools:
        raise _bad("tool_choice needs tools")
    if kind == "auto":
        return "auto", parallel
    if kind == "any":
        return "required", parallel
    if kind == "tool":
        name = value.get("name")
        if not isinstance(name, str) or not name:
            raise _bad("tool_choice.name is required with type tool")
        return {"type": "function", "function": {"name": name}}, parallel
    raise _bad(f"tool_choice.type must be auto, any, tool or none, got {kind!r}")


def parse_messages_request(body: Any) -> ChatRequest:
    """Validate a Messages body; raises :class:`GatewayError` (400) on anything it cannot honour."""
    if not isinstance(body, Mapping):
        raise _bad("the request body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise _bad("model: field required")
    max_tokens = body.get("max_tokens")
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
        raise _bad("max_tokens: a positive integer is required")
    tools = _tools(body.get("tools"))
    tool_choice, parallel = _tool_choice(body.get("tool_choice"), bool(tools))
    if tools:
        check_tools(list(tools), tool_choice, parallel, None)
    # As on the OpenAI side: no upstream equivalent, so accepted only where it changes nothing.
    if body.get("top_p") not in (None, 1, 1.0):
        raise _unsupported("top_p other than 1")
    if body.get("top_k") is not None:
        raise _unsupported("top_k")
    messages: list[InMessage] = []
    system = body.get("system")
    if system is not None:
        text, _ = _text_blocks(system, "system")
        if text.strip():
            messages.append(InMessage("system", text))
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise _bad("messages: a non-empty list is required")
    for index, item in enumerate(raw):
        where = f"messages[{index}]"
        if not isinstance(item, Mapping) or item.get("role") not in ("user", "assistant"):
            raise _bad(f"{where}.role must be user or assistant")
        found = _message(str(item["role"]), item.get("content"), f"{where}.content")
        if not found and item["role"] == "user":
            raise _bad(f"{where}: content must not be empty")
        messages.extend(found)
    if not messages or messages[-1].key_role not in ("user", "tool"):
        raise _bad("the last message must be a user message (assistant prefill is not supported)")
    stops = body.get("stop_sequences") or []
    if not isinstance(stops, list) or len(stops) > MAX_STOP or not all(isinstance(s, str) and s for s in stops):
        raise _bad(f"stop_sequences must be a list of up to {MAX_STOP} non-empty strings")
    temperature = body.get("temperature")
    if temperature is not None and (
        isinstance(temperature, bool) or not isinstance(temperature, int | float) or not 0 <= temperature <= 1
    ):
        raise _bad("temperature must be a number between 0 and 1")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise _bad("stream must be true or false")
    base, thinking, search = split_model(model.strip())
    config = body.get("thinking")
    if config is not None:
        kind = config.get("type") if isinstance(config, Mapping) else None
        if kind not in ("enabled", "disabled", "adaptive"):
            raise _bad("thinking.type must be enabled, disabled or adaptive")
        wanted = kind != "disabled"
        if thinking is not None and thinking != wanted:
            raise _bad(f"thinking {kind} contradicts the model id {model!r}")
        thinking = wanted
    return ChatRequest(
        model=model.strip(),
        base_model=base,
        messages=name_tool_results(messages),
        thinking=thinking,
        thinking_mode="auto" if isinstance(config, Mapping) and config.get("type") == "adaptive" else None,
        web_search=bool(search),
        stream=stream,
        stop=tuple(stops),
        temperature=None if temperature is None else float(temperature),
        max_tokens=max_tokens,
        tools=tools,
        tool_choice=tool_choice,
        parallel_tool_calls=parallel if tools else None,
    )


def estimate_tokens(request: ChatRequest) -> int:
    """Input tokens, estimated (about four characters a token): the upstream offers no tokenizer."""
    characters = sum(len(m.text) + sum(len(c.name) + len(c.arguments) for c in m.tool_calls) for m in request.messages)
    if request.tools:
        characters += len(json.dumps(list(request.tools), ensure_ascii=False, separators=(",", ":")))
    return max(1, (characters + 3) // 4) + 256 * sum(len(m.images) for m in request.messages)


def stop_reason(finish: str, stop_sequence: str | None) -> str:
    """Anthropic's ``stop_reason`` for an answer that ended with OpenAI's ``finish``."""
    if finish == "tool_calls":
        return "tool_use"
    if stop_sequence is not None:
        return "stop_sequence"
    return "max_tokens" if finish == "length" else "end_turn"


def new_message_id() -> str:
    """A fresh ``msg_...`` id, in Anthropic's form."""
    return "msg_" + uuid.uuid4().hex


def tool_use_id(call_id: str) -> str:
    """The SDK's call id (``call_...``, OpenAI's form) in Anthropic's form (``toolu_...``); the client
    sends it back in ``tool_use`` and ``tool_result`` blocks, and the gateway uses it as it comes."""
    return "toolu_" + call_id.removeprefix("call_") if call_id.startswith("call_") else call_id


def tool_use_block(call_id: str, name: str, arguments: str, error: str | None = None) -> dict[str, Any]:
    """A ``tool_use`` block; a call still invalid after the repair rounds says why in an extra ``error``."""
    block: dict[str, Any] = {
        "type": "tool_use",
        "id": tool_use_id(call_id),
        "name": name,
        "input": tool_input(arguments),
    }
    if error is not None:
        block["error"] = error
    return block


def message_body(
    model: str,
    text: str,
    reasoning: str | None,
    reason: str,
    stop_sequence: str | None,
    usage: tuple[int, int],
    tool_calls: Sequence[ToolCall] = (),
    validation_error: str | None = None,
) -> dict[str, Any]:
    """A whole (non-streamed) Anthropic ``message`` object: thinking, text and ``tool_use`` blocks; an
    answer that still fails ``tool_choice`` after the repair rounds says why in an extra ``validation_error``."""
    content: list[dict[str, Any]] = []
    if reasoning:
        content.append({"type": "thinking", "thinking": reasoning, "signature": THINKING_SIGNATURE})
    if text or not tool_calls:
        content.append({"type": "text", "text": text})
    for call in tool_calls:
        content.append(tool_use_block(call.id, call.function.name, call.function.arguments, call.error))
    body = {
        "id": new_message_id(),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": reason,
        "stop_sequence": stop_sequence,
        "usage": {"input_tokens": usage[0], "output_tokens": usage[1]},
    }
    if validation_error is not None:
        body["validation_error"] = validation_error
    return body


class EventBuilder:
    """The documented event sequence: ``message_start``, ``ping``, then per block ``content_block_start``,
    deltas, ``content_block_stop``; finally ``message_delta`` and ``message_stop``."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.index: int = -1
        self.open: str | None = None
        self.had_text: bool = False
        self.after_tool_use: bool = False
        """A ``tool_use`` block came last: the blank lines that separate narration resuming after a
        call belong to no block (the whole message has one text block, without them)."""

    def start(self, input_tokens: int = 0) -> list[tuple[str, dict[str, Any]]]:
        """The opening events; ``input_tokens`` as far as the upstream has counted them (Anthropic sends
        the prompt's count here, and the final count again in ``message_delta``)."""
        message: dict[str, Any] = {
            "id": new_message_id(),
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": 0},
        }
        return [("message_start", {"type": "message_start", "message": message}), ("ping", {"type": "ping"})]

    def _switch(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        events = self._close()
        self.index += 1
        self.open = kind
        self.had_text = self.had_text or kind == "text"
        block: dict[str, Any] = (
            {"type": "thinking", "thinking": "", "signature": ""}
            if kind == "thinking"
            else {"type": "text", "text": ""}
        )
        events.append(
            ("content_block_start", {"type": "content_block_start", "index": self.index, "content_block": block})
        )
        return events

    def _close(self) -> list[tuple[str, dict[str, Any]]]:
        if self.open is None:
            return []
        events: list[tuple[str, dict[str, Any]]] = []
        if self.open == "thinking":
            events.append(
                (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": self.index,
                        "delta": {"type": "signature_delta", "signature": THINKING_SIGNATURE},
                    },
                )
            )
        events.append(("content_block_stop", {"type": "content_block_stop", "index": self.index}))
        self.open = None
        return events

    def tool_call(self, call: ToolCallDelta) -> list[tuple[str, dict[str, Any]]]:
        """A whole call as its own ``tool_use`` block: start, one ``input_json_delta``, stop."""
        events = self._close()
        self.index += 1
        self.had_text = True  # a message with a tool_use block needs no empty text block
        self.after_tool_use = True
        function = call.function
        name = (function.name if function is not None else None) or ""
        arguments = (function.arguments if function is not None else None) or ""
        block: dict[str, Any] = {
            "type": "tool_use",
            "id": tool_use_id(call.id) if call.id else f"toolu_{self.index}",
            "name": name,
            "input": {},
        }
        if call.error is not None:
            block["error"] = call.error
        partial = json.dumps(tool_input(arguments), ensure_ascii=False)
        events += [
            ("content_block_start", {"type": "content_block_start", "index": self.index, "content_block": block}),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": self.index,
                    "delta": {"type": "input_json_delta", "partial_json": partial},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": self.index}),
        ]
        return events

    def piece(
        self, content: str, reasoning: str | None, calls: Sequence[ToolCallDelta] = ()
    ) -> list[tuple[str, dict[str, Any]]]:
        """The events for one streamed piece: thinking, text or tool use, opening and closing blocks as
        the kind changes."""
        events: list[tuple[str, dict[str, Any]]] = []
        if reasoning:
            if self.open != "thinking":
                events += self._switch("thinking")
            events.append(
                (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": self.index,
                        "delta": {"type": "thinking_delta", "thinking": reasoning},
                    },
                )
            )
        if content and self.after_tool_use:
            content = content.lstrip()
            self.after_tool_use = not content
        if content:
            if self.open != "text":
                events += self._switch("text")
            events.append(
                (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": self.index,
                        "delta": {"type": "text_delta", "text": content},
                    },
                )
            )
        for call in calls:
            events += self.tool_call(call)
        return events

    def finish(
        self, reason: str, stop_sequence: str | None, usage: tuple[int, int], validation_error: str | None = None
    ) -> list[tuple[str, dict[str, Any]]]:
        """The closing events: the last ``content_block_stop``, ``message_delta`` (stop reason, usage,
        and the extra ``validation_error`` of an answer that fails ``tool_choice``) and ``message_stop``."""
        events = [] if self.had_text else self._switch("text")  # a message always has a text block
        events += self._close()
        delta: dict[str, Any] = {"stop_reason": reason, "stop_sequence": stop_sequence}
        if validation_error is not None:
            delta["validation_error"] = validation_error
        events.append(
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": delta,
                    "usage": {"input_tokens": usage[0], "output_tokens": usage[1]},
                },
            )
        )
        events.append(("message_stop", {"type": "message_stop"}))
        return events
