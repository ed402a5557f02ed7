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
