"""``Stream`` and ``AsyncStream``: iterate typed chunks of an answer as it arrives.

Both share :class:`StreamState` (parsing, accumulation) and :class:`SSEDecoder`; they differ only
in how they read bytes. A stream owns one HTTP response and releases it as soon as it is done:
at the end, on ``break`` followed by ``close()`` / leaving a ``with`` block, on an error, or when
the object is garbage collected. It can be read once.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Generator, Iterator
from types import TracebackType
from typing import Generic, TypeVar

from ._exceptions import QwenAPIError, StreamConsumedError
from ._lifecycle import Lifecycle
from ._transport import iter_body_sync, read_chunk_async, run_in_background
from ._turns import OpenedTurn
from .types.chat import ChatResponse, ChatResponseStream, Usage
from .types.completion import CompletionResponse

ChunkT = TypeVar("ChunkT", bound=ChatResponseStream)


class _StreamBase(Generic[ChunkT]):
    """What :class:`Stream` and :class:`AsyncStream` share: the open turn, the running totals and
    the lease that keeps the client busy until the stream is closed."""

    def __init__(self, opened: OpenedTurn, request_id: str | None = None) -> None:
        handle = opened.handle
        assembler = opened.assembler
        self._handle = handle
        self._assembler = assembler
        self._state = assembler.state
        self._pending = assembler.pending
        self._closed = assembler.ended  # the whole answer arrived (or failed) before the call returned
        self._lease: Lifecycle | None = None if assembler.ended else opened.lease
        self._client_state = opened.lease  # `.closed` turns True when the client is closed
        self._started = False
        self._body: Generator[bytes, None, None] | None = None
        self.request_id: str | None = request_id or {k.lower(): v for k, v in handle.headers.items()}.get(
            "x-request-id"
        )

    # -- shared, no I/O -------------------------------------------------------------------

    @property
    def _done(self) -> bool:
        return self._assembler.ended

    def _release_lease(self) -> None:
        lease, self._lease = self._lease, None
        if lease is not None:
            lease.leave()

    def _check_iterable(self) -> None:
        if self._started and (self._done or self._closed) and not self._pending:
            raise StreamConsumedError("this stream was already read to the end (or closed); streams are read once")
        self._started = True

    @property
    def chat_id(self) -> str | None:
        return self._state.chat_id

    @property
    def response_id(self) -> str | None:
        return self._state.response_id

    @property
    def parent_id(self) -> str | None:
        return self._state.parent_id

    @property
    def text(self) -> str:
        """The answer text received so far."""
        return self._state.content

    @property
    def reasoning_content(self) -> str | None:
        return self._state.reasoning_content

    @property
    def usage(self) -> Usage | None:
        return self._state.usage

    @property
    def finished(self) -> bool:
        return self._state.finished

    @property
    def closed(self) -> bool:
        return self._closed

    def final_response(self) -> ChatResponse:
        """The accumulated answer (complete once the stream has been read to the end)."""
        return self._state.chat_response(self.request_id)

    def final_completion(self) -> CompletionResponse:
        """The streamed answer so far as a ``CompletionResponse`` (``completion.create(stream=True)``)."""
        return self._state.completion_response(self.request_id)


class Stream(_StreamBase[ChunkT], Iterator[ChunkT]):
    """``for chunk in stream: print(chunk.choices[0].delta.content)``"""

    def __iter__(self) -> Iterator[ChunkT]:
        self._check_iterable()
        return self._chunks()

    def __next__(self) -> ChunkT:
        for chunk in self._chunks():
            return chunk
        raise StopIteration

    def _chunks(self) -> Iterator[ChunkT]:
        # A generator for ``for`` loops: one resume per chunk instead of a ``__next__`` call. What the
        # assembler has parsed but not yet handed out waits in ``_pending``, so a loop that stops early
        # (or a ``next()`` call, which runs this generator for one chunk) never loses a chunk.
        assembler, pending = self._assembler, self._pending
        popleft = pending.popleft
        while pending:
            yield popleft()  # type: ignore[misc]
        if not (assembler.ended or self._closed):
            body = self._body
            if body is None:
                body = self._body = iter_body_sync(self._handle)
            receive, client = assembler.receive_data, self._client_state
            try:
                if client.closed:  # closed while the chunks read with the first ones were handed out
                    raise client.error()
                for data in body:
                    if not receive(data):  # an error event: hand out what came before it, then raise
                        self.close()
                        break
                    while pending:
                        yield popleft()  # type: ignore[misc]
                    if self._closed:  # closed by the reader inside its loop
                        return
                    if client.closed:  # the client was closed: stop before the next read
                        assembler.receive_error(client.error())
                        break
                else:
                    assembler.receive_end()
            except QwenAPIError as failure:  # reading failed: the connection broke or a read timed out
                # (a read that fails after close() failed because of it: the one closed error, as for
                # a read that had not started yet)
                assembler.receive_error(client.error() if client.closed else failure)
            except GeneratorExit:  # the loop stopped early: the stream stays open for the next one
                raise
            except BaseException:  # interrupted (KeyboardInterrupt...): release the connection
                self.close()
                raise
            self.close()
        while pending:
            yield popleft()  # type: ignore[misc]
        error = assembler.take_error()
        if error is not None:
            raise error from None

    def close(self) -> None:
        """Release the connection now (also done at the end, on an error, and by ``with``)."""
        if not self._closed:
            self._closed = True
            self._handle.response.close()
            body, self._body = self._body, None
            if body is not None:
                with contextlib.suppress(ValueError):  # "generator already executing" (another thread)
                    body.close()  # drop the reader's frames now, not when this stream is collected
            self._release_lease()

    def until_done(self) -> ChatResponse:
        """Read whatever is left and return the whole answer."""
        if not (self._done or self._closed):
            for _ in self:
                pass
        return self.final_response()

    def __enter__(self) -> Stream[ChunkT]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        if not getattr(self, "_closed", True):
            self._closed = True
            self._handle.response.close()
            self._release_lease()


class AsyncStream(_StreamBase[ChunkT], AsyncIterator[ChunkT]):
    """``async for chunk in stream: ...``; ``await stream.aclose()`` or ``async with`` to stop early."""

    def __aiter__(self) -> AsyncStream[ChunkT]:
        self._check_iterable()
        return self

    async def __anext__(self) -> ChunkT:
        pending, assembler = self._pending, self._assembler
        while not pending:
            error = assembler.take_error()
            if error is not None:
                raise error from None
            if assembler.ended or self._closed:
                raise StopAsyncIteration
            if self._client_state.closed:  # the client was closed: stop before the next read
                assembler.receive_error(self._client_state.error())
                await self.aclose()
                continue
            try:
                data = await read_chunk_async(self._handle)
            except QwenAPIError as failure:  # reading failed: the connection broke or a read timed out
                state = self._client_state
                assembler.receive_error(state.error() if state.closed else failure)
                await self.aclose()
                continue
            except BaseException:  # cancelled or timed out by the caller: release the connection
                import asyncio  # on first async use, so that sync programs do not import it

                await asyncio.shield(self.aclose())
                raise
            if not data:
                assembler.receive_end()
                await self.aclose()
            elif not assembler.receive_data(data):
                await self.aclose()
        return pending.popleft()  # type: ignore[return-value]

    async def aclose(self) -> None:
        """Release the connection now (also done at the end, on an error, and by ``async with``)."""
        if not self._closed:
            self._closed = True
            try:
                await self._handle.response.aclose()
            finally:
                self._release_lease()

    async def close(self) -> None:
        """Same as :meth:`aclose` (the name the synchronous stream uses)."""
        await self.aclose()

    async def until_done(self) -> ChatResponse:
        """Read whatever is left and return the whole answer."""
        if not (self._done or self._closed):
            async for _ in self:
                pass
        return self.final_response()

    async def __aenter__(self) -> AsyncStream[ChunkT]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        if getattr(self, "_closed", True):
            return
        self._closed = True
        self._release_lease()
        import asyncio  # on first async use, so that sync programs do not import it

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        run_in_background(self._handle.response.aclose())
