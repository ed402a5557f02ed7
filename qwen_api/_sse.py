"""Incremental Server-Sent Events decoder: bytes in, ``data`` payloads out, no I/O.

Qwen sends only ``data: <json>\\n\\n`` frames, so the decoder is built around that fast path (one
``find`` per event on the bytes as read, no per-line work, no copy of the read) while still following
the WHATWG rules for everything a proxy might add: CR and CRLF line ends (also split across reads),
``:`` comments, multi-line ``data``, ``event``/``id``/``retry`` fields (ignored), a leading BOM (also
split across reads), and an unterminated trailing event (dropped, as the spec says).

An event that spans reads is kept as the list of its reads, and only the newly read bytes are
searched for its end (JSON escapes newlines, so the middle of a long event has none: one ``memchr``
per read). When it ends, its payload is joined once: one multi-megabyte event costs linear time
and a single allocation of its size, whatever the read size.

``max_event_bytes`` bounds every event, whether it arrives whole in one read or over many: the bytes
of its block (from its first field to the blank line that ends it, line ends not counted twice) may
reach the limit, not pass it. It costs one comparison per read: a read no larger than the limit
cannot hold a too-large event, so only a larger read is scanned for the sizes of its events, and an
event that spans reads is counted as its reads arrive. The events of a read that come before a
too-large one are still returned: the error waits in :attr:`SSEDecoder.error` (the next ``feed``
raises it), so a reader hands out everything that arrived whole before it fails.
"""

from __future__ import annotations

from ._exceptions import QwenResponseTooLargeError
from ._limits import DEFAULT_MAX_EVENT_BYTES, too_large

_BOM = b"\xef\xbb\xbf"


