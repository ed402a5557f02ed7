"""The SSE decoder against a plain reference parser, on the read shapes the fuzzer used to miss.

Mutation testing (issue 21) found decoder changes no test noticed: a read that starts with a blank
line could merge two events, an ``id:`` line after a ``data:`` line split across reads could leak
into the payload, and a multi-line event split one byte after its first newline could be cut
short. The strategies here generate exactly those shapes -- blank-line starts, fields after data,
splits next to newlines, line ends mixed within a body, field names that only look like ``data`` --
and compare the decoder with a line-by-line reading of the SSE rules. The written-out cases below
them pin, split by split, each shape a changed decoder got wrong (several only once an earlier event
has started the body, when the one-event-per-read fast path applies), so a change is caught every
run, not only when the random search happens to find it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_api._sse import SSEDecoder


def reference_events(raw: bytes) -> list[bytes]:
    """The ``data`` of each complete event, read line by line as the WHATWG rules describe."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    events: list[bytes] = []
    data: list[bytes] = []
    for line in lines[:-1]:  # the last piece has no line end: an unterminated line is never dispatched
        if not line:
            if data:
                events.append(b"\n".join(data))
            data = []
            continue
        if line.startswith(b":"):
            continue
        name, sep, value = line.partition(b":")
        if sep and value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            data.append(value)
    return events


def decode(chunks: list[bytes]) -> list[bytes]:
    decoder = SSEDecoder()
    out: list[bytes] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    return out


def split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({cut for cut in cuts if 0 < cut < len(raw)})
    return [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]


_VALUE = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), min_size=1, max_size=12
).map(lambda text: text.encode())
_OTHER_FIELD = st.sampled_from(
    [b"id: 7", b"id:", b"event: delta", b"retry: 5", b": keep-alive", b":", b"x-unknown: 1", b"DATA: 1", b"metadata: 1"]
)


@st.composite
def events(draw: st.DrawFn) -> list[bytes]:
    """The lines of one event: data lines with other fields before, between and after them."""
    lines: list[bytes] = []
    for value in draw(st.lists(_VALUE, min_size=1, max_size=3)):
        lines.extend(draw(st.lists(_OTHER_FIELD, max_size=2)))
        lines.append(b"data: " + value if draw(st.booleans()) else b"data:" + value)
    lines.extend(draw(st.lists(_OTHER_FIELD, max_size=2)))  # fields after the data
    return lines


_NEWLINES = [b"\n", b"\r\n", b"\r"]


@st.composite
def streams(draw: st.DrawFn) -> bytes:
    """A body of events with one line-end style, or (as a proxy may produce) any style per line."""
    style = draw(st.sampled_from([*_NEWLINES, None]))

    def newline() -> bytes:
        return style if style is not None else draw(st.sampled_from(_NEWLINES))

    body = b""
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):  # the body (so a read) starts with blank lines
            body += newline()
    for lines in draw(st.lists(events(), min_size=1, max_size=4)):
        body += b"".join(line + newline() for line in lines)
        for _ in range(draw(st.integers(1, 3))):  # one blank line ends the event; more are allowed
            body += newline()
    return body


@st.composite
def cuts_near_newlines(draw: st.DrawFn, raw: bytes) -> list[int]:
    """Split points one byte either side of line ends, plus a few anywhere."""
    ends = [i for i, byte in enumerate(raw) if byte in b"\r\n"]
    near = [i + offset for i in ends for offset in (-1, 0, 1, 2)]
    chosen = draw(st.lists(st.sampled_from(near), max_size=8)) if near else []
    return chosen + draw(st.lists(st.integers(0, len(raw)), max_size=4))


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_any_split_of_a_generated_stream_decodes_as_the_reference_reads_it(data: st.DataObject) -> None:
    raw = data.draw(streams())
    cuts = data.draw(cuts_near_newlines(raw))
    assert decode(split(raw, cuts)) == reference_events(raw)


@settings(max_examples=200, deadline=None)
@given(streams())
def test_one_byte_reads_decode_as_the_reference_reads_it(raw: bytes) -> None:
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == reference_events(raw)


# The three shapes the mutants hid in, written out.


def test_a_read_that_starts_with_the_blank_line_does_not_merge_two_events() -> None:
    assert decode([b'data: {"a":1}\n', b'\ndata: {"b":2}\n\n']) == [b'{"a":1}', b'{"b":2}']
    assert decode([b'data: {"a":1}\n', b'\n\ndata: {"b":2}\n\n']) == [b'{"a":1}', b'{"b":2}']


def test_an_id_line_after_data_split_across_reads_stays_out_of_the_payload() -> None:
    assert decode([b'data: {"a":1}\nid', b": 7\n\n"]) == [b'{"a":1}']
    assert decode([b'data: {"a":1}\n', b"id: 7\n\n"]) == [b'{"a":1}']
    assert decode([b'data: {"a":', b"1}\nid: 7\n\n"]) == [b'{"a":1}']


