"""Property-based fuzzing of the SSE decoder, the stream parser and the error mapper.

The unit suite (``tests/unit/test_sse.py``, ``test_stream_parser.py``, ``test_errors.py``) splits
one recorded stream and feeds flat random events. Here the streams themselves are generated: any
mix of the event kinds the service sends (with unknown phases and fields), framed with every SSE
variation a proxy may introduce (CR/CRLF/LF, comments, other fields, multi-line data, a BOM), then
split anywhere, mutated, or replaced by garbage -- and the error mapper gets arbitrary statuses,
headers and bodies.
"""

from __future__ import annotations

import json
import math
import pickle
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qwen_api._engine import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY, is_retryable, retry_delay
from qwen_api._errors import classify_error_body, error_from_stream_event, parse_retry_after
from qwen_api._sse import SSEDecoder
from qwen_api._stream_parser import StreamState
from qwen_api.core import exceptions as exc

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KNOWN_PHASES = ("answer", "think", "thinking_summary", "reasoning", "thinking", "web_search", "image_gen")
REASONING = {"think", "thinking_summary", "reasoning", "thinking"}
KNOWN_DELTA_KEYS = {"content", "role", "phase", "status", "extra", "function_call", "name", "function_id"}

json_scalars = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=12,
)
unknown_phases = st.text(min_size=1, max_size=10).filter(lambda p: p not in KNOWN_PHASES)
unknown_keys = st.text(min_size=1, max_size=8).map(lambda k: "x_" + k)


# --------------------------------------------------------------------------------------------------
# Generated valid streams


@st.composite
def delta_events(draw: st.DrawFn) -> dict[str, Any]:
    phase = draw(st.sampled_from(KNOWN_PHASES) | unknown_phases | st.none())
    delta: dict[str, Any] = {"role": "assistant", "content": draw(st.text(max_size=12))}
    if phase is not None:
        delta["phase"] = phase
    delta["status"] = draw(st.sampled_from(["typing", "finished"]))
    if draw(st.booleans()):
        delta["extra"] = {
            "web_search_info": draw(
                st.lists(st.fixed_dictionaries({"url": st.text(max_size=8), "title": st.text(max_size=8)}), max_size=2)
            ),
            "summary_title": draw(st.lists(st.text(max_size=6), max_size=2)),
            "summary_thought": draw(st.lists(st.text(max_size=6), max_size=2)),
        }
    delta.update(draw(st.dictionaries(unknown_keys, json_values, max_size=2)))
    event: dict[str, Any] = {"choices": [{"delta": delta}], "response_id": draw(st.text(min_size=1, max_size=8))}
    if draw(st.booleans()):
        event["usage"] = {"input_tokens": draw(st.integers(0, 999)), "output_tokens": draw(st.integers(0, 999))}
    event.update(draw(st.dictionaries(unknown_keys, json_values, max_size=2)))
    return event


other_events = st.one_of(
    st.fixed_dictionaries(
        {
            "response.created": st.fixed_dictionaries(
                {"chat_id": st.text(min_size=1, max_size=8), "response_id": st.text(min_size=1, max_size=8)}
            )
        }
    ),
    st.fixed_dictionaries({"response.info": st.dictionaries(st.text(max_size=5), json_scalars, max_size=2)}),
    st.dictionaries(unknown_keys, json_values, min_size=1, max_size=2),  # an event kind we do not know yet
)
valid_events = st.lists(st.one_of(delta_events(), delta_events(), other_events), max_size=8)


