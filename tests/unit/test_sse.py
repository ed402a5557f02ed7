"""The SSE decoder: framing rules, and any split of a stream gives the same events."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_api._sse import SSEDecoder
from tests.conftest import FIXTURES


def decode_all(chunks: list[bytes]) -> list[bytes]:
    decoder = SSEDecoder()
    out: list[bytes] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    return out


RECORDED = (FIXTURES / "t2t_fast_answer_turn1.sse").read_bytes()


def test_recorded_stream_decodes_to_json_events() -> None:
    events = decode_all([RECORDED])
    assert len(events) == 11
    assert [next(iter(json.loads(e))) for e in events][:2] == ["response.created", "choices"]


def test_crlf_cr_comments_multiline_and_other_fields() -> None:
    raw = b': keep-alive\r\n\r\nevent: x\r\nid: 7\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata:{"b":2}\r\rretry: 5\n\n'
    assert decode_all([raw]) == [b'{"a":\n1}', b'{"b":2}']


def test_bom_and_done_and_unterminated_tail() -> None:
    raw = b'\xef\xbb\xbfdata: {"x":1}\n\ndata: [DONE]\n\ndata: {"partial"'
    assert decode_all([raw]) == [b'{"x":1}', b"[DONE]"]


def test_cr_split_from_lf_across_reads() -> None:
    assert decode_all([b'data: {"a":1}\r', b"\n\r", b'\ndata: {"b":2}\r\n\r\n']) == [b'{"a":1}', b'{"b":2}']


def test_one_big_event_in_small_reads_is_linear() -> None:
    payload = b'{"x":"' + b"a" * (1 << 20) + b'"}'
    raw = b"data: " + payload + b"\n\n"
    chunks = [raw[i : i + 1024] for i in range(0, len(raw), 1024)]
    assert decode_all(chunks) == [payload]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(RECORDED) - 1), max_size=40))
def test_any_split_of_the_recorded_stream_gives_the_same_events(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    chunks = [RECORDED[a:b] for a, b in zip([0, *points], [*points, len(RECORDED)], strict=True)]
    assert decode_all(chunks) == decode_all([RECORDED])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.lists(st.integers(min_value=0, max_value=2000), max_size=10))
def test_arbitrary_bytes_never_crash_and_splits_agree(data: bytes, cuts: list[int]) -> None:
    points = sorted({c for c in cuts if 0 < c < len(data)})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    assert decode_all(chunks) == decode_all([data])


def test_blank_line_split_across_reads_before_the_next_event() -> None:
    # The event's end straddles two reads, and the second read also holds a whole event.
    assert decode_all([b'data: {"a":1}\n', b'\ndata: {"b":2}\n\n']) == [b'{"a":1}', b'{"b":2}']
    assert decode_all([b'data: {"a":1}\n', b"\n", b'data: {"b":2}\n\n']) == [b'{"a":1}', b'{"b":2}']


def test_byte_order_mark_split_across_reads() -> None:
    body = b'\xef\xbb\xbfdata: {"a":1}\n\n'
    for cut in (1, 2, 3, 4):
        assert decode_all([body[:cut], body[cut:]]) == [b'{"a":1}']


def test_one_event_per_read_and_events_split_anywhere_agree() -> None:
    events = [block + b"\n\n" for block in RECORDED.split(b"\n\n") if block]
    whole = decode_all([RECORDED])
    assert decode_all(events) == whole
    assert decode_all([RECORDED[i : i + 7] for i in range(0, len(RECORDED), 7)]) == whole
