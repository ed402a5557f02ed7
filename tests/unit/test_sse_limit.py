"""The SSE decoder's event-size limit: exactly where it trips, what it says, and what it leaves behind.

``max_event_bytes`` bounds the bytes the decoder holds for an event whose end has not arrived yet, so
a server that never ends a line cannot fill the memory. Held bytes may reach the limit, not pass it.
"""

from __future__ import annotations

import pytest

from qwen_api import QwenResponseTooLargeError
from qwen_api._sse import SSEDecoder


def test_the_held_part_of_an_event_may_reach_the_limit() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: 1234") == []  # 10 bytes held
    assert decoder.feed(b"\n\n") == [b"1234"]


def test_one_byte_past_the_limit_raises_a_typed_error_naming_the_limit() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    decoder.feed(b"data: 1234")
    with pytest.raises(QwenResponseTooLargeError) as caught:
        decoder.feed(b"5")
    assert caught.value.code == "max_event_bytes"
    assert str(caught.value).startswith("a server-sent event is larger than max_event_bytes=10 bytes;")


def test_the_limit_counts_every_read_of_the_event_not_only_the_last() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: 12") == []
    with pytest.raises(QwenResponseTooLargeError):
        decoder.feed(b"345")


def test_the_limit_counts_only_the_unfinished_event_not_the_events_before_it_in_the_read() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: a\n\ndata: 1234") == [b"a"]  # 10 bytes held after a finished event
    assert decoder.feed(b"\n\n") == [b"1234"]


def test_each_event_gets_the_whole_limit_again() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: 12") == []
    assert decoder.feed(b"34\n\n") == [b"1234"]  # an event that spanned reads has ended
    assert decoder.feed(b"data: 5678") == []  # the next may again hold 10 bytes
    assert decoder.feed(b"\n\n") == [b"5678"]


def test_after_the_error_the_held_bytes_are_dropped_and_the_limit_starts_afresh() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    decoder.feed(b"data: 1234")
    with pytest.raises(QwenResponseTooLargeError):
        decoder.feed(b"5")
    assert decoder.feed(b"data: 678") == []
    assert decoder.feed(b"9") == []  # 10 bytes held again: not yet too large
    assert decoder.feed(b"\n\n") == [b"6789"]  # nothing of the dropped event leaks in


def test_the_limit_applies_from_the_first_read_of_the_body() -> None:
    # The first bytes are held back while they could still be a split byte order mark; bytes that
    # cannot be one are counted at once.
    with pytest.raises(QwenResponseTooLargeError):
        SSEDecoder(max_event_bytes=1).feed(b"da")
    assert SSEDecoder(max_event_bytes=1).feed(b"\xef\xbb") == []  # maybe a BOM: nothing held yet


# An event that arrives whole in one read is bounded too (it used to be checked only when it spanned
# reads, so a server could send one huge event in a single read and have it decoded).


def test_a_whole_event_in_one_read_may_reach_the_limit() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: a\n\n") == [b"a"]  # starts the body: later reads take the fast path
    assert decoder.feed(b"data: 1234\n\n") == [b"1234"]  # fast path, exactly 10 bytes
    assert decoder.feed(b"data: 1234\n\ndata: 5678\n\n") == [b"1234", b"5678"]  # a read larger than the limit


@pytest.mark.parametrize(
    "read",
    [
        b"data: 12345\n\n",  # the usual read: one event, one line (the fast path)
        b"data: 12345\n\ndata: a\n\n",  # the first of two events in a read
        b"id: 1\ndata: 1\n\n",  # a block of several lines (11 bytes)
        b"data: 12345\r\n\r\n",  # CRLF line ends, counted once normalised
    ],
)
def test_a_whole_event_one_byte_past_the_limit_in_one_read_raises(read: bytes) -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: a\n\n") == [b"a"]
    with pytest.raises(QwenResponseTooLargeError) as caught:
        decoder.feed(read)
    assert caught.value.code == "max_event_bytes"
    assert str(caught.value).startswith("a server-sent event is larger than max_event_bytes=10 bytes;")


def test_in_a_read_larger_than_the_limit_each_event_is_measured_alone() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: 1\n\ndata: 2\n\ndata: 3\n\n") == [b"1", b"2", b"3"]  # 25 bytes, 7 each
    assert decoder.feed(b"data: 12") == []
    assert decoder.feed(b"34\n\ndata: 5\n\ndata: 6\n\n") == [b"1234", b"5", b"6"]  # also after a held event


def test_a_too_large_event_after_a_blank_line_at_the_start_of_a_read_raises() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: a\n\n") == [b"a"]
    with pytest.raises(QwenResponseTooLargeError):
        decoder.feed(b"\n\ndata: 12345\n\n")


def test_a_whole_event_in_the_first_read_of_the_body_is_bounded() -> None:
    with pytest.raises(QwenResponseTooLargeError):
        SSEDecoder(max_event_bytes=10).feed(b"data: 12345\n\n")


def test_the_read_that_ends_a_held_event_counts_toward_it() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: 1234") == []  # 10 bytes held: allowed
    with pytest.raises(QwenResponseTooLargeError):
        decoder.feed(b"5\n\n")  # the event ends at 11 bytes


def test_the_read_that_ends_a_held_event_then_holds_a_too_large_one_hands_out_the_first() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: 12") == []
    assert decoder.feed(b"34\n\ndata: 1234567\n\n") == [b"1234"]  # the second is 13 bytes
    error = decoder.take_error()
    assert isinstance(error, QwenResponseTooLargeError)
    assert error.code == "max_event_bytes"
    assert decoder.take_error() is None


@pytest.mark.parametrize(
    "read",
    [
        b"data: a\n\ndata: 12345\n\n",  # a whole too-large event after a good one
        b"data: a\n\ndata: 12345\n\ndata: b\n\n",  # ... and one after it, dropped with the rest of the read
        b"data: a\n\ndata: 123456789",  # an unfinished event already past the limit
        b"data: a\n\n\n\ndata: 12345\n\n",  # after a blank block
    ],
)
def test_events_before_a_too_large_one_in_the_same_read_are_returned_then_the_error(read: bytes) -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    assert decoder.feed(b"data: x\n\n") == [b"x"]
    assert decoder.feed(read) == [b"a"]
    assert isinstance(decoder.error, QwenResponseTooLargeError)
    with pytest.raises(QwenResponseTooLargeError):  # a reader that reads on without taking it still stops
        decoder.feed(b"data: b\n\n")
    assert decoder.error is None
    assert decoder.feed(b"data: c\n\n") == [b"c"]  # then it decodes afresh


def test_after_a_too_large_whole_event_the_next_read_decodes_afresh() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    decoder.feed(b"data: a\n\n")
    with pytest.raises(QwenResponseTooLargeError):
        decoder.feed(b"data: 12345678901234567890\n\n")
    assert decoder.feed(b"data: 1234\n\n") == [b"1234"]
