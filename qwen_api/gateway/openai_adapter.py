"""The OpenAI protocol adapter: request JSON in, SDK call arguments out; SDK chunks in, OpenAI chunks out.

Pure functions and small classes without I/O, so every rule here is unit-tested on plain dicts.
What the SDK cannot honour is refused with a clear 400 (never silently dropped); what the gateway
can honour itself (``stop`` sequences, ``n``, usage chunks) is done here.

Tool calling and structured output: ``tools``, ``tool_choice``, ``parallel_tool_calls`` and
``response_format`` are checked here with the SDK's own :class:`qwen_api.tools.ToolPlan` (so a bad
tool definition is a 400 naming it) and passed through to ``chat.acreate`` / ``Conversation.asend``,
which emulate them; ``role: "tool"`` messages and assistant ``tool_calls`` feed back the same way.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs

from qwen_api.tools import ToolPlan, loads_lenient
from qwen_api.types import ChatMessageParam, Usage, WebSearchInfo
from qwen_api.types.tools import ToolCall, ToolCallDelta

from .errors import bad_request, not_supported

__all__ = [
    "MODEL_VARIANTS",
    "ChatRequest",
    "ChunkFactory",
    "InCall",
    "InMessage",
    "StopScanner",
    "answer_key_text",
    "call_key",
    "completion_body",
    "parse_chat_request",
    "split_model",
    "tool_call_body",
    "tool_call_delta_body",
    "tool_input",
    "url_citations",
    "usage_body",
]

#: Suffixes a client may add to an upstream model id, and the modes they select (thinking, search).
MODEL_VARIANTS: dict[str, tuple[bool, bool]] = {
    "-thinking-search": (True, True),
    "-thinking": (True, False),
    "-search": (False, True),
}
MAX_N = 8
MAX_STOP = 4
_EFFORT_MODES = {
    "none": "fast",
    "minimal": "fast",
    "low": "auto",
    "medium": "thinking",
    "high": "thinking",
    "xhigh": "thinking",
}
_ROLES = ("system", "developer", "user", "assistant", "tool", "function")
# Parameters the upstream has no equivalent for: accepted only at their neutral value.
_NEUTRAL: dict[str, tuple[Any, ...]] = {
    "top_p": (None, 1, 1.0),
    "presence_penalty": (None, 0, 0.0),
    "frequency_penalty": (None, 0, 0.0),
    "logprobs": (None, False),
    "top_logprobs": (None, 0),
    "logit_bias": (None, {}),
    "audio": (None,),
    "prediction": (None,),
    "functions": (None, []),
    "function_call": (None, "none", "auto"),
}
#: Fields the gateway acts on (or refuses); any other field of a request is named in the answer's
#: ``X-Qwen-Gateway-Ignored`` header (``user``, ``seed``, ``metadata``...), never dropped silently.
HANDLED = frozenset(
    {
        "model",
        "messages",
        "stream",
        "stream_options",
        "n",
        "stop",
        "temperature",
        "max_tokens",
        "max_completion_tokens",
        "reasoning_effort",
        "enable_thinking",
        "enable_search",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "response_format",
        "modalities",
        *_NEUTRAL,
    }
)


@attrs.frozen
class InImage:
    """An ``image_url`` part: a URL the SDK references, or decoded ``data:`` bytes the SDK uploads."""

    url: str | None = None
    data: bytes | None = None
    mimetype: str | None = None


@attrs.frozen
class InCall:
    """A tool call of an earlier assistant message, as the client hands it back."""

    id: str
    name: str
    arguments: str

    def sdk_dict(self) -> dict[str, Any]:
        """The call as the SDK's ``ChatMessage.tool_calls`` takes it (OpenAI's shape)."""
        return {"id": self.id, "type": "function", "function": {"name": self.name, "arguments": self.arguments}}


def call_key(name: str, arguments: str) -> str:
    """What identifies a call in the conversation map: its name and its arguments in canonical JSON
    (so an Anthropic ``input`` object and the OpenAI ``arguments`` string of the same call agree)."""
    import json

    try:
        value: Any = json.loads(arguments) if arguments.strip() else {}
    except ValueError:
        return f"{name}\x00{arguments.strip()}"
    return f"{name}\x00{json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(',', ':'))}"


def answer_key_text(text: str, calls: Sequence[tuple[str, str]] = ()) -> str:
    """An assistant message's identity: its text, then its calls ((name, arguments) pairs).

    Runs of whitespace count as one space: one answer comes back in several shapes -- whole, as one
    text block before its ``tool_use`` blocks; streamed, as text blocks around them, which the
    client joins with its own line breaks -- and each must find the chat it came from."""
    parts = [" ".join(text.split()), *(call_key(name, arguments) for name, arguments in calls)]
    return "\x00".join(parts) if calls else parts[0]  # NUL, not whitespace: the key is stripped


@attrs.frozen
class InMessage:
    """One message of an OpenAI or Anthropic request, reduced to what Qwen Chat can take: role,
    text, images, and the tool calls or tool result it carries."""

    role: str
    text: str
    images: tuple[InImage, ...] = ()
    name: str | None = None
    tool_calls: tuple[InCall, ...] = ()
    tool_call_id: str | None = None

    def sdk_dict(self) -> ChatMessageParam:
        """The message as the SDK's ``chat.create`` takes it."""
        role = "system" if self.role == "developer" else self.role
        message: dict[str, Any] = {"role": role, "content": self.text or None}
        if self.tool_calls:
            message["tool_calls"] = [call.sdk_dict() for call in self.tool_calls]
        if self.tool_call_id is not None:
            message["tool_call_id"] = self.tool_call_id
        blocks: list[dict[str, Any]] = []
        for image in self.images:
            if image.data is not None:  # uploaded by the SDK (a fetched URL stays the image's identity)
                blocks.append({"type": "image", "image": image.data, "image_mimetype": image.mimetype})
            else:
                blocks.append({"type": "image", "url": image.url})
        if blocks:
            message["blocks"] = blocks
        if self.name:
            message["name"] = self.name
        return cast("ChatMessageParam", message)  # built from checked JSON; the SDK validates it again

    @property
    def key_role(self) -> str:
        return "system" if self.role == "developer" else self.role

    def key_text(self) -> str:
        """What identifies this message in a conversation: its text, images by URL or content hash,
        its tool calls (name and arguments) or the call it answers."""
        import hashlib

        if self.tool_calls or (self.key_role == "assistant" and not self.images):
            return answer_key_text(self.text, [(call.name, call.arguments) for call in self.tool_calls])
        parts = [self.text.strip()]
        for image in self.images:
            parts.append(image.url or hashlib.sha256(image.data or b"").hexdigest())
        if self.tool_call_id is not None:
            parts.append(self.tool_call_id)
        return "\x1f".join(parts)