class SSEDecoder:
    """Feed raw body chunks with :meth:`feed`; get back the ``data`` of each complete event."""

    __slots__ = ("_head", "_parts", "_pending_cr", "_plain", "_size", "_started", "error", "max_event_bytes")

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self.max_event_bytes: int = max_event_bytes
        """An event (or a line) longer than this raises ``QwenResponseTooLargeError`` (``code`` names
        the limit): a server that never ends a line must not fill the memory, and one that sends a
        huge event whole must not get it through. Checked on every event, in one read or many."""
        self._size = 0  # pragma: no mutate (bytes held in `_parts`; set whenever `_parts` gets its first piece)
        self._parts: list[bytes] = []  # the reads of an event whose end has not arrived yet
        # no newline in `_parts` yet: the event may be one `data: ` line
        self._plain = True  # pragma: no mutate (set again before `_parts` is first read)
        # the first bytes of the body while they could still be a split BOM
        self._head = b""  # pragma: no mutate (only its truth is read)
        self._pending_cr = False  # pragma: no mutate (True only drops a line feed before any line: a no-op blank line)
        self._started = False  # pragma: no mutate (only its truth is read)
        self.error: QwenResponseTooLargeError | None = None
        """A too-large event met after other events of the same read: those were returned, this
        waits for the reader (:meth:`take_error`); ``feed`` raises it if called again first."""

    def take_error(self) -> QwenResponseTooLargeError | None:
        """The error held back by the last :meth:`feed`, once."""
        error, self.error = self.error, None
        return error

    def feed(self, chunk: bytes) -> list[bytes]:
        """The ``data`` of each event that ``chunk`` completes, in order; an unfinished event is held.

        Raises ``QwenResponseTooLargeError`` for a too-large event met before any event of the read
        (after some, they are returned and the error waits in :attr:`error`)."""
        # Lines marked "fast path" below only choose a quicker route to the same events: a change that
        # skips the route decodes the same through the general one, and each change that takes it
        # wrongly is pinned by a test in tests/unit/test_sse_shapes.py.
        held = self.error
        if held is not None:  # the reader went on without taking the error: it still ends the stream
            self.error = None
            raise held
        if (
            chunk.find(b"\n") == (block_size := len(chunk) - 2)  # pragma: no mutate (fast path)
            and chunk[-1] == 10  # pragma: no mutate (fast path; the find above proves len(chunk) >= 2)
            and chunk.startswith(b"data: ")  # pragma: no mutate (fast path)
            and self._started
            and not self._parts
            and not self._pending_cr  # pragma: no mutate (fast path; a CR owed by the last read is never data)
            and chunk.find(b"\r") < 0  # pragma: no mutate (fast path; `in` would first try the argument as an int)
            and block_size <= self.max_event_bytes  # pragma: no mutate (fast path; the general one checks it too)
        ):
            return [chunk[6:-2]]  # the usual read: exactly one event, one `data: ` line
        if not chunk:
            return []
        if not self._started:
            chunk = self._strip_bom(chunk)
            if not chunk:
                return []
        if self._pending_cr or chunk.find(b"\r") >= 0:  # pragma: no mutate (any search for a CR answers the same)
            chunk = self._normalise_line_ends(chunk)
            if not chunk:
                return []
        events: list[bytes] = []
        start = 0
        parts = self._parts
        if parts:
            if parts[-1][-1] == 10 and chunk[0] == 10:  # the blank line straddles the two reads
                parts[-1] = parts[-1][:-1]
                self._plain = False  # pragma: no mutate (fast path; decided on the joined block)
                start = 1
            else:
                newline = chunk.find(b"\n")
                end = chunk.find(b"\n\n", newline) if newline >= 0 else -1  # pragma: no mutate (fast path)
                if end < 0:
                    parts.append(chunk)
                    self._grow(len(chunk))
                    if newline >= 0:
                        self._plain = False  # pragma: no mutate (fast path)
                    return []
                if self._size + end > self.max_event_bytes:
                    raise self._dropped()
                parts.append(chunk[:end])
                if newline < end:  # pragma: no mutate (fast path)
                    self._plain = False  # pragma: no mutate (fast path)
                start = end + 2
            payload = self._pop_parts()
            if payload is not None:
                events.append(payload)
        data = chunk
        find = data.find
        if len(data) - start > self.max_event_bytes:  # pragma: no mutate (only skips a scan that would find nothing)
            cut = self._first_too_large(data, start)
            if cut >= 0:  # decode the events before it, then hold the error; the rest of the read is dropped
                data = data[:cut]
                find = data.find
                self.error = self._dropped()
        end = find(b"\n\n", start)
        while end >= 0:
            if data.startswith(b"data: ", start) and find(b"\n", start, end) < 0:  # pragma: no mutate (fast path)
                events.append(data[start + 6 : end])
            elif end > start:  # pragma: no mutate (fast path: an empty block has no data)
                payload = _parse_block(data[start:end])
                if payload is not None:
                    events.append(payload)
            start = end + 2
            end = find(b"\n\n", start)
        if self.error is None and len(data) - start > self.max_event_bytes:
            self.error = self._dropped()  # the unfinished event at the end is already too large
        held = self.error
        if held is not None:
            if events:
                return events
            self.error = None
            raise held
        if start < len(data):
            parts.append(data[start:] if start else data)  # pragma: no mutate (saves a copy)
            self._plain = find(b"\n", start) < 0  # pragma: no mutate (fast path)
            self._size = len(data) - start
        return events

    def _grow(self, size: int) -> None:
        self._size += size
        if self._size > self.max_event_bytes:
            raise self._dropped()

    def _first_too_large(self, data: bytes, begin: int) -> int:
        """Where the first too-large complete event of ``data`` (a read, from ``begin``) starts, or -1.
        Run only for a read larger than the limit, since the events of a smaller read cannot be, so
        the decoding loop itself checks nothing."""
        limit = self.max_event_bytes
        end = data.find(b"\n\n", begin)  # pragma: no mutate (blocks before `begin` fit: their end is below it)
        while end >= 0:
            if end - begin > limit:
                return begin
            begin = end + 2
            end = data.find(b"\n\n", begin)
        return -1  # pragma: no mutate (the caller asks only whether it is >= 0)

    def _dropped(self) -> QwenResponseTooLargeError:
        """Drop what is held of a too-large event (the rest of the read goes with it): the error to raise."""
        self._parts.clear()
        self._size = 0  # pragma: no mutate (set again before `_parts` is next read)
        return too_large("max_event_bytes", self.max_event_bytes, "a server-sent event")

    def _pop_parts(self) -> bytes | None:
        """The payload of the event completed in ``_parts``, joined once (it can be megabytes)."""
        parts = self._parts
        if self._plain and parts[0].startswith(b"data: "):
            parts[0] = parts[0][6:]
            payload: bytes | None = b"".join(parts)
        else:
            block = b"".join(parts)
            if block.startswith(b"data: ") and block.find(b"\n") < 0:  # pragma: no mutate (fast path)
                payload = block[6:]
            else:
                payload = _parse_block(block) if block else None  # pragma: no mutate (fast path)
        parts.clear()
        self._size = 0  # pragma: no mutate (set again before `_parts` is next read)
        self._plain = True  # pragma: no mutate (set again before `_parts` is next read)
        return payload

    def _strip_bom(self, chunk: bytes) -> bytes:
        head = self._head + chunk if self._head else chunk  # pragma: no mutate (saves a copy)
        # (a whole BOM held one read longer would be stripped the same)
        if len(head) < 3 and _BOM.startswith(head):  # pragma: no mutate (see above)
            self._head = head  # too short to tell yet
            return b""
        self._started = True
        self._head = b""  # pragma: no mutate (never read once started; only frees the bytes)
        return head[3:] if head.startswith(_BOM) else head

    def _normalise_line_ends(self, chunk: bytes) -> bytes:
        if self._pending_cr:
            self._pending_cr = False  # pragma: no mutate (only its truth is read)
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        if chunk.endswith(b"\r"):
            self._pending_cr = True
        return chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _parse_block(block: bytes) -> bytes | None:
    data_lines: list[bytes] = []
    for line in block.split(b"\n"):
        if not line or line.startswith(b":"):  # pragma: no mutate (fast path: a comment's field name is empty)
            continue
        name, sep, value = line.partition(b":")
        if sep and value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            data_lines.append(value)
    if not data_lines:
        return None
    return b"\n".join(data_lines)
