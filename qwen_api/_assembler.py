"""The turn assembler: the answer stream's bytes in; typed chunks, the answer and its errors out.

It is the one place that knows how an answer stream is read, for every way of reading one:
``Stream`` and ``AsyncStream``, a non-stream call, the retry-until-first-chunk step of opening a
stream, and the older SDK's ``_process_*`` helpers. Like h11's ``receive_data`` / ``next_event``
it never touches a socket: the shells read bytes and hand them in, then take out what is ready.

The rules it owns:

- *Error ordering*: an error met while parsing (an ``error`` event, an event that is not JSON) is
  held back until every chunk parsed before it has been handed out, then raised once.
- *Partial answer*: any error raised after part of the answer arrived carries that part
  (``partial_content``); a connection lost mid-answer becomes ``QwenStreamInterruptedError``.
- *Complete answers win*: once the end-of-answer marker arrived, a broken tail is not an error.
- *Truncation is an error*: a body that ends without the marker (``status: finished`` in a final
  phase, ``response.stopped``, a ``finish_reason``, or ``[DONE]``) raises
  ``QwenStreamInterruptedError`` with the partial answer.
- *First chunk*: :attr:`has_chunk` tells the opening step when the call may return; until then
  nothing was handed out, so a failure may be retried.
"""

from __future__ import annotations

from collections import deque

from ._exceptions import QwenAPIError, QwenConnectionError, QwenStreamInterruptedError
from ._limits import DEFAULT_MAX_EVENT_BYTES
from ._sse import SSEDecoder
from ._stream_parser import StreamState
from .types.chat import ChatResponseStream

__all__ = ["TurnAssembler", "interrupted"]


class TurnAssembler:
    """Feed it the body with :meth:`receive_data`, then :meth:`receive_end` or :meth:`receive_error`.

    Ready chunks wait in :attr:`pending` (a deque the shells pop from directly: the hot path of a
    stream is one ``popleft`` per chunk); :meth:`take_error` gives the held-back error, if any, once
    ``pending`` is empty. :attr:`ended` says no more bytes are wanted.
    """

    __slots__ = ("_decode", "_error", "_parse", "decoder", "ended", "keep_chunks", "pending", "state")

    def __init__(
        self, state: StreamState, *, keep_chunks: bool = True, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES
    ) -> None:
        self.state: StreamState = state
        self.decoder: SSEDecoder = SSEDecoder(max_event_bytes)
        self.pending: deque[ChatResponseStream] = deque()
        self.ended: bool = False
        self.keep_chunks: bool = keep_chunks
        """False for a non-stream call: only the accumulated answer is wanted, not the chunks."""
        self._error: QwenAPIError | None = None
        self._decode = self.decoder.feed
        self._parse = state.feed

    # -- input --------------------------------------------------------------------------------

    def receive_data(self, data: bytes) -> bool:
        """Decode one read of the body. Returns False once the stream has failed (stop reading)."""
        parse, pending = self._parse, self.pending
        try:
            for payload in self._decode(data):
                chunk = parse(payload)
                if chunk is not None and self.keep_chunks:
                    pending.append(chunk)
        except QwenAPIError as error:
            self._fail(error)
            return False
        too_large = self.decoder.error  # a too-large event after the ones parsed above
        if too_large is not None:
            self.decoder.take_error()
            self._fail(too_large)
            return False
        return True

    def receive_end(self) -> None:
        """The body ended. Without the end-of-answer marker the answer is incomplete: a proxy cut it,
        or the service died mid-answer. That is an error carrying the partial answer, never a "stop"."""
        self.ended = True
        if not self.state.finished and self._error is None:
            self._error = QwenStreamInterruptedError(
                "the answer ended without its end-of-answer marker (the stream was cut short)",
                method=self.state.method,
                url=self.state.url,
                partial_content=self.state.content,
            )

    def receive_error(self, error: QwenAPIError) -> None:
        """Reading the body failed (connection lost, read timed out)."""
        if self.state.finished:  # the answer was complete; a broken tail does not matter
            self.ended = True
            return
        self._fail(error)

    def _fail(self, error: QwenAPIError) -> None:
        self.ended = True
        if self._error is None:
            self._error = interrupted(error, self.state)

    # -- output -------------------------------------------------------------------------------

    @property
    def has_chunk(self) -> bool:
        return bool(self.pending)

    @property
    def failed(self) -> bool:
        return self._error is not None

    def take_error(self) -> QwenAPIError | None:
        """The held-back error, once: call it when :attr:`pending` is empty."""
        error, self._error = self._error, None
        return error

    def raise_error(self) -> None:
        """Raise the held-back error, if any (for readers that do not hand out chunks)."""
        error = self.take_error()
        if error is not None:
            raise error


def interrupted(error: QwenAPIError, state: StreamState) -> QwenAPIError:
    """A connection lost after part of the answer arrived keeps that part on the exception."""
    if isinstance(error, QwenConnectionError) and state.content and not isinstance(error, QwenStreamInterruptedError):
        return QwenStreamInterruptedError(
            f"the connection broke mid-answer ({error.message})",
            method=error.method,
            url=error.url,
            partial_content=state.content,
        )
    if error.partial_content is None and state.content:
        error.partial_content = state.content
    return error
