"""The turn assembler on its own, bytes in and chunks, answer and errors out, no socket (issue 15's
I/O-free engine, tested the way h11 tests ``receive_data`` / ``next_event``).

Every rule the module docstring names has a case here: error ordering, the partial answer, complete
answers winning over a broken tail, truncation as an error, and the first-chunk signal.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from qwen_api import (
    QwenAPIError,
    QwenConnectionError,
    QwenResponseTooLargeError,
    QwenStreamInterruptedError,
    QwenTimeoutError,
)
from qwen_api._assembler import TurnAssembler, interrupted
from qwen_api._stream_parser import StreamState

METHOD, URL = "POST", "https://chat.example.test/api/v2/chat/completions?chat_id=c-1"


def event(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


def answer(text: str, status: str = "typing") -> bytes:
    delta = {"role": "assistant", "content": text, "phase": "answer", "status": status}
    return event({"choices": [{"delta": delta}], "response_id": "r-1"})


CREATED = event({"response.created": {"chat_id": "c-1", "parent_id": "p-1", "response_id": "r-1"}})
FINISHED = answer("", "finished")


def assembler(**kwargs: Any) -> TurnAssembler:
    return TurnAssembler(StreamState(model="qwen3.7-plus", method=METHOD, url=URL), **kwargs)


def drain(asm: TurnAssembler) -> str:
    text = ""
    while asm.pending:
        chunk = asm.pending.popleft()
        text += chunk.choices[0].delta.content if chunk.choices else ""
    return text


def test_a_whole_answer_gives_its_chunks_and_no_error() -> None:
    asm = assembler()
    assert asm.ended is False and asm.failed is False and asm.has_chunk is False
    assert asm.receive_data(CREATED + answer("Hel")) is True
    assert asm.has_chunk is True  # the opening step may return now
    assert asm.receive_data(answer("lo") + FINISHED) is True
    asm.receive_end()
    assert asm.ended is True
    assert drain(asm) == "Hello"
    assert asm.take_error() is None and asm.state.content == "Hello"


def test_a_non_stream_reader_keeps_the_answer_but_no_chunks() -> None:
    asm = assembler(keep_chunks=False)
    asm.receive_data(CREATED + answer("Hi") + FINISHED)
    asm.receive_end()
    assert not asm.pending and asm.has_chunk is False
    assert asm.state.content == "Hi"
    asm.raise_error()  # nothing held: no exception


def test_an_error_event_waits_until_the_chunks_before_it_are_handed_out() -> None:
    asm = assembler()
    error_event = event({"error": {"code": "data_inspection_failed", "details": "no"}})
    assert asm.receive_data(CREATED + answer("part") + error_event + answer("never")) is False
    assert asm.ended is True and asm.failed is True
    assert drain(asm) == "part"  # handed out first
    error = asm.take_error()
    assert isinstance(error, QwenAPIError) and error.partial_content == "part"
    assert asm.take_error() is None  # raised once


def test_an_event_that_is_not_json_fails_the_stream_with_the_answer_so_far() -> None:
    asm = assembler()
    assert asm.receive_data(CREATED + answer("ab") + b"data: {not json\n\n") is False
    assert drain(asm) == "ab"
    error = asm.take_error()
    assert isinstance(error, QwenAPIError) and error.partial_content == "ab"


def test_a_too_large_event_after_parsed_ones_is_the_error_and_they_come_first() -> None:
    asm = assembler(max_event_bytes=1000)
    oversized = b"data: " + b"x" * 5000 + b"\n\n"
    assert asm.receive_data(CREATED + answer("ok") + oversized) is False
    assert asm.ended is True
    assert drain(asm) == "ok"
    error = asm.take_error()
    assert isinstance(error, QwenResponseTooLargeError)
    assert "max_event_bytes" in str(error) and error.partial_content == "ok"
    assert asm.decoder.error is None  # taken from the decoder: not raised twice


def test_a_body_that_ends_without_the_marker_is_interrupted_never_stop() -> None:
    asm = assembler()
    asm.receive_data(CREATED + answer("half an ans"))
    asm.receive_end()
    assert asm.ended is True
    assert drain(asm) == "half an ans"
    error = asm.take_error()
    assert type(error) is QwenStreamInterruptedError
    assert error.message == "the answer ended without its end-of-answer marker (the stream was cut short)"
    assert (error.method, error.url, error.partial_content) == (METHOD, URL, "half an ans")


def test_the_end_after_an_error_keeps_the_first_error() -> None:
    asm = assembler()
    asm.receive_data(CREATED + answer("x"))
    asm.receive_error(QwenTimeoutError("timed out (read)", method=METHOD, url=URL))
    asm.receive_end()
    error = asm.take_error()
    assert isinstance(error, QwenTimeoutError) and error.partial_content == "x"


def test_a_broken_tail_after_a_complete_answer_is_not_an_error() -> None:
    asm = assembler()
    asm.receive_data(CREATED + answer("done") + FINISHED)
    asm.receive_error(QwenConnectionError("connection failed (read: reset)", method=METHOD, url=URL))
    assert asm.ended is True and asm.failed is False
    assert drain(asm) == "done" and asm.take_error() is None


def test_a_read_failure_mid_answer_ends_the_stream_and_carries_the_answer() -> None:
    asm = assembler()
    asm.receive_data(CREATED + answer("so far"))
    asm.receive_error(QwenConnectionError("connection failed (read: reset)", method=METHOD, url="u"))
    assert asm.ended is True and asm.failed is True
    error = asm.take_error()
    assert type(error) is QwenStreamInterruptedError
    assert error.message == "the connection broke mid-answer (connection failed (read: reset))"
    assert (error.method, error.url, error.partial_content) == (METHOD, "u", "so far")


def test_a_failure_before_any_answer_text_stays_what_it_was() -> None:
    asm = assembler()
    asm.receive_data(CREATED)
    failure = QwenConnectionError("connection failed (connect)", method=METHOD, url=URL)
    asm.receive_error(failure)
    assert asm.take_error() is failure and failure.partial_content is None


@pytest.mark.parametrize("kind", ["connection", "other"])
def test_interrupted_keeps_a_partial_the_error_already_has(kind: str) -> None:
    state = StreamState(model="m")
    state.feed(json.dumps({"choices": [{"delta": {"content": "abc", "phase": "answer", "status": "typing"}}]}).encode())
    assert state.content == "abc"
    if kind == "connection":
        already = QwenStreamInterruptedError("cut", method=METHOD, url=URL, partial_content="earlier")
    else:
        already = QwenAPIError("boom", partial_content="earlier")
    assert interrupted(already, state) is already and already.partial_content == "earlier"
    plain = QwenAPIError("boom")
    assert interrupted(plain, state) is plain and plain.partial_content == "abc"