@st.composite
def framed(draw: st.DrawFn, events: list[dict[str, Any]]) -> bytes:
    """The events as one SSE body, framed with the variations the spec allows."""
    out = [b"\xef\xbb\xbf"] if draw(st.booleans()) else []
    for event in events:
        eol = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
        if draw(st.integers(0, 4)) == 0:
            out.append(b": keep-alive" + eol)
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from([b"event: message", b"id: 7", b"retry: 3000"])) + eol)
        if draw(st.booleans()):  # multi-line data: the decoder joins the lines with "\n"
            lines = json.dumps(event, ensure_ascii=draw(st.booleans()), indent=1).encode().split(b"\n")
        else:
            lines = [json.dumps(event, ensure_ascii=draw(st.booleans()), separators=(",", ":")).encode()]
        prefix = draw(st.sampled_from([b"data: ", b"data:"]))
        out.extend(prefix + line + eol for line in lines)
        out.append(eol)
    if draw(st.booleans()):
        out.append(b"data: [DONE]\n\n")
    return b"".join(out)


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c for c in cuts if 0 < c < len(data)})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


def decode(chunks: list[bytes]) -> list[bytes]:
    decoder = SSEDecoder()
    payloads: list[bytes] = []
    for chunk in chunks:
        payloads.extend(decoder.feed(chunk))
    return payloads


def parse(payloads: list[bytes]) -> tuple[StreamState, list[Any]]:
    state = StreamState(model="m", method="POST", url="http://local/api/v2/chat/completions")
    chunks = [chunk for chunk in (state.feed(p) for p in payloads) if chunk is not None]
    return state, chunks


def summary(state: StreamState, chunks: list[Any]) -> tuple[Any, ...]:
    response = state.chat_response()
    deltas = [
        (c.choices[0].delta.content, c.choices[0].delta.phase, c.choices[0].delta.reasoning_content) for c in chunks
    ]
    return (
        deltas,
        response.choices[0].message.content,
        response.choices[0].message.reasoning_content,
        response.phases,
        state.images,
        state.finished,
        state.response_id,
        state.chat_id,
        state.usage_raw,
    )


@st.composite
def streams(draw: st.DrawFn) -> tuple[list[dict[str, Any]], bytes]:
    events = draw(valid_events)
    return events, draw(framed(events))


@FUZZ
@given(streams(), st.lists(st.integers(min_value=0, max_value=4000), max_size=30), st.data())
def test_any_split_of_a_generated_stream_gives_identical_events_and_chunks(
    stream: tuple[list[dict[str, Any]], bytes], cuts: list[int], data: st.DataObject
) -> None:
    events, body = stream
    whole = decode([body])
    assert [json.loads(p) for p in whole if p != b"[DONE]"] == events
    # Cuts right after a line end are where framing bugs live (an event's end split across reads).
    line_ends = [i + 1 for i, byte in enumerate(body) if byte in b"\r\n"]
    if line_ends:
        cuts = cuts + data.draw(st.lists(st.sampled_from(line_ends), max_size=8), label="line-end cuts")
    pieces = decode(split(body, cuts))
    assert pieces == whole
    if len(body) <= 600:
        assert decode([body[i : i + 1] for i in range(len(body))]) == whole  # byte by byte
    assert summary(*parse(pieces)) == summary(*parse(whole))


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_event_end_straddling_two_reads_before_another_event(eol: str) -> None:
    """The blank line ending an event arrives as the first byte of a read that also holds the next event."""
    end = eol.encode()
    first = b'data: {"a":1}' + end
    rest = end + b'data: {"b":2}' + end + end
    assert decode([first + rest]) == [b'{"a":1}', b'{"b":2}']
    assert decode([first, rest]) == [b'{"a":1}', b'{"b":2}']


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_byte_order_mark_split_across_reads(cut: int) -> None:
    body = b'\xef\xbb\xbfdata: {"a":1}\n\n'
    assert decode([body[:cut], body[cut:]]) == [b'{"a":1}']


