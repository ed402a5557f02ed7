"""Stream assembly field by field, on the StreamState itself (issue 21: changes no test noticed).

Mutation testing of ``_stream_parser.py`` found fields of the chunks and of the final answer that no
test read: the role and raw delta of the usual answer chunk, tool-call arguments and ids, the
finish reason of the older (v1) framing, ids that arrive only on chunks, image deltas without sizes,
a reasoning summary that is rewritten or has titles only, what an error carries, and the whole of
``completion_response``. Each test below reads one of those through the public types.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from qwen_api._stream_parser import StreamState, render_summary
from qwen_api.core.exceptions import QwenAPIError, QwenContentFilterError, QwenInternalError
from qwen_api.types.chat import ChatResponseStream, Delta

METHOD, URL = "POST", "https://chat.example.test/api/v2/chat/completions?chat_id=c-1"


def payload(delta: dict[str, Any] | None = None, *, choice: dict[str, Any] | None = None, **event: Any) -> bytes:
    if delta is not None or choice is not None:
        event["choices"] = [{"delta": delta or {}, **(choice or {})}]
    return json.dumps(event).encode()


def answer(content: str, status: str = "typing", **fields: Any) -> dict[str, Any]:
    return {"role": "assistant", "content": content, "phase": "answer", "status": status, **fields}


def chunk_of(state: StreamState, data: bytes) -> ChatResponseStream:
    chunk = state.feed(data)
    assert chunk is not None
    return chunk


def delta_of(state: StreamState, data: bytes) -> Delta:
    return chunk_of(state, data).choices[0].delta


# -- the usual answer chunk (four fields: the fast path) ----------------------------------------


def test_the_usual_answer_chunk_carries_every_field_of_the_event() -> None:
    state = StreamState(model="qwen3.7-max")
    state.feed(payload(**{"response.created": {"chat_id": "c-1", "parent_id": "p-1", "response_id": "r-1"}}))
    wire = answer("Hi")
    chunk = chunk_of(state, payload(wire, response_id="r-1", timestamp=1791428722))
    (choice,) = chunk.choices
    assert (choice.index, choice.finish_reason) == (0, None)
    delta = choice.delta
    assert (delta.content, delta.role, delta.phase, delta.status) == ("Hi", "assistant", "answer", "typing")
    assert (delta.reasoning_content, delta.name, delta.function_call, delta.function_id) == (None, None, None, None)
    assert delta.raw == wire
    assert (chunk.response_id, chunk.chat_id, chunk.model, chunk.created) == ("r-1", "c-1", "qwen3.7-max", 1791428722)
    assert state.finished is False


def test_the_role_of_an_answer_chunk_comes_from_the_wire() -> None:
    assert delta_of(StreamState(), payload(answer("x", role="function"))).role == "function"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"content": None}, ("", "assistant", "typing")),
        ({"content": 5}, ("5", "assistant", "typing")),
        ({"role": None}, ("x", "assistant", "typing")),
        ({"status": None}, ("x", "assistant", None)),
        ({"status": 1}, ("x", "assistant", None)),
    ],
)
def test_four_field_answer_deltas_with_odd_types_are_normalised(
    fields: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    state = StreamState()
    delta = delta_of(state, payload({**answer("x"), **fields}))
    assert (delta.content, delta.role, delta.status) == expected
    assert state.content == expected[0]


def test_a_chunk_timestamp_that_is_not_an_integer_is_not_a_creation_time() -> None:
    assert chunk_of(StreamState(), payload(answer("x"), timestamp="1791428722")).created is None
    assert chunk_of(StreamState(), payload(answer("x"), timestamp=1.5)).created is None


# -- how an answer ends --------------------------------------------------------------------------


@pytest.mark.parametrize("extra_field", [{}, {"name": "n"}], ids=["four-fields", "more-fields"])
def test_status_finished_ends_the_answer_with_stop(extra_field: dict[str, Any]) -> None:
    state = StreamState()
    typing = chunk_of(state, payload(answer("a", **extra_field)))
    assert typing.choices[0].finish_reason is None and state.finished is False
    done = chunk_of(state, payload(answer("", "finished", **extra_field)))
    assert done.choices[0].finish_reason == "stop" and state.finished is True


@pytest.mark.parametrize("extra_field", [{}, {"name": "n"}], ids=["four-fields", "more-fields"])
def test_a_choice_level_finish_reason_ends_an_answer_delta_whatever_its_fields(extra_field: dict[str, Any]) -> None:
    state = StreamState()
    chunk = chunk_of(state, payload(answer("a", **extra_field), choice={"finish_reason": "length"}))
    assert chunk.choices[0].finish_reason == "length" and state.finished is True
    assert state.content == "a"


@pytest.mark.parametrize("phase", ["thinking_summary", "think", "web_search", "future_phase"])
def test_a_phase_that_finishes_before_the_answer_does_not_end_the_turn(phase: str) -> None:
    state = StreamState()
    chunk = chunk_of(state, payload({"role": "assistant", "content": "", "phase": phase, "status": "finished"}))
    assert chunk.choices[0].finish_reason is None and state.finished is False
    assert state.chat_response().choices[0].finish_reason is None


@pytest.mark.parametrize("phase", ["image_gen", None])
def test_a_final_phase_finishing_ends_the_turn(phase: str | None) -> None:
    state = StreamState()
    chunk = chunk_of(state, payload({"role": "assistant", "content": "", "phase": phase, "status": "finished"}))
    assert chunk.choices[0].finish_reason == "stop" and state.finished is True


def test_the_older_v1_framing_ends_on_its_finish_reason() -> None:
    state = StreamState()
    first = chunk_of(state, payload({"role": "assistant", "content": "Hel"}))
    assert first.choices[0].finish_reason is None and state.finished is False
    chunk_of(state, payload({"role": "assistant", "content": "lo"}))
    last = chunk_of(state, payload({"role": "assistant", "content": ""}, choice={"finish_reason": "stop"}))
    assert last.choices[0].finish_reason == "stop" and state.finished is True
    assert state.content == "Hello"
    assert state.chat_response().choices[0].finish_reason == "stop"


@pytest.mark.parametrize("reason", ["", None, 1, True, ["stop"]])
def test_a_finish_reason_that_is_not_a_non_empty_string_does_not_end_the_answer(reason: Any) -> None:
    state = StreamState()
    chunk = chunk_of(state, payload({"role": "assistant", "content": "x"}, choice={"finish_reason": reason}))
    assert chunk.choices[0].finish_reason is None and state.finished is False


# -- the general path: every field of a non-answer delta ---------------------------------------


def test_a_tool_call_delta_keeps_its_role_name_call_and_id() -> None:
    wire = {
        "role": "function",
        "content": "",
        "phase": "web_search",
        "status": "typing",
        "name": "web_search",
        "function_call": {"name": "web_search", "arguments": '{"q": "x"}'},
        "function_id": "fid-1",
    }
    delta = delta_of(StreamState(), payload(wire))
    assert (delta.role, delta.name, delta.function_id) == ("function", "web_search", "fid-1")
    assert delta.function_call is not None
    assert (delta.function_call.name, delta.function_call.arguments) == ("web_search", '{"q": "x"}')
    assert delta.raw == wire


def test_general_delta_fields_of_the_wrong_type_are_dropped() -> None:
    def delta(**fields: Any) -> Delta:
        wire = {"content": "x", "phase": "web_search", "status": "typing", "extra": {}, **fields}
        return delta_of(StreamState(), payload(wire))

    assert delta(role=None).role == "assistant"
    assert delta(role=3).role == "assistant"
    assert delta(name=5).name is None
    assert delta(function_id=6).function_id is None
    assert delta(function_call="web_search").function_call is None
    call = delta(function_call={"name": "f"}).function_call
    assert call is not None and (call.name, call.arguments) == ("f", None)


def test_a_phase_or_status_that_is_not_a_string_is_none_and_the_text_is_answer_text() -> None:
    state = StreamState()
    delta = delta_of(state, payload({"content": "x", "phase": 4, "status": 5, "extra": {}}))
    assert (delta.phase, delta.status) == (None, None)
    assert state.content == "x" and state.chat_response().phases == {}


@pytest.mark.parametrize(("content", "text"), [(None, ""), (5, "5"), (1.5, "1.5"), (["a"], "['a']")])
def test_general_delta_content_that_is_not_a_string_becomes_one(content: Any, text: str) -> None:
    state = StreamState()
    delta = delta_of(state, payload({"content": content, "phase": "answer", "status": "typing", "name": "n"}))
    assert delta.content == text and state.content == text


def test_an_unknown_delta_without_phase_is_answer_text_and_keeps_the_wire_role() -> None:
    state = StreamState()
    delta = delta_of(state, payload({"role": "tool", "content": "x", "future": 1}))
    assert (delta.role, delta.phase, delta.status, delta.content) == ("tool", None, None, "x")
    assert state.content == "x"


# -- extra: search results, summary, image sizes and lists -----------------------------------------


def test_extra_keeps_each_of_its_fields_and_the_raw_object() -> None:
    extra = {
        "summary_title": {"content": ["T"]},
        "output_image_hw": [[64, 32]],
        "image_list": [{"url": "https://cdn.example/a.png"}],
        "future": 1,
    }
    delta = delta_of(StreamState(), payload({"content": "", "phase": "future_phase", "extra": extra}))
    assert delta.extra.web_search_info == []
    assert delta.extra.summary_title == ["T"] and delta.extra.summary_thought is None
    assert delta.extra.output_image_hw == [[64, 32]]
    assert delta.extra.image_list == [{"url": "https://cdn.example/a.png"}]
    assert delta.extra.raw == extra


def test_extra_fields_of_the_wrong_type_are_dropped() -> None:
    extra = {"output_image_hw": "64x32", "image_list": {"url": "u"}, "web_search_info": "none"}
    delta = delta_of(StreamState(), payload({"content": "", "phase": "future_phase", "extra": extra}))
    assert (delta.extra.output_image_hw, delta.extra.image_list, delta.extra.web_search_info) == (None, None, [])


def test_an_image_without_sizes_is_kept_with_empty_sizes() -> None:
    state = StreamState()
    state.feed(payload({"content": "https://cdn.example/a.png", "phase": "image_gen", "status": "typing"}))
    state.feed(
        payload({"content": "https://cdn.example/b.png", "phase": "image_gen", "extra": {"output_image_hw": []}})
    )
    state.feed(
        payload({"content": "https://cdn.example/c.png", "phase": "image_gen", "extra": {"output_image_hw": ["9x9"]}})
    )
    assert state.images == ["https://cdn.example/a.png", "https://cdn.example/b.png", "https://cdn.example/c.png"]
    assert state.image_sizes == [[], [], []]
    assert state.chat_response().choices[0].message.images == state.images


def test_search_results_seen_twice_are_kept_once_and_the_answer_extra_is_absent_without_them() -> None:
    source = {"url": "https://a", "title": "A"}
    state = StreamState()
    assert state.chat_response().choices[0].extra is None
    for _ in range(2):
        state.feed(payload({"content": "", "phase": "web_search", "extra": {"web_search_info": [source]}}))
    response = state.chat_response()
    assert [s.url for s in response.choices[0].message.web_search_info] == ["https://a"]
    assert response.choices[0].extra is not None
    assert [s.url for s in response.choices[0].extra.web_search_info] == ["https://a"]


# -- reasoning summaries -----------------------------------------------------------------------------


def summary(titles: list[str] | None, thoughts: list[str] | None, phase: str = "thinking_summary") -> bytes:
    extra: dict[str, Any] = {}
    if titles is not None:
        extra["summary_title"] = {"content": titles}
    if thoughts is not None:
        extra["summary_thought"] = {"content": thoughts}
    return payload({"role": "assistant", "content": "", "phase": phase, "status": "typing", "extra": extra})


def test_render_summary_pairs_titles_and_thoughts_of_unequal_length() -> None:
    assert render_summary(["A"], ["a1", "b1"]) == "A\na1\n\nb1"
    assert render_summary(["A", "B"], ["a1"]) == "A\na1\n\nB"
    assert render_summary([], ["a1"]) == "a1"


@pytest.mark.parametrize(("titles", "thoughts", "text"), [(["T"], None, "T"), (None, ["t"], "t")])
def test_a_summary_with_only_titles_or_only_thoughts_is_reasoning(
    titles: list[str] | None, thoughts: list[str] | None, text: str
) -> None:
    state = StreamState()
    assert delta_of(state, summary(titles, thoughts)).reasoning_content == text
    assert state.reasoning_content == text


def test_a_rewritten_summary_continues_after_a_blank_line() -> None:
    state = StreamState()
    pieces = [delta_of(state, summary(*step)).reasoning_content for step in ((["A"], ["a1"]), (["X"], ["x1"]))]
    assert pieces == ["A\na1", "\n\nX\nx1"]
    assert state.reasoning_content == "A\na1\n\nX\nx1"


def test_a_reasoning_event_whose_extra_has_no_summary_adds_nothing() -> None:
    state = StreamState()
    state.feed(summary(["A"], ["a1"]))
    done = {"role": "assistant", "content": "", "phase": "thinking_summary", "status": "finished", "extra": {"x": 1}}
    assert delta_of(state, payload(done)).reasoning_content is None
    state.feed(summary(["A", "B"], ["a1", "b1"]))  # the summary keeps growing from where it was
    assert state.reasoning_content == "A\na1\n\nB\nb1"


def test_reasoning_text_and_summary_in_one_event_are_both_kept() -> None:
    state = StreamState()
    wire = {"content": " more", "phase": "think", "extra": {"summary_title": ["A"]}}
    assert delta_of(state, payload(wire)).reasoning_content == "A more"
    assert state.content == "" and state.reasoning_content == "A more"


# -- ids -------------------------------------------------------------------------------------------------


def test_ids_are_none_until_the_stream_names_them() -> None:
    state = StreamState()
    chunk = chunk_of(state, payload(answer("x")))
    assert (chunk.response_id, chunk.chat_id) == (None, None)
    response = state.chat_response()
    assert (response.id, response.chat_id, response.parent_id) == (None, None, None)


def test_a_response_id_that_arrives_only_on_chunks_is_the_answer_id() -> None:
    state = StreamState()
    assert chunk_of(state, payload(answer("x"), response_id="r-7")).response_id == "r-7"
    chunk_of(state, payload(answer("y"), response_id=7))  # not a string: not an id
    assert state.response_id == "r-7" and state.chat_response().id == "r-7"


def test_the_response_created_ids_stand_until_a_chunk_names_another() -> None:
    state = StreamState()
    state.feed(payload(**{"response.created": {"chat_id": "c-1", "parent_id": "p-1", "response_id": "r-1"}}))
    chunk = chunk_of(state, payload(answer("x")))
    assert (chunk.response_id, chunk.chat_id) == ("r-1", "c-1")
    assert state.chat_response().parent_id == "p-1"
    state.feed(payload(**{"response.created": {"parent_id": "p-2"}}))  # no ids: the earlier ones stand
    assert (state.response_id, state.chat_id, state.parent_id) == ("r-1", "c-1", "p-2")


# -- the final answers -----------------------------------------------------------------------------


def finished_state() -> StreamState:
    state = StreamState(model="qwen3.7-max")
    state.feed(payload(**{"response.created": {"chat_id": "c-1", "parent_id": "p-1", "response_id": "r-1"}}))
    state.feed(payload({"content": "Think.", "phase": "think"}))
    state.feed(payload({"content": "", "phase": "web_search", "extra": {"web_search_info": [{"url": "https://a"}]}}))
    state.feed(payload({"content": "one ", "phase": "future_phase"}))
    state.feed(payload({"content": "two", "phase": "future_phase"}))
    state.feed(payload(answer("Answer.")))
    state.feed(payload(answer("", "finished"), usage={"input_tokens": 3, "output_tokens": 7, "total_tokens": 10}))
    return state


def test_chat_response_holds_every_total() -> None:
    response = finished_state().chat_response("req-1")
    (choice,) = response.choices
    assert (choice.index, choice.finish_reason) == (0, "stop")
    message = choice.message
    assert (message.role, message.content, message.reasoning_content) == ("assistant", "Answer.", "Think.")
    assert [s.url for s in message.web_search_info] == ["https://a"]
    assert (response.id, response.chat_id, response.parent_id, response.model) == ("r-1", "c-1", "p-1", "qwen3.7-max")
    assert response.request_id == "req-1"
    assert response.phases == {"future_phase": "one two"}
    assert response.usage is not None and (response.usage.input_tokens, response.usage.output_tokens) == (3, 7)


def test_completion_response_holds_every_total() -> None:
    response = finished_state().completion_response("req-1")
    (choice,) = response.choices
    assert (choice.text, choice.index, choice.finish_reason, choice.reasoning_content) == (
        "Answer.",
        0,
        "stop",
        "Think.",
    )
    assert [s.url for s in choice.web_search_info] == ["https://a"]
    assert (response.id, response.chat_id, response.model) == ("r-1", "c-1", "qwen3.7-max")
    assert response.request_id == "req-1"
    assert response.usage is not None and response.usage.total_tokens == 10


def test_an_answer_that_did_not_end_has_no_finish_reason() -> None:
    state = StreamState()
    state.feed(payload(answer("part")))
    assert state.chat_response().choices[0].finish_reason is None
    completion = state.completion_response()
    assert completion.choices[0].finish_reason is None and completion.choices[0].text == "part"
    assert completion.choices[0].reasoning_content is None and completion.usage is None


# -- errors carry what they need ---------------------------------------------------------------------


def test_an_event_that_is_not_an_object_names_the_request() -> None:
    with pytest.raises(QwenInternalError) as caught:
        StreamState(method=METHOD, url=URL).feed(b"[1, 2]")
    error = caught.value
    assert error.message == "the stream carried an event that is not a JSON object"
    assert (error.body, error.method, error.url) == ([1, 2], METHOD, URL)


def test_an_event_that_is_not_json_names_the_request_and_keeps_the_first_500_characters() -> None:
    bad = b"{" + b"x" * 600
    with pytest.raises(QwenInternalError) as caught:
        StreamState(method=METHOD, url=URL).feed(bad)
    error = caught.value
    assert error.message == "the stream carried an event that is not valid JSON (JSONDecodeError)"
    assert error.body == bad[:500].decode()
    assert (error.method, error.url) == (METHOD, URL)
    with pytest.raises(QwenInternalError, match=r"\(UnicodeDecodeError\)"):
        StreamState().feed(b'{"a": "\xff"}')


def test_an_error_event_names_the_request() -> None:
    state = StreamState(method=METHOD, url=URL)
    state.feed(payload(answer("partial")))
    with pytest.raises(QwenContentFilterError) as caught:
        state.feed(payload(error={"code": "data_inspection_failed", "details": "no"}))
    assert (caught.value.method, caught.value.url) == (METHOD, URL)
    assert caught.value.partial_content == "partial"
    with pytest.raises(QwenAPIError) as plain:
        StreamState(method=METHOD, url=URL).feed(payload(error="Internal error!"))
    assert (plain.value.method, plain.value.url, plain.value.partial_content) == (METHOD, URL, None)
