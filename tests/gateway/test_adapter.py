"""The OpenAI adapter without I/O: request rules, stop sequences, citations, chunk shapes."""

from __future__ import annotations

import base64

import pytest

from qwen_api import (
    QwenAntiBotError,
    QwenAPIError,
    QwenAPIStatus5xxError,
    QwenAuthenticationError,
    QwenConnectionError,
    QwenContentFilterError,
    QwenInternalError,
    QwenInvalidRequestError,
    QwenNotFoundError,
    QwenTimeoutError,
    RateLimitError,
)
from qwen_api.gateway.errors import GatewayError, from_sdk_error
from qwen_api.gateway.openai_adapter import (
    ChoiceResult,
    ChunkFactory,
    StopScanner,
    apply_stop,
    completion_body,
    parse_chat_request,
    split_model,
    url_citations,
    usage_body,
)
from qwen_api.types import Usage, WebSearchInfo

from .conftest import validate

TOOL = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}

USER = [{"role": "user", "content": "hi"}]


def body(**fields: object) -> dict[str, object]:
    return {"model": "qwen3.7-plus", "messages": USER, **fields}


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("qwen3.7-plus", ("qwen3.7-plus", None, None)),
        ("qwen3.7-plus-thinking", ("qwen3.7-plus", True, False)),
        ("qwen3.7-plus-search", ("qwen3.7-plus", False, True)),
        ("qwen3.7-plus-thinking-search", ("qwen3.7-plus", True, True)),
    ],
)
def test_model_variants_select_modes(model: str, expected: tuple[str, bool | None, bool | None]) -> None:
    assert split_model(model) == expected


def test_body_flags_and_reasoning_effort_select_the_same_modes() -> None:
    assert parse_chat_request(body(enable_thinking=True, enable_search=True)).sdk_options() == {
        "web_search": True,
        "thinking": True,
    }
    assert parse_chat_request(body(reasoning_effort="high")).sdk_options() == {
        "web_search": False,
        "thinking_mode": "thinking",
    }
    assert parse_chat_request(body(reasoning_effort="minimal")).thinking_mode == "fast"
    variant = parse_chat_request(body(model="qwen3.7-plus-thinking-search"))
    assert (variant.base_model, variant.thinking, variant.web_search) == ("qwen3.7-plus", True, True)


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"model": "qwen3.7-plus-thinking", "enable_thinking": False}, "enable_thinking"),
        ({"model": "qwen3.7-plus-search", "enable_search": False}, "enable_search"),
        ({"enable_thinking": False, "reasoning_effort": "high"}, "reasoning_effort"),
        ({"reasoning_effort": "extreme"}, "reasoning_effort"),
        ({"temperature": 3}, "temperature"),
        ({"n": 0}, "n"),
        ({"n": 99}, "n"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_tokens": 5, "max_completion_tokens": 6}, "max_tokens"),
        ({"stream_options": {"include_usage": True}}, "stream_options"),
        ({"top_p": 0.5}, "top_p"),
        ({"logprobs": True}, "logprobs"),
        ({"tools": [{"type": "custom", "custom": {"name": "f"}}]}, "tools"),
        ({"tools": [{"type": "function", "function": {"name": "f g"}}]}, "tools"),
        ({"tool_choice": "required"}, "tool_choice"),
        ({"response_format": {"type": "xml"}}, "response_format"),
        ({"response_format": {"type": "json_schema"}}, "response_format"),
        ({"messages": [{"role": "assistant", "content": "hi"}]}, "messages"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "messages[0].tool_call_id"),
        ({"messages": [{"role": "function", "name": "f", "content": "x"}]}, "messages[0]"),
        (
            {"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}]},
            "messages[0].content[0]",
        ),
        (
            {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "ftp://x"}}]}]},
            "messages[0].content[0]",
        ),
        ({"model": ""}, "model"),
    ],
)
def test_what_cannot_be_honoured_is_refused_with_a_400(fields: dict[str, object], param: str) -> None:
    with pytest.raises(GatewayError) as caught:
        parse_chat_request(body(**fields))
    assert caught.value.status == 400
    assert caught.value.param == param
    assert caught.value.message


def test_neutral_values_of_unsupported_parameters_pass() -> None:
    request = parse_chat_request(body(top_p=1, presence_penalty=0, logprobs=False, response_format={"type": "text"}))
    assert request.base_model == "qwen3.7-plus"


def test_messages_become_sdk_messages_with_images() -> None:
    png = base64.b64encode(b"\x89PNG data").decode()
    request = parse_chat_request(
        body(
            messages=[
                {"role": "developer", "content": "be brief"},
                {"role": "assistant", "content": ""},
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "what is this?"},
                        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{png}"}},
                        {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}},
                    ],
                },
            ],
            max_completion_tokens=7,
            temperature=0.5,
            stop="END",
        )
    )
    assert [m.role for m in request.messages] == ["developer", "user"]  # the empty assistant turn carries nothing
    system, user = (m.sdk_dict() for m in request.messages)
    assert system == {"role": "system", "content": "be brief"}
    assert user["content"] == "what is this?"
    assert user["blocks"] == [
        {"type": "image", "image": b"\x89PNG data", "image_mimetype": "image/png"},
        {"type": "image", "url": "https://example.com/cat.jpg"},
    ]
    assert (request.max_tokens, request.temperature, request.stop) == (7, 0.5, ("END",))