@FUZZ
@given(valid_events)
def test_unknown_phases_and_fields_are_kept_not_fatal(events: list[dict[str, Any]]) -> None:
    payloads = [json.dumps(e).encode() for e in events]
    state, chunks = parse(payloads)
    deltas = [e["choices"][0]["delta"] for e in events if "choices" in e]
    assert len(chunks) == len(deltas)
    other: dict[str, str] = {}
    answer = ""
    for event, chunk in zip([e for e in events if "choices" in e], chunks, strict=True):
        delta = event["choices"][0]["delta"]
        got = chunk.choices[0].delta
        phase = delta.get("phase")
        assert got.phase == phase
        for key, value in delta.items():  # unknown keys stay on the delta, unknown top-level keys on the chunk
            if key not in KNOWN_DELTA_KEYS:
                assert got.raw[key] == value
        for key, value in event.items():
            if key.startswith("x_"):
                assert chunk.raw[key] == value
        if phase in (None, "answer"):
            answer += delta["content"]
        elif phase not in REASONING and phase != "image_gen" and delta["content"]:
            other[phase] = other.get(phase, "") + delta["content"]
    response = state.chat_response()
    assert response.choices[0].message.content == answer
    assert response.phases == other


# --------------------------------------------------------------------------------------------------
# Garbage and mutations: only QwenAPIError subclasses


def feed_everything(chunks: list[bytes]) -> None:
    """Decode and parse; any failure must be a QwenAPIError, and the totals must stay readable."""
    state = StreamState(model="m")
    decoder = SSEDecoder()
    try:
        for chunk in chunks:
            for payload in decoder.feed(chunk):
                state.feed(payload)
    except exc.QwenAPIError as error:
        assert "\n" not in str(error)
        pickle.loads(pickle.dumps(error))
    state.chat_response()
    state.completion_response()


@FUZZ
@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0, max_value=3000), max_size=10))
def test_arbitrary_bytes_raise_only_sdk_errors(data: bytes, cuts: list[int]) -> None:
    feed_everything(split(data, cuts))


@FUZZ
@given(st.lists(st.binary(max_size=60), max_size=10))
def test_arbitrary_framed_payloads_raise_only_sdk_errors(payloads: list[bytes]) -> None:
    feed_everything([b"data: " + p.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n\n" for p in payloads])


@FUZZ
@given(streams(), st.lists(st.tuples(st.integers(0, 4000), st.binary(max_size=4)), min_size=1, max_size=6))
def test_mutated_valid_streams_raise_only_sdk_errors(
    stream: tuple[list[dict[str, Any]], bytes], edits: list[tuple[int, bytes]]
) -> None:
    body = bytearray(stream[1])
    for position, replacement in edits:
        at = position % (len(body) + 1)
        body[at : at + len(replacement)] = replacement
    feed_everything([bytes(body)])


deep_events = st.fixed_dictionaries(
    {},
    optional={
        "choices": json_values
        | st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "delta": json_values
                    | st.fixed_dictionaries(
                        {},
                        optional={
                            **dict.fromkeys(KNOWN_DELTA_KEYS - {"extra", "phase"}, json_values),
                            "phase": st.sampled_from(KNOWN_PHASES) | json_values,
                            "extra": json_values
                            | st.dictionaries(
                                st.sampled_from(
                                    ["web_search_info", "summary_title", "summary_thought", "output_image_hw"]
                                ),
                                json_values,
                            ),
                        },
                    )
                },
            ),
            max_size=2,
        ),
        "usage": json_values | st.dictionaries(st.sampled_from(["input_tokens", "output_tokens"]), json_values),
        "response_id": json_values,
        "response.created": json_values | st.dictionaries(st.sampled_from(["chat_id", "response_id"]), json_values),
        "error": json_values | st.dictionaries(st.sampled_from(["code", "details"]), json_values),
        "timestamp": json_values,
    },
)


@FUZZ
@given(st.lists(deep_events, max_size=6))
def test_arbitrary_json_event_shapes_raise_only_sdk_errors(events: list[dict[str, Any]]) -> None:
    feed_everything([b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)])


# --------------------------------------------------------------------------------------------------
# The error mapper