@attrs.frozen
class ChatRequest:
    """A validated ``POST /v1/chat/completions`` body, in the terms of the SDK call."""

    model: str
    base_model: str
    messages: tuple[InMessage, ...]
    thinking: bool | None = None
    thinking_mode: str | None = None
    web_search: bool = False
    stream: bool = False
    include_usage: bool = False
    n: int = 1
    stop: tuple[str, ...] = ()
    temperature: float | None = None
    max_tokens: int | None = None
    # Tool calling and structured output, in OpenAI's shapes, passed through to the SDK.
    tools: tuple[Mapping[str, Any], ...] | None = None
    tool_choice: Any = None
    parallel_tool_calls: bool | None = None
    response_format: Mapping[str, Any] | None = None
    repair_rounds: int = 1
    ignored: tuple[str, ...] = ()
    """Request fields the gateway does not act on (reported in ``X-Qwen-Gateway-Ignored``)."""

    def sdk_options(self) -> dict[str, Any]:
        """Keyword arguments of ``chat.acreate`` (besides messages, model and stream)."""
        options: dict[str, Any] = {"web_search": self.web_search}
        if self.thinking_mode is not None:
            options["thinking_mode"] = self.thinking_mode
        elif self.thinking is not None:
            options["thinking"] = self.thinking
        if self.tools:
            options["tools"] = list(self.tools)
            if self.tool_choice is not None:
                options["tool_choice"] = self.tool_choice
            if self.parallel_tool_calls is not None:
                options["parallel_tool_calls"] = self.parallel_tool_calls
        if self.response_format is not None:
            options["response_format"] = dict(self.response_format)
        if self.emulated:
            options["repair_rounds"] = self.repair_rounds
        return options

    @property
    def emulated(self) -> bool:
        """Tools or a JSON format are asked for, or the history holds tool calls or results."""
        return (
            bool(self.tools)
            or self.response_format is not None
            or any(m.tool_calls or m.key_role == "tool" for m in self.messages)
        )