@pytest.mark.parametrize("split", [1, 2, 3, 5])
def test_stop_scanner_finds_a_stop_split_across_chunks(split: int) -> None:
    text = "alpha beta STOP gamma"
    scanner = StopScanner(["STOP", "never"])
    out = ""
    stopped = False
    for start in range(0, len(text), split):
        piece, stopped = scanner.feed(text[start : start + split])
        out += piece
        if stopped:
            break
    assert stopped
    assert out == "alpha beta "


def test_stop_scanner_releases_the_held_tail_at_the_end() -> None:
    scanner = StopScanner(["XYZ"])
    assert scanner.feed("abcX") == ("ab", False)
    assert scanner.flush() == "cX"
    assert apply_stop("no stop here", ["zz"]) == ("no stop here", False)


def test_citations_mark_each_cited_source_and_span_uncited_ones() -> None:
    sources = [WebSearchInfo(url="https://a.example", title="A"), WebSearchInfo(url="https://b.example")]
    content = "Answer [[1]] done"
    annotations = url_citations(content, sources)
    assert annotations[0] == {
        "type": "url_citation",
        "url_citation": {"url": "https://a.example", "title": "A", "start_index": 7, "end_index": 12},
    }
    assert annotations[1]["url_citation"]["start_index"] == 0
    assert annotations[1]["url_citation"]["end_index"] == len(content)


def test_completion_body_is_a_valid_openai_completion() -> None:
    usage = Usage(input_tokens=3, output_tokens=5, total_tokens=8, output_tokens_details={"reasoning_tokens": 2})
    result = ChoiceResult("hi [[1]]", "thought", "stop", [WebSearchInfo(url="https://a.example", title="A")], usage)
    completion = completion_body("qwen3.7-plus", [result])
    validate("CreateChatCompletionResponse", completion)
    message = completion["choices"][0]["message"]
    assert message["reasoning_content"] == "thought"
    assert message["content"] == "hi [[1]]"
    assert completion["choices"][0]["logprobs"] is None and message["refusal"] is None
    assert completion["usage"] == {
        "prompt_tokens": 3,
        "completion_tokens": 5,
        "total_tokens": 8,
        "completion_tokens_details": {"reasoning_tokens": 2},
    }


def test_every_chunk_shape_is_a_valid_openai_chunk() -> None:
    factory = ChunkFactory("qwen3.7-plus")
    chunks = [
        factory.role(0),
        factory.delta(0, "text", None),
        factory.delta(0, None, "reasoning"),
        factory.finish(
            0,
            "stop",
            [{"type": "url_citation", "url_citation": {"url": "u", "title": "t", "start_index": 0, "end_index": 1}}],
        ),
        factory.usage(usage_body([None])),
    ]
    for chunk in chunks:
        validate("CreateChatCompletionStreamResponse", chunk)
    assert len({chunk["id"] for chunk in chunks}) == 1


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (RateLimitError("slow", retry_after=9), 429, "rate_limit_exceeded"),
        (QwenAntiBotError("waf"), 403, "upstream_blocked"),
        (QwenAuthenticationError("bad token"), 502, "upstream_auth_failed"),
        (QwenContentFilterError("filtered"), 400, "content_filter"),
        (QwenNotFoundError("gone"), 404, "not_found"),
        (QwenInvalidRequestError("bad"), 400, "upstream_invalid_request"),
        (QwenTimeoutError("slow"), 504, "upstream_timeout"),
        (QwenConnectionError("down"), 502, "upstream_unavailable"),
        (QwenAPIStatus5xxError("500", status_code=500), 502, "upstream_unavailable"),
        (QwenInternalError("odd"), 502, "upstream_error"),
    ],
)
def test_sdk_errors_map_to_openai_statuses(error: QwenAPIError, status: int, code: str) -> None:
    mapped = from_sdk_error(error)
    assert (mapped.status, mapped.code) == (status, code)
    assert mapped.message.startswith("upstream ")
    if status == 429:
        assert mapped.headers() == {"Retry-After": "9"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_tokens": 0}, "max_tokens must be an integer of at least 1, got 0"),
        ({"n": 9}, "n must be an integer between 1 and"),
    ],
)
def test_integer_errors_say_the_allowed_range(fields: dict[str, object], message: str) -> None:
    with pytest.raises(GatewayError) as caught:
        parse_chat_request(body(**fields))
    assert caught.value.message.startswith(message)