http_dates = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 31)).map(
    lambda d: format_datetime(d.replace(tzinfo=UTC), usegmt=True)
)
header_values = st.one_of(
    st.text(max_size=20),
    st.integers(-(10**6), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    http_dates,
)
headers_strategy = st.dictionaries(
    st.sampled_from(
        [
            "content-type",
            "x-actual-status-code",
            "retry-after",
            "Retry-After",
            "retry-after-ms",
            "x-should-retry",
            "x-request-id",
        ]
    ),
    header_values | st.sampled_from(["application/json", "text/html", "text/plain", "true", "false", "429"]),
    max_size=5,
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "success": json_values,
        "code": json_values,
        "message": json_values,
        "details": json_values,
        "request_id": json_values,
        "ret": json_values | st.lists(st.sampled_from(["FAIL_SYS_USER_VALIDATE", "RGV587_ERROR::SM", "SUCCESS"])),
        "data": json_values
        | st.dictionaries(st.sampled_from(["code", "details", "num", "template", "url"]), json_values),
    },
)
bodies = st.one_of(
    st.binary(max_size=300),
    envelopes.map(lambda b: json.dumps(b).encode()),
    st.text(max_size=200).map(lambda t: f"<html><title>{t}</title><div>aliyun_waf {t}</div></html>".encode()),
)


def check_error(error: exc.QwenAPIError) -> None:
    assert isinstance(error, exc.QwenAPIError)
    assert error.status_code is None or isinstance(error.status_code, int)
    if error.retry_after is not None:
        assert math.isfinite(error.retry_after) and error.retry_after >= 0
    text = str(error)
    assert "\n" not in text and text
    repr(error)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.message, copy.status_code, copy.code, copy.retry_after, copy.request_id) == (
        error.message,
        error.status_code,
        error.code,
        error.retry_after,
        error.request_id,
    )
    assert isinstance(is_retryable(error), bool)
    for retries_taken in (0, 3, 30):
        assert 0 <= retry_delay(error, retries_taken) <= max(MAX_RETRY_AFTER, MAX_RETRY_DELAY)


@FUZZ
@given(st.integers(min_value=100, max_value=599) | st.sampled_from([0, 99, 600, 999]), bodies, headers_strategy)
def test_mapper_on_arbitrary_answers(status: int, body: bytes, headers: dict[str, str]) -> None:
    error = classify_error_body(status=status, headers=headers, content=body, method="POST", url="http://h/api")
    if status >= 400:
        assert error is not None
    if error is not None:
        check_error(error)


@FUZZ
@given(st.dictionaries(st.sampled_from(["error", "response_id", "choices", "x"]), json_values, max_size=3))
def test_stream_error_events_on_arbitrary_shapes(event: dict[str, Any]) -> None:
    check_error(error_from_stream_event(event, method="POST", url="http://h/api"))


@FUZZ
@given(headers_strategy)
def test_retry_after_parses_to_none_or_a_finite_non_negative_number(headers: dict[str, str]) -> None:
    value = parse_retry_after(headers)
    assert value is None or (math.isfinite(value) and value >= 0)


@FUZZ
@given(st.integers(min_value=0, max_value=40))
def test_backoff_is_exponential_capped_and_jittered_down_only(retries_taken: int) -> None:
    error = exc.QwenConnectionError("x")
    ceiling = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    assert 0.75 * ceiling <= retry_delay(error, retries_taken) <= ceiling


@pytest.mark.parametrize("date", ["Thu, 01 Jan 99999 00:00:00 GMT", "Fri, 31 Dec 10000 23:59:59 GMT"])
def test_out_of_range_retry_after_date_is_ignored(date: str) -> None:
    assert parse_retry_after({"retry-after": date}) is None
    error = classify_error_body(
        status=429, headers={"retry-after": date}, content=b"", method="POST", url="http://h/api"
    )
    assert isinstance(error, exc.RateLimitError)