def test_a_multi_line_event_split_one_byte_after_its_first_newline_is_whole() -> None:
    raw = b"data: first\ndata: second\n\n"
    at = raw.index(b"\n") + 2
    assert decode([raw[:at], raw[at:]]) == [b"first\nsecond"]
    assert decode([raw[: at - 1], raw[at - 1 :]]) == [b"first\nsecond"]


# Shapes that reach the read-level fast path: it only applies once the body has started, so each
# case below first completes an event, and each is checked in every split into two and three reads.

FIRST = b"data: first\n\n"


def every_split(raw: bytes) -> list[list[bytes]]:
    """The whole body, every split into two reads and every split into three."""
    splits = [[raw]]
    for i in range(1, len(raw)):
        splits.append([raw[:i], raw[i:]])
        for j in range(i + 1, len(raw)):
            splits.append([raw[:i], raw[i:j], raw[j:]])
    return splits


def test_a_multi_line_event_in_one_read_after_the_first_event_keeps_every_line() -> None:
    assert decode([FIRST, b"data: b\ndata: c\n\n"]) == [b"first", b"b\nc"]
    assert decode([FIRST, b"data: b\nid: 7\n\n"]) == [b"first", b"b"]


def test_extra_blank_lines_after_an_event_in_one_read_are_not_data() -> None:
    assert decode([FIRST, b"data: b\n\n\n"]) == [b"first", b"b"]
    assert decode([FIRST, b"data: b\n\n\n\n"]) == [b"first", b"b"]


def test_a_read_ending_one_byte_after_the_first_newline_of_an_event_is_held() -> None:
    assert decode([FIRST, b"data: b\nd", b"ata: c\n\n"]) == [b"first", b"b\nc"]
    assert decode([FIRST, b"data: b\ni", b"d: 7\n\n"]) == [b"first", b"b"]


def test_a_read_starting_with_the_newline_after_a_partial_line_ends_that_line() -> None:
    # The held `data:` line is ended by the next read's first byte; the `id:` after it is a field.
    assert decode([b'data: {"a":1}', b"\nid: 7", b"\n\n"]) == [b'{"a":1}']
    assert decode([FIRST, b"data: b", b"\nid: 7", b"\n\n"]) == [b"first", b"b"]


def test_line_ends_mixed_within_one_event_and_one_read() -> None:
    assert decode([FIRST, b"data: b\rdata: c\n\n"]) == [b"first", b"b\nc"]
    assert decode([FIRST, b"data: b\r\ndata: c\n\n"]) == [b"first", b"b\nc"]
    assert decode([FIRST, b"data: b\ndata: c\r\r"]) == [b"first", b"b\nc"]


def test_a_cr_ending_a_read_does_not_swallow_a_later_line_feed() -> None:
    # `\r` then `\n` in the next read is one line end; a `\n` after any other byte is its own.
    assert decode([b"data: a\r\r", b"data: b\n", b"\ndata: c\n\n"]) == [b"a", b"b", b"c"]
    assert decode([b"data: a\r", b"\r", b"data: b\n", b"\n"]) == [b"a", b"b"]


def test_only_the_first_bytes_of_the_body_can_be_a_byte_order_mark() -> None:
    bom = b"\xef\xbb\xbf"
    assert decode([b"data: a", bom + b"b\n\n"]) == [b"a" + bom + b"b"]
    assert decode([FIRST, bom + b"data: b\n\n"]) == [b"first"]  # later, it is part of a field name
    assert decode([FIRST, b"data: " + bom + b"b\n\n"]) == [b"first", bom + b"b"]
    assert decode([b"data: a", bom[:1], bom[1:] + b"b\n\n"]) == [b"a" + bom + b"b"]


# Field names are compared exactly and case-sensitively: only `data` carries a payload.
_LOOK_ALIKES = [b"DATA: 1", b"Data: 1", b"metadata: 1", b"xdata: 1", b"XXdata: XX1", b"data-x: 1", b"datum: 1"]


def test_fields_that_only_look_like_data_carry_nothing_in_any_split() -> None:
    for line in _LOOK_ALIKES:
        raw = FIRST + line + b"\n\n" + b"data: last\n\n"
        for reads in [[FIRST, line + b"\n\n", b"data: last\n\n"], *every_split(raw)]:
            assert decode(reads) == [b"first", b"last"], (line, reads)


def test_fields_that_only_look_like_data_beside_a_data_line_in_any_split() -> None:
    for line in _LOOK_ALIKES:
        raw = FIRST + b"data: x\n" + line + b"\n\n" + line + b"\ndata: y\n\n"
        for reads in every_split(raw):
            assert decode(reads) == [b"first", b"x", b"y"], (line, reads)
