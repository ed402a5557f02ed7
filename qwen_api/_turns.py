"""Plans for one chat turn: create the chat if needed, open the answer stream, or collect it.

A stateless call (the documented API) creates a fresh chat once -- with its own retries, so a
retry never leaves orphan chats -- and then retries only the completion request. A call that
continues a conversation reuses its ``chat_id`` and ``parent_id``.
"""

from __future__ import annotations

from collections.abc import Callable, MutableSequence
from typing import Any

import attrs
from qwen_api_client.models import NewChatEnvelope
from qwen_api_client.types import Unset

from ._config import ClientConfig
from ._core import Close, Plan, Policy, ReadChunk, RequestSpec, StreamHandle, json_call, open_event_stream, with_retries
from ._sse import SSEDecoder
from ._stream_parser import StreamState
from ._wire import HeaderFactory, TurnOptions, completion_spec, new_chat_spec
from .core.exceptions import QwenAPIError, QwenConnectionError, QwenStreamInterruptedError
from .types.chat import ChatResponseStream


@attrs.frozen
class Turn:
    text: str
    options: TurnOptions
    chat_id: str | None = None
    parent_id: str | None = None


@attrs.frozen
class TurnContext:
    """What a turn needs from its client: settings, headers, and model-alias resolution."""

    config: ClientConfig
    headers: HeaderFactory
    resolve_model: Callable[[str], Plan[str]]
    policy: Policy


def _resolved(ctx: TurnContext, turn: Turn) -> Plan[Turn]:
    model = yield from ctx.resolve_model(turn.options.model)
    if model == turn.options.model:
        return turn
    return attrs.evolve(turn, options=attrs.evolve(turn.options, model=model))


@attrs.define
class OpenedTurn:
    """An answer stream whose first chunks have arrived, ready to be handed to the caller.

    ``pending`` holds the chunks parsed before the call returned (at least one unless the stream
    already ``ended``); ``deferred`` is an error met right after them, raised once they are read.
    """

    handle: StreamHandle
    chat_id: str
    turn: Turn
    state: StreamState
    decoder: SSEDecoder
    pending: list[ChatResponseStream]
    deferred: QwenAPIError | None = None
    ended: bool = False


def parse_new_chat(body: Any) -> str:
    envelope = NewChatEnvelope.from_dict(body)
    if isinstance(envelope.data, Unset) or not envelope.data.id:
        raise ValueError("chats/new answered no chat id")
    return envelope.data.id


def create_chat(config: ClientConfig, headers: HeaderFactory, model: str, chat_type: str, policy: Policy) -> Plan[str]:
    spec = new_chat_spec(config, headers, model, chat_type)
    return (yield from json_call(spec, parse_new_chat, policy))


def _prepared(ctx: TurnContext, turn: Turn) -> Plan[tuple[Turn, str, RequestSpec]]:
    """Resolve the model, create the chat once if the turn has none, and build the completion request."""
    turn = yield from _resolved(ctx, turn)
    chat_id = turn.chat_id
    if chat_id is None:
        options = turn.options
        chat_id = yield from create_chat(ctx.config, ctx.headers, options.model, options.chat_type, ctx.policy)
    spec = completion_spec(
        ctx.config, ctx.headers, chat_id=chat_id, parent_id=turn.parent_id, text=turn.text, options=turn.options
    )
    return turn, chat_id, spec


def open_turn(ctx: TurnContext, turn: Turn) -> Plan[OpenedTurn]:
    """Create the chat if needed, open the answer stream and read up to its first chunk.

    Until a chunk has been handed to the caller nothing is lost by starting over, so a stream
    that fails before its first chunk (dropped, stalled, or a retryable error event) is retried
    like any other request; after that, a failure is raised with the partial answer.
    """
    turn, chat_id, spec = yield from _prepared(ctx, turn)

    def attempt(_: int) -> Plan[OpenedTurn]:
        handle = yield from open_event_stream(spec)
        state = new_state(turn, spec.url)
        state.chat_id = chat_id
        opened = OpenedTurn(handle, chat_id, turn, state, SSEDecoder(), [])
        yield from _read_first_chunks(opened)
        return opened

    return (yield from with_retries(attempt, ctx.policy, spec.operation))


def absorb(chunk: bytes, decoder: SSEDecoder, state: StreamState, pending: MutableSequence[ChatResponseStream]) -> None:
    """Decode ``chunk`` and queue the typed chunks it completes; raises on an error event (what was
    queued before it stays queued)."""
    feed = state.feed
    for payload in decoder.feed(chunk):
        parsed = feed(payload)
        if parsed is not None:
            pending.append(parsed)


def _read_first_chunks(opened: OpenedTurn) -> Plan[None]:
    handle, state, pending = opened.handle, opened.state, opened.pending
    try:
        while not pending:
            chunk: bytes = yield ReadChunk(handle)
            if not chunk:
                opened.ended = True
                yield Close(handle)
                return
            absorb(chunk, opened.decoder, state, pending)
    except QwenAPIError as error:
        yield Close(handle)
        opened.ended = True
        if pending:  # chunks came before the error: the caller reads them, then gets the error
            opened.deferred = interrupted(error, state)
            return
        if isinstance(error, QwenConnectionError) and state.finished:
            return
        raise interrupted(error, state) from None


def new_state(turn: Turn, url: str) -> StreamState:
    return StreamState(model=turn.options.model, method="POST", url=url)


def read_all(handle: StreamHandle, state: StreamState) -> Plan[StreamState]:
    """Consume an open stream into ``state``; the handle is always closed."""
    decoder = SSEDecoder()
    feed = state.feed
    try:
        while True:
            chunk: bytes = yield ReadChunk(handle)
            if not chunk:
                break
            for payload in decoder.feed(chunk):
                feed(payload)
    except QwenConnectionError as error:
        yield Close(handle)
        if state.finished:  # the answer was complete; a broken tail does not matter
            return state
        raise interrupted(error, state) from None
    except QwenAPIError as error:
        yield Close(handle)
        raise interrupted(error, state) from None
    yield Close(handle)
    return state


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


def collect_turn(ctx: TurnContext, turn: Turn) -> Plan[StreamState]:
    """A non-stream call: the whole turn, retried as a unit while no answer has been handed out."""
    turn, chat_id, spec = yield from _prepared(ctx, turn)

    def attempt(_: int) -> Plan[StreamState]:
        handle = yield from open_event_stream(spec)
        state = new_state(turn, spec.url)
        state.chat_id = chat_id
        return (yield from read_all(handle, state))

    return (yield from with_retries(attempt, ctx.policy, spec.operation))