def split_model(model: str) -> tuple[str, bool | None, bool | None]:
    """``qwen3.7-plus-thinking-search`` -> (``qwen3.7-plus``, thinking, search); plain ids give Nones."""
    for suffix, (thinking, search) in MODEL_VARIANTS.items():
        if model.endswith(suffix) and len(model) > len(suffix):
            return model[: -len(suffix)], thinking, search
    return model, None, None


def _flag(body: Mapping[str, Any], name: str) -> bool | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise bad_request(f"{name} must be true or false", param=name)
    return value


def _integer(body: Mapping[str, Any], name: str, *, minimum: int, maximum: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (maximum and value > maximum):
        wanted = f"between {minimum} and {maximum}" if maximum else f"of at least {minimum}"
        raise bad_request(f"{name} must be an integer {wanted}, got {repr(value)[:40]}", param=name)
    return value


def _text_of(content: Any, where: str) -> tuple[str, tuple[InImage, ...]]:
    if content is None:
        return "", ()
    if isinstance(content, str):
        return content, ()
    if not isinstance(content, list):
        raise bad_request(f"{where}.content must be a string or a list of content parts", param=f"{where}.content")
    texts: list[str] = []
    images: list[InImage] = []
    for index, part in enumerate(content):
        at = f"{where}.content[{index}]"
        if not isinstance(part, Mapping):
            raise bad_request(f"{at} must be an object", param=at)
        kind = part.get("type")
        if kind in ("text", "input_text"):
            text = part.get("text")
            if not isinstance(text, str):
                raise bad_request(f"{at}.text must be a string", param=at)
            texts.append(text)
        elif kind == "image_url":
            images.append(_image(part.get("image_url"), at))
        elif kind == "refusal":
            refusal = part.get("refusal")
            texts.append(refusal if isinstance(refusal, str) else "")
        else:
            raise not_supported(f"content part type {kind!r}", at)
    return "\n".join(texts), tuple(images)


_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?P<params>(;[^;,]*)*?);base64,(?P<data>.*)$", re.S)


