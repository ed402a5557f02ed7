"""Plans for one chat turn: create the chat if needed, open the answer stream, or collect it.

A stateless call (the documented API) creates a fresh chat once -- with its own retries, so a
retry never leaves orphan chats -- and then retries only the completion request. A call that
continues a conversation reuses its ``chat_id`` and ``parent_id``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from qwen_api_client.api.chats import create_chat as create_chat_api
from qwen_api_client.types import Unset

from ._assembler import TurnAssembler
from ._config import ClientConfig
from ._engine import (
    Close,
    Plan,
    Policy,
    ReadChunk,
    RequestSpec,
    StreamHandle,
    json_call,
    open_event_stream,
    with_retries,
)
from ._exceptions import QwenAPIError
from ._headers import HeaderFactory
from ._inputs import check_identifier, check_text
from ._lifecycle import NEVER_CLOSED, Lifecycle
from ._limits import DEFAULT_MAX_EVENT_BYTES
from ._request_specs import completion_spec, new_chat_spec
from ._stream_parser import StreamState
from ._turn_options import TurnOptions


@attrs.frozen
class Turn:
    """One user turn to send: its text, its options, and where it continues (``chat_id`` /
    ``parent_id``; None for a new chat)."""

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

    Its ``assembler`` holds the chunks parsed before the call returned (at least one unless the
    stream already ended) and any error met right after them, raised once they are read.
    """

    handle: StreamHandle
    chat_id: str
    turn: Turn
    assembler: TurnAssembler
    lease: Lifecycle = NEVER_CLOSED
    """The client's hold on this call, released when the stream closes (see ``_lifecycle``)."""

    @property
    def state(self) -> StreamState:
        return self.assembler.state


def parse_new_chat(body: Any) -> str:
    envelope = create_chat_api.parse_response(body)
    if isinstance(envelope.data, Unset) or not envelope.data.id:
        raise ValueError("chats/new answered no chat id")
    return envelope.data.id


def create_chat(config: ClientConfig, headers: HeaderFactory, model: str, chat_type: str, policy: Policy) -> Plan[str]:
    spec = new_chat_spec(config, headers, model, chat_type)
    return (yield from json_call(spec, parse_new_chat, policy))


def _prepared(ctx: TurnContext, turn: Turn) -> Plan[tuple[Turn, str, RequestSpec]]:
    """Resolve the model, create the chat once if the turn has none, and build the completion request."""
    check_text("the message", turn.text)  # before the chat is created: no orphan chat on bad input
    check_identifier("chat_id", turn.chat_id)
    check_identifier("parent_id", turn.parent_id)
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
        assembler = TurnAssembler(new_state(turn, spec.url, chat_id), max_event_bytes=ctx.config.limits.max_event_bytes)
        yield from _read_until_first_chunk(handle, assembler)
        return OpenedTurn(handle, chat_id, turn, assembler)

    return (yield from with_retries(attempt, ctx.policy, spec.operation))


def feed_assembler(handle: StreamHandle, assembler: TurnAssembler, until_first_chunk: bool) -> Plan[None]:
    """Read ``handle`` into ``assembler`` until it ended (or holds a chunk); closes a handle that ended."""
    pending = assembler.pending
    while not assembler.ended and not (until_first_chunk and pending):
        try:
            data: bytes = yield ReadChunk(handle)
        except QwenAPIError as error:
            assembler.receive_error(error)
            break
        if data:
            assembler.receive_data(data)
        else:
            assembler.receive_end()
    if assembler.ended:
        yield Close(handle)


def _read_until_first_chunk(handle: StreamHandle, assembler: TurnAssembler) -> Plan[None]:
    """Chunks came before an error: the caller reads them, then gets the error. No chunk: raised here."""
    yield from feed_assembler(handle, assembler, until_first_chunk=True)
    if not assembler.has_chunk:
        assembler.raise_error()


def new_state(turn: Turn, url: str, chat_id: str | None = None) -> StreamState:
    state = StreamState(model=turn.options.model, method="POST", url=url)
    state.chat_id = chat_id
    return state


def read_all(
    handle: StreamHandle, state: StreamState, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES
) -> Plan[StreamState]:
    """Consume an open stream into ``state``; the handle is always closed."""
    assembler = TurnAssembler(state, keep_chunks=False, max_event_bytes=max_event_bytes)
    yield from feed_assembler(handle, assembler, until_first_chunk=False)
    assembler.raise_error()
    return state


def collect_turn(ctx: TurnContext, turn: Turn) -> Plan[StreamState]:
    """A non-stream call: the whole turn, retried as a unit while no answer has been handed out."""
    turn, chat_id, spec = yield from _prepared(ctx, turn)

    def attempt(_: int) -> Plan[StreamState]:
        handle = yield from open_event_stream(spec)
        state = new_state(turn, spec.url, chat_id)
        return (yield from read_all(handle, state, ctx.config.limits.max_event_bytes))

    return (yield from with_retries(attempt, ctx.policy, spec.operation))
