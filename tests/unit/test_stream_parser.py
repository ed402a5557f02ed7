"""Typed chunks from recorded streams: phases kept apart, usage kept, errors typed."""

from __future__ import annotations

import json
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_api._sse import SSEDecoder
from qwen_api._stream_parser import StreamState, render_summary
from qwen_api.core.exceptions import (
    QwenAPIError,
    QwenAPIStatus5xxError,
    QwenContentFilterError,
    QwenInternalError,
)
from qwen_api.types.chat import ChatResponseStream
from tests.conftest import FIXTURES


def run(name_or_bytes: str | bytes) -> tuple[StreamState, list[ChatResponseStream]]:
    raw = name_or_bytes if isinstance(name_or_bytes, bytes) else (FIXTURES / name_or_bytes).read_bytes()
    state = StreamState(model="m")
    chunks = []
    for payload in SSEDecoder().feed(raw):
        chunk = state.feed(payload)
        if chunk is not None:
            chunks.append(chunk)
    return state, chunks


def test_fast_answer() -> None:
    state, chunks = run("t2t_fast_answer_turn1.sse")
    assert state.content == "Xin chào Khánh! Rất vui được gặp bạn. Hôm nay tôi có thể giúp gì cho bạn không?"
    assert state.chat_id == "004c84c5-6e71-4510-ad21-f41a08bf8373"
    assert state.response_id == "2b7b2da2-6c1a-4db2-a2d2-9f45bc7d0bc3"
    assert state.finished
    assert chunks[0].choices[0].delta.content == "X"
    assert chunks[0].choices[0].delta.phase == "answer"
    assert chunks[-1].choices[0].delta.status == "finished"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert {(type(c.choices[0].index), c.choices[0].index) for c in chunks} == {(int, 0)}
    assert state.usage is not None and state.usage.output_tokens == 22
    assert state.usage.prompt_tokens_details == {"cached_tokens": 512}
    response = state.chat_response()
    assert response.choices[0].message.content == state.content
    assert response.choices.message.content == state.content  # the older SDK's access path
    assert response.choices[0].message.reasoning_content is None


def test_thinking_summary_is_reasoning_never_answer() -> None:
    state, chunks = run("thinking_summary_stream_2026-10.sse")
    reasoning = "".join(c.choices[0].delta.reasoning_content or "" for c in chunks)
    answer = "".join(c.choices[0].delta.content for c in chunks)
    assert answer == "蓝"
    raw_events = [
        json.loads(p) for p in SSEDecoder().feed((FIXTURES / "thinking_summary_stream_2026-10.sse").read_bytes())
    ]
    last_extra = [
        e["choices"][0]["delta"]["extra"] for e in raw_events if "choices" in e and "extra" in e["choices"][0]["delta"]
    ][-1]
    expected = render_summary(last_extra["summary_title"]["content"], last_extra["summary_thought"]["content"])
    assert reasoning == expected == state.reasoning_content
    assert all(c.choices[0].delta.content == "" for c in chunks if c.choices[0].delta.phase == "thinking_summary")
    assert state.usage is not None and state.usage.reasoning_tokens == 220
    # one choice per answer: index 0 on every chunk, answer and reasoning phases alike (an int, as in OpenAI's)
    assert {(type(c.choices[0].index), c.choices[0].index) for c in chunks} == {(int, 0)}


def test_summary_accumulation_emits_only_new_text() -> None:
    def event(titles: list[str], thoughts: list[str]) -> bytes:
        delta = {
            "phase": "thinking_summary",
            "content": "",
            "status": "typing",
            "extra": {"summary_title": {"content": titles}, "summary_thought": {"content": thoughts}},
        }
        return json.dumps({"choices": [{"delta": delta}]}).encode()

    state = StreamState()
    pieces = [
        state.feed(event(*step)).choices[0].delta.reasoning_content
        for step in (  # type: ignore[union-attr]
            (["A"], ["a1"]),
            (["A"], ["a1"]),
            (["A", "B"], ["a1"]),
            (["A", "B"], ["a1", "b1"]),
        )
    ]
    assert pieces == ["A\na1", None, "\n\nB", "\nb1"]
    assert state.reasoning_content == render_summary(["A", "B"], ["a1", "b1"])


def test_image_generation() -> None:
    state, _chunks = run("t2i_guest_keepalive_turn1.sse")
    assert len(state.images) == 2 and all(u.startswith("https://cdn.qwenlm.ai/") for u in state.images)
    assert state.image_sizes == [[1536, 2688], [1536, 2688]]
    assert state.finished
    assert state.content == ""


def test_web_search_results_on_delta_and_response() -> None:
    events = [
        {"response.created": {"chat_id": "c", "parent_id": "p", "response_id": "r"}},
        {
            "choices": [
                {
                    "delta": {
                        "role": "function",
                        "content": "",
                        "phase": "web_search",
                        "status": "typing",
                        "name": "web_search",
                        "function_call": {"name": "web_search", "arguments": "{}"},
                        "extra": {
                            "web_search_info": [
                                {
                                    "url": "https://a",
                                    "title": "A",
                                    "snippet": "s",
                                    "hostname": "a",
                                    "date": "2026",
                                    "new": 1,
                                }
                            ]
                        },
                    }
                }
            ]
        },
        {"choices": [{"delta": {"role": "assistant", "content": "See [[1]]", "phase": "answer", "status": "typing"}}]},
        {"choices": [{"delta": {"content": "", "status": "finished", "phase": "answer"}}]},
    ]
    raw = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    state, chunks = run(raw)
    delta = chunks[0].choices[0].delta
    assert "extra" in delta and "web_search_info" in delta.extra  # the documented membership test
    assert delta.extra is not None and delta.extra.web_search_info[0].title == "A"
    assert delta.extra.web_search_info[0].raw["new"] == 1
    assert delta.function_call is not None and delta.function_call.name == "web_search"
    assert "extra" not in chunks[1].choices[0].delta
    response = state.chat_response()
    assert response.choices[0].message.content == "See [[1]]"
    assert [i.url for i in response.choices[0].message.web_search_info] == ["https://a"]


