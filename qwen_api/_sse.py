"""Incremental Server-Sent Events decoder: bytes in, ``data`` payloads out, no I/O.

Qwen sends only ``data: <json>\\n\\n`` frames, so the decoder is built around that fast path (one
``find`` per event, no per-line work) while still following the WHATWG rules for everything a
proxy might add: CR and CRLF line ends (also split across reads), ``:`` comments, multi-line
``data``, ``event``/``id``/``retry`` fields (ignored), a leading BOM, and an unterminated trailing
event (dropped, as the spec says). The buffer is searched only from where the previous search
stopped, so one multi-megabyte event costs linear time whatever the read size.
"""

from __future__ import annotations

_BOM = b"\xef\xbb\xbf"


class SSEDecoder:
    """Feed raw body chunks with :meth:`feed`; get back the ``data`` of each complete event."""

    __slots__ = ("_buffer", "_pending_cr", "_scan_from", "_started")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._scan_from = 0
        self._pending_cr = False
        self._started = False

    def feed(self, chunk: bytes) -> list[bytes]:
        if not chunk:
            return []
        if not self._started:
            self._started = True
            if chunk.startswith(_BOM):
                chunk = chunk[3:]
        if b"\r" in chunk or self._pending_cr:
            chunk = self._normalise_line_ends(chunk)
        buffer = self._buffer
        buffer += chunk
        events: list[bytes] = []
        start = 0
        scan = max(self._scan_from - 1, 0)
        while True:
            end = buffer.find(b"\n\n", scan)
            if end < 0:
                break
            block = bytes(buffer[start:end])
            start = scan = end + 2
            if block.startswith(b"data: ") and b"\n" not in block:
                events.append(block[6:])
            else:
                data = _parse_block(block)
                if data is not None:
                    events.append(data)
        if start:
            del buffer[:start]
        self._scan_from = len(buffer)
        return events

    def _normalise_line_ends(self, chunk: bytes) -> bytes:
        if self._pending_cr:
            self._pending_cr = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        if chunk.endswith(b"\r"):
            self._pending_cr = True
        return chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")

    def flush(self) -> list[bytes]:
        """End of body: an unterminated trailing event is discarded, as the SSE spec requires."""
        self._buffer.clear()
        self._scan_from = 0
        return []


def _parse_block(block: bytes) -> bytes | None:
    data_lines: list[bytes] = []
    for line in block.split(b"\n"):
        if not line or line.startswith(b":"):
            continue
        name, sep, value = line.partition(b":")
        if sep and value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            data_lines.append(value)
    if not data_lines:
        return None
    return b"\n".join(data_lines)
