"""The SSE decoder against a plain reference parser, on the read shapes the fuzzer used to miss.

Mutation testing (issue 21) found decoder changes no test noticed: a read that starts with a blank
line could merge two events, an ``id:`` line after a ``data:`` line split across reads could leak
into the payload, and a multi-line event split one byte after its first newline could be cut
short. The strategies here generate exactly those shapes -- blank-line starts, fields after data,
splits next to newlines -- and compare the decoder with a line-by-line reading of the SSE rules.
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
_OTHER_FIELD = st.sampled_from([b"id: 7", b"id:", b"event: delta", b"retry: 5", b": keep-alive", b":", b"x-unknown: 1"])


@st.composite
def events(draw: st.DrawFn) -> list[bytes]:
    """The lines of one event: data lines with other fields before, between and after them."""
    lines: list[bytes] = []
    for value in draw(st.lists(_VALUE, min_size=1, max_size=3)):
        lines.extend(draw(st.lists(_OTHER_FIELD, max_size=2)))
        lines.append(b"data: " + value if draw(st.booleans()) else b"data:" + value)
    lines.extend(draw(st.lists(_OTHER_FIELD, max_size=2)))  # fields after the data
    return lines


@st.composite
def streams(draw: st.DrawFn) -> bytes:
    newline = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    body = b""
    if draw(st.booleans()):
        body += newline * draw(st.integers(1, 3))  # the body (so a read) starts with blank lines
    for lines in draw(st.lists(events(), min_size=1, max_size=4)):
        body += b"".join(line + newline for line in lines)
        body += newline * draw(st.integers(1, 3))  # one blank line ends the event; more are allowed
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