def test_unknown_phase_and_fields_are_kept() -> None:
    raw = b'data: {"choices":[{"delta":{"content":"x","phase":"brand_new","future":true}}],"top":1}\n\n'
    state, chunks = run(raw)
    assert chunks[0].choices[0].delta.phase == "brand_new"
    assert chunks[0].choices[0].delta.raw["future"] is True
    assert chunks[0].raw["top"] == 1
    assert state.content == ""
    assert state.chat_response().phases == {"brand_new": "x"}


def test_done_marker_is_tolerated() -> None:
    state, _ = run(b'data: {"choices":[{"delta":{"content":"a","phase":"answer"}}]}\n\ndata: [DONE]\n\n')
    assert state.content == "a" and state.finished


def test_in_stream_error_events_are_typed() -> None:
    state = StreamState()
    state.feed(b'{"choices":[{"delta":{"content":"partial","phase":"answer"}}]}')
    with pytest.raises(QwenContentFilterError) as info:
        state.feed(
            json.dumps({"error": {"code": "data_inspection_failed", "details": "no"}, "response_id": "r1"}).encode()
        )
    assert info.value.code == "data_inspection_failed"
    assert info.value.partial_content == "partial"
    with pytest.raises(QwenAPIStatus5xxError):
        StreamState().feed(b'{"error":"Internal error!"}')


@pytest.mark.parametrize("payload", [b"{not json", b"\xff\xfe{}", b"[1,2]", b'"str"'])
def test_malformed_events_raise_internal_error(payload: bytes) -> None:
    with pytest.raises(QwenInternalError):
        StreamState().feed(payload)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["choices", "error", "response.created", "usage", "x"]), json_values, max_size=4)
)
def test_arbitrary_json_events_raise_only_sdk_errors(event: dict[str, Any]) -> None:
    try:
        StreamState().feed(json.dumps(event).encode())
    except QwenAPIError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_payload_bytes_raise_only_sdk_errors(payload: bytes) -> None:
    try:
        StreamState().feed(payload)
    except QwenAPIError:
        pass


def test_chunk_usage_is_built_on_first_access_and_behaves_like_a_field() -> None:
    _state, chunks = run("t2t_fast_answer_turn1.sse")
    chunk = chunks[1]
    assert chunk.usage is not None and chunk.usage.output_tokens == 5
    assert chunk.usage is chunk.usage  # built once
    assert chunk.usage.raw == chunk.raw["usage"]
    assert chunks[-1].usage is None  # the final event carries no usage
    fresh = run("t2t_fast_answer_turn1.sse")[1][1]
    assert fresh == chunk  # equality reads usage on both sides
    assert "usage=Usage(" in repr(fresh)
    assert attrs.asdict(run("t2t_fast_answer_turn1.sse")[1][1])["usage"]["input_tokens"] == 1011
    assert pickle.loads(pickle.dumps(chunk)) == chunk
    built = ChatResponseStream([], usage=None, raw={"usage": {"input_tokens": 1}})
    assert built.usage is None  # an explicit value is never replaced
    with pytest.raises(AttributeError):
        chunk.no_such_field  # type: ignore[attr-defined]


def test_json_the_fast_parser_refuses_falls_back_to_the_standard_library() -> None:
    big = 2**70
    chunk = StreamState().feed(
        b'{"choices":[{"delta":{"content":"a","phase":"answer"}}],"timestamp":' + str(big).encode() + b',"x":NaN}'
    )
    assert chunk is not None and chunk.created == big and chunk.raw["x"] != chunk.raw["x"]


def test_answer_deltas_with_extra_fields_take_the_general_path() -> None:
    state = StreamState()
    plain = state.feed(b'{"choices":[{"delta":{"role":"assistant","content":"a","phase":"answer","status":"typing"}}]}')
    extended = state.feed(
        b'{"choices":[{"delta":{"role":"assistant","content":"b","phase":"answer","status":"typing","name":"n"}}]}'
    )
    finished = state.feed(
        b'{"choices":[{"delta":{"content":"","role":"assistant","status":"finished","phase":"answer"}}]}'
    )
    assert plain is not None and extended is not None and finished is not None
    assert plain.choices[0].delta.name is None and extended.choices[0].delta.name == "n"
    assert "name" in extended.choices[0].delta and "name" not in plain.choices[0].delta
    assert finished.choices[0].finish_reason == "stop" and state.finished
    assert state.content == "ab"


def test_events_of_any_size_parse_the_same() -> None:
    text = "Xin chào Khánh! " * 40_000  # ~700 KB: parsed by the standard library, not orjson
    for content in ("small", text):
        payload = json.dumps({"choices": [{"delta": {"content": content, "phase": "answer"}}]}).encode()
        chunk = StreamState().feed(payload)
        assert chunk is not None and chunk.choices[0].delta.content == content