def _image(value: Any, where: str) -> InImage:
    url = value.get("url") if isinstance(value, Mapping) else value
    if not isinstance(url, str) or not url:
        raise bad_request(f"{where}.image_url.url must be a URL", param=where)
    if url.startswith("data:"):
        match = _DATA_URL.match(url)
        if match is None:
            raise bad_request(f"{where}: a data: URL must be base64 (data:image/png;base64,...)", param=where)
        try:
            data = base64.b64decode(match.group("data"), validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(f"{where}: the data: URL is not valid base64", param=where) from None
        if not data:
            raise bad_request(f"{where}: the data: URL holds no bytes", param=where)
        return InImage(data=data, mimetype=match.group("mime") or "image/png")
    if not url.startswith(("http://", "https://")):
        raise bad_request(f"{where}: image URLs must be http(s) or data: URLs", param=where)
    return InImage(url=url)


def _messages(value: Any) -> tuple[InMessage, ...]:
    if not isinstance(value, list) or not value:
        raise bad_request("messages must be a non-empty list", param="messages")
    result: list[InMessage] = []
    for index, raw in enumerate(value):
        where = f"messages[{index}]"
        if not isinstance(raw, Mapping):
            raise bad_request(f"{where} must be an object", param=where)
        role = raw.get("role")
        if role not in _ROLES:
            raise bad_request(f"{where}.role must be one of {list(_ROLES)}, got {role!r}", param=f"{where}.role")
        if role == "function" or raw.get("function_call"):
            raise not_supported("function messages and function_call (the legacy form: use tools)", where)
        text, images = _text_of(raw.get("content"), where)
        name = raw.get("name") if isinstance(raw.get("name"), str) else None
        calls = _in_calls(raw.get("tool_calls"), where) if role == "assistant" else ()
        call_id: str | None = None
        if role == "tool":
            call_id = raw.get("tool_call_id")
            if not isinstance(call_id, str) or not call_id:
                raise bad_request(f"{where}.tool_call_id is required for a tool message", param=f"{where}.tool_call_id")
        if not text.strip() and not images and not calls and role != "tool":
            if role == "assistant":
                continue  # an empty assistant turn carries nothing to send
            raise bad_request(f"{where} has no content", param=f"{where}.content")
        result.append(InMessage(str(role), text, images, name, calls, call_id))
    if not result or result[-1].key_role not in ("user", "tool"):
        raise bad_request(
            "the last message must be a user message (the one to answer) or a tool result", param="messages"
        )
    return name_tool_results(result)


def name_tool_results(messages: Sequence[InMessage]) -> tuple[InMessage, ...]:
    """Tool results named after the call they answer, so the model reads which tool spoke even when
    only the results are sent (a continued chat holds the call, the new messages do not)."""
    names: dict[str, str] = {}
    out: list[InMessage] = []
    for message in messages:
        for call in message.tool_calls:
            names[call.id] = call.name
        if message.role == "tool" and message.name is None and message.tool_call_id in names:
            message = attrs.evolve(message, name=names[message.tool_call_id])
        out.append(message)
    return tuple(out)


def _in_calls(value: Any, where: str) -> tuple[InCall, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise bad_request(f"{where}.tool_calls must be a list", param=f"{where}.tool_calls")
    calls: list[InCall] = []
    for index, item in enumerate(value):
        at = f"{where}.tool_calls[{index}]"
        function = item.get("function") if isinstance(item, Mapping) else None
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            raise bad_request(f"{at} needs function.name and function.arguments", param=at)
        arguments = function.get("arguments", "{}")
        if not isinstance(arguments, str):
            import json

            arguments = json.dumps(arguments, ensure_ascii=False)
        call_id = item.get("id")
        call_id = call_id if isinstance(call_id, str) and call_id else f"call_{index}"
        calls.append(InCall(call_id, function["name"], arguments))
    return tuple(calls)


def check_tools(
    tools: Any, tool_choice: Any, parallel_tool_calls: Any, response_format: Any, *, param: str = "tools"
) -> None:
    """Refuse (400) what the SDK's emulation would refuse, before any upstream call."""
    try:
        ToolPlan.build(
            tools=tools,
            tool_choice=tool_choice,
            parallel_tool_calls=parallel_tool_calls,
            response_format=response_format,
        )
    except (TypeError, ValueError) as error:
        raise bad_request(str(error), param=param) from None


def _modes(body: Mapping[str, Any], model: str) -> tuple[str, bool | None, str | None, bool]:
    base, variant_thinking, variant_search = split_model(model)
    enable_thinking = _flag(body, "enable_thinking")
    enable_search = _flag(body, "enable_search")
    effort = body.get("reasoning_effort")
    mode: str | None = None
    if effort is not None:
        if effort not in _EFFORT_MODES:
            raise bad_request(
                f"reasoning_effort must be one of {list(_EFFORT_MODES)}, got {effort!r}", param="reasoning_effort"
            )
        mode = _EFFORT_MODES[effort]
    thinking = variant_thinking
    for name, value in (("enable_thinking", enable_thinking),):
        if value is not None:
            if thinking is not None and thinking != value:
                raise bad_request(f"{name}={str(value).lower()} contradicts the model id {model!r}", param=name)
            thinking = value
    if mode is not None and thinking is not None and thinking != (mode != "fast"):
        raise bad_request(
            f"reasoning_effort={effort!r} contradicts thinking {'on' if thinking else 'off'} "
            f"(from the model id or enable_thinking)",
            param="reasoning_effort",
        )
    search = variant_search
    if enable_search is not None:
        if search is not None and search != enable_search:
            raise bad_request(
                f"enable_search={str(enable_search).lower()} contradicts the model id {model!r}", param="enable_search"
            )
        search = enable_search
    return base, thinking, mode, bool(search)


def _stop(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values) or len(values) > MAX_STOP:
        raise bad_request(f"stop must be a non-empty string or a list of up to {MAX_STOP} of them", param="stop")
    return tuple(values)


def _temperature(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not 0 <= value <= 2:
        raise bad_request(f"temperature must be a number between 0 and 2, got {value!r}", param="temperature")
    return float(value)


def parse_chat_request(body: Any) -> ChatRequest:
    """Validate a chat completions body; raises :class:`GatewayError` (400) on anything it cannot honour."""
    if not isinstance(body, Mapping):
        raise bad_request("the request body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise bad_request("model is required (a model id from GET /v1/models)", param="model")
    model = model.strip()
    for name, neutral in _NEUTRAL.items():
        if name in body and body[name] not in neutral:
            raise not_supported(f"{name}={body[name]!r}", name)
    tools = body.get("tools") or None
    tool_choice = body.get("tool_choice")
    parallel = body.get("parallel_tool_calls")
    response_format = body.get("response_format")
    if isinstance(response_format, Mapping) and response_format.get("type") == "text":
        response_format = None
    if not tools and tool_choice in ("none", "auto"):
        tool_choice = None  # nothing to choose from: the neutral value
    # checked one part at a time, so the 400 names the field at fault
    check_tools(None, None, None, response_format, param="response_format")
    check_tools(None, None, parallel, None, param="parallel_tool_calls")
    check_tools(tools, None, None, None, param="tools")
    check_tools(tools, tool_choice, None, None, param="tool_choice")
    modalities = body.get("modalities")
    if modalities is not None and modalities != ["text"]:
        raise not_supported(f"modalities {modalities!r}", "modalities")
    stream = body.get("stream", False)
    if stream is None:
        stream = False
    if not isinstance(stream, bool):
        raise bad_request("stream must be true or false", param="stream")
    stream_options = body.get("stream_options")
    include_usage = False
    if stream_options is not None:
        if not isinstance(stream_options, Mapping):
            raise bad_request("stream_options must be an object", param="stream_options")
        if not stream:
            raise bad_request("stream_options is only allowed with stream: true", param="stream_options")
        include_usage = stream_options.get("include_usage") is True
    max_tokens = _integer(body, "max_completion_tokens", minimum=1)
    legacy_max = _integer(body, "max_tokens", minimum=1)
    if max_tokens is not None and legacy_max is not None and max_tokens != legacy_max:
        raise bad_request("max_tokens and max_completion_tokens disagree; give one", param="max_tokens")
    n = _integer(body, "n", minimum=1, maximum=MAX_N) or 1
    base, thinking, mode, search = _modes(body, model)
    return ChatRequest(
        model=model,
        base_model=base,
        messages=_messages(body.get("messages")),
        thinking=thinking,
        thinking_mode=mode,
        web_search=search,
        stream=stream,
        include_usage=include_usage,
        n=n,
        stop=_stop(body.get("stop")),
        temperature=_temperature(body.get("temperature")),
        max_tokens=max_tokens if max_tokens is not None else legacy_max,
        tools=tuple(tools) if tools else None,
        tool_choice=tool_choice if tools else None,
        parallel_tool_calls=parallel if tools else None,
        response_format=response_format,
        ignored=tuple(sorted(str(key) for key in body if key not in HANDLED)),
    )


# -- out ---------------------------------------------------------------------------------------------


class StopScanner:
    """Finds the first stop sequence in streamed text, holding back a tail that may start one.

    ``feed(text)`` returns ``(text safe to send, stopped)``; ``flush()`` returns the held tail once
    the answer ended without a stop sequence.
    """

    def __init__(self, stops: Sequence[str]) -> None:
        self._stops = tuple(stops)
        self._keep = max((len(s) for s in stops), default=1) - 1
        self._buffer = ""
        self.stopped: bool = False
        self.matched: str | None = None

    def feed(self, text: str) -> tuple[str, bool]:
        """The next piece of text: what can be sent now, and whether a stop sequence was reached."""
        if self.stopped:
            return "", True
        if not self._stops:
            return text, False
        self._buffer += text
        found = [(i, s) for s in self._stops if (i := self._buffer.find(s)) >= 0]
        if found:
            cut, self.matched = min(found)
            out, self._buffer, self.stopped = self._buffer[:cut], "", True
            return out, True
        safe = len(self._buffer) - self._keep
        if safe <= 0:
            return "", False
        out, self._buffer = self._buffer[:safe], self._buffer[safe:]
        return out, False

    def flush(self) -> str:
        """The held tail, once the answer ended without a stop sequence (empty after one)."""
        out, self._buffer = self._buffer, ""
        return "" if self.stopped else out


def apply_stop(text: str, stops: Sequence[str]) -> tuple[str, bool]:
    """A whole answer cut at its first stop sequence, and whether one was found."""
    scanner = StopScanner(stops)
    out, stopped = scanner.feed(text)
    return out + scanner.flush(), stopped


_CITATION = re.compile(r"\[\[(\d+)\]\]")


def url_citations(content: str, sources: Sequence[WebSearchInfo]) -> list[dict[str, Any]]:
    """Web-search sources as ``url_citation`` annotations: each ``[[n]]`` marker in the answer cites
    source n; sources the answer never marks span the whole message."""
    annotations: list[dict[str, Any]] = []
    cited: set[int] = set()
    for match in _CITATION.finditer(content):
        number = int(match.group(1))
        if 1 <= number <= len(sources) and sources[number - 1].url:
            source = sources[number - 1]
            cited.add(number)
            annotations.append(_citation(source, match.start(), match.end()))
    for number, source in enumerate(sources, start=1):
        if number not in cited and source.url:
            annotations.append(_citation(source, 0, len(content)))
    return annotations


def _citation(source: WebSearchInfo, start: int, end: int) -> dict[str, Any]:
    return {
        "type": "url_citation",
        "url_citation": {
            "url": source.url,
            "title": source.title or source.url or "",
            "start_index": start,
            "end_index": end,
        },
    }


def usage_body(usages: Sequence[Usage | None]) -> dict[str, Any]:
    """OpenAI ``usage`` from the upstream counts (summed over the choices' answers)."""
    prompt = completion = reasoning = 0
    for usage in usages:
        if usage is None:
            continue
        prompt = max(prompt, usage.input_tokens or 0)  # every choice answers the same prompt
        completion += usage.output_tokens or 0
        reasoning += usage.reasoning_tokens or 0
    body: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if reasoning:
        body["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    return body


def finish_reason(stopped_by_sequence: bool, usage: Usage | None, max_tokens: int | None) -> str:
    """OpenAI's ``finish_reason``: ``"length"`` when the answer used all of ``max_tokens``, else ``"stop"``."""
    if stopped_by_sequence:
        return "stop"
    if max_tokens is not None and usage is not None and (usage.output_tokens or 0) >= max_tokens:
        return "length"
    return "stop"


@attrs.define
class ChoiceResult:
    """One finished choice: what :func:`completion_body` needs."""

    content: str
    reasoning: str | None
    finish_reason: str
    sources: list[WebSearchInfo] = attrs.field(factory=list)
    usage: Usage | None = None
    tool_calls: list[ToolCall] = attrs.field(factory=list)
    validation_error: str | None = None
    """Why the content fails ``response_format`` after the repair rounds (``None`` when it passes)."""

    def key_text(self) -> str:
        """The answer's identity in the conversation map (what the client will hand back)."""
        return answer_key_text(self.content, [(c.function.name, c.function.arguments) for c in self.tool_calls])


def tool_call_body(call: ToolCall) -> dict[str, Any]:
    """One ``message.tool_calls[i]``; a call whose arguments stayed invalid after the repair rounds
    carries the reason in ``error`` (an extra field: OpenAI clients ignore it, agents can show it)."""
    body: dict[str, Any] = dict(call.to_dict())
    if call.error is not None:
        body["error"] = call.error
    return body


def tool_call_delta_body(call: ToolCallDelta) -> dict[str, Any]:
    """One ``delta.tool_calls[i]``: the first (and only) delta of a call carries id, type, name and
    the whole arguments string, which OpenAI clients accumulate like any other."""
    body: dict[str, Any] = {"index": call.index}
    if call.id is not None:
        body["id"] = call.id
    if call.type is not None:
        body["type"] = call.type
    if call.function is not None:
        function: dict[str, Any] = {"arguments": call.function.arguments or ""}
        if call.function.name is not None:
            function["name"] = call.function.name
        body["function"] = function
    if call.error is not None:
        body["error"] = call.error
    return body


def tool_input(arguments: str) -> dict[str, Any]:
    """A call's arguments as an object (Anthropic's ``input``); unparseable text is mended or wrapped."""
    try:
        value = loads_lenient(arguments)[0] if arguments.strip() else {}
    except ValueError:
        return {"arguments": arguments}
    return value if isinstance(value, dict) else {"value": value}


def completion_body(
    request_model: str, choices: Sequence[ChoiceResult], *, completion_id: str | None = None, created: int | None = None
) -> dict[str, Any]:
    """A whole ``chat.completion`` object."""
    out_choices = []
    for index, choice in enumerate(choices):
        content: str | None = choice.content
        if not content and choice.tool_calls:
            content = None  # OpenAI's shape for an answer that only calls tools
        message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
        if choice.tool_calls:
            message["tool_calls"] = [tool_call_body(call) for call in choice.tool_calls]
        if choice.validation_error is not None:
            message["validation_error"] = choice.validation_error
        if choice.reasoning:
            message["reasoning_content"] = choice.reasoning
        if choice.sources:
            message["annotations"] = url_citations(choice.content, choice.sources)
        else:
            message["annotations"] = []
        out_choices.append(
            {"index": index, "message": message, "logprobs": None, "finish_reason": choice.finish_reason}
        )
    return {
        "id": completion_id or new_completion_id(),
        "object": "chat.completion",
        "created": created or int(time.time()),
        "model": request_model,
        "choices": out_choices,
        "usage": usage_body([c.usage for c in choices]),
    }


def new_completion_id() -> str:
    """A fresh ``chatcmpl-...`` id, in OpenAI's form."""
    return "chatcmpl-" + uuid.uuid4().hex


class ChunkFactory:
    """The ``chat.completion.chunk`` objects of one streamed completion (same id and created on each)."""

    __slots__ = ("_base", "id")

    def __init__(
        self, model: str, completion_id: str | None = None, created: int | None = None, include_usage: bool = False
    ) -> None:
        self.id: str = completion_id or new_completion_id()
        self._base: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": created or int(time.time()),
            "model": model,
        }
        if include_usage:  # as OpenAI does: every chunk has the field, null until the last one
            self._base["usage"] = None

    def _chunk(self, choices: list[dict[str, Any]]) -> dict[str, Any]:
        chunk = dict(self._base)
        chunk["choices"] = choices
        return chunk

    def role(self, index: int, tools: bool = False) -> dict[str, Any]:
        """The first chunk of choice ``index``: the assistant role and empty content -- null when tools
        are offered, as OpenAI streams it, so that an answer of calls alone reassembles to
        ``content: null`` as the whole answer has it."""
        return self._chunk(
            [
                {
                    "index": index,
                    "delta": {"role": "assistant", "content": None if tools else "", "refusal": None},
                    "logprobs": None,
                    "finish_reason": None,
                }
            ]
        )

    def delta(
        self,
        index: int,
        content: str | None = None,
        reasoning: str | None = None,
        tool_calls: Sequence[ToolCallDelta] = (),
    ) -> dict[str, Any]:
        """A chunk with the next content, reasoning or tool calls of choice ``index``."""
        delta: dict[str, Any] = {}
        if content:
            delta["content"] = content
        if reasoning:
            delta["reasoning_content"] = reasoning
        if tool_calls:
            delta["tool_calls"] = [tool_call_delta_body(call) for call in tool_calls]
        return self._chunk([{"index": index, "delta": delta, "logprobs": None, "finish_reason": None}])

    def finish(
        self,
        index: int,
        reason: str,
        annotations: list[dict[str, Any]] | None = None,
        validation_error: str | None = None,
    ) -> dict[str, Any]:
        """The last chunk of choice ``index``: its ``finish_reason``, the web sources as annotations, and
        (an extra field, as ``message.validation_error`` of a whole answer) why the streamed answer fails
        ``response_format`` or ``tool_choice``: a streaming client learns it too, once the text is out."""
        delta: dict[str, Any] = {}
        if annotations:
            delta["annotations"] = annotations
        if validation_error is not None:
            delta["validation_error"] = validation_error
        return self._chunk([{"index": index, "delta": delta, "logprobs": None, "finish_reason": reason}])

    def usage(self, usage: dict[str, Any]) -> dict[str, Any]:
        """The usage chunk sent last with ``stream_options.include_usage``."""
        chunk = self._chunk([])
        chunk["usage"] = usage
        return chunk
