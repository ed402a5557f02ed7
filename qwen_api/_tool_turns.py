"""``chat.create(tools=..., response_format=...)``: the emulation wrapped around an ordinary turn.

A layer over the engine, not inside it: the turn is sent as usual (its text carries the rendered
history and instructions), then the answer is reviewed by :class:`qwen_api.tools.ToolPlan`. Whole
answers go through :func:`collect_tool_turn` (a plan, so sync and async share it); streams go
through :class:`ChunkTransformer`, a pure filter over the typed chunks that :class:`ToolStream` and
:class:`AsyncToolStream` drive. A repair round is one more ordinary turn whose answer is collected
whole.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Awaitable, Callable, Sequence

import attrs

from ._engine import Plan
from ._exceptions import QwenAPIError
from ._messages import render_turn_text
from ._stream_parser import StreamState
from ._streaming import AsyncStream, Stream, _StreamBase
from ._turns import OpenedTurn, Turn, TurnContext, collect_turn
from .tools import ParsedToolCall, Review, ToolPlan
from .types.chat import ChatMessage, ChatResponse, ChatResponseStream, ChoiceList, ChoiceStream, Delta, stream_chunk
from .types.tools import ToolCall, ToolCallDelta, ToolCallFunction, ToolCallFunctionDelta

__all__ = ["AsyncToolStream", "ChunkTransformer", "ToolSession", "ToolStream", "collect_tool_turn"]


def new_call_id() -> str:
    return "call_" + secrets.token_hex(12)


@attrs.define
class ToolSession:
    """One call with tools or a format: the plan, the messages as sent, and the turn that sends them."""

    plan: ToolPlan
    messages: list[ChatMessage]
    turn: Turn
    new_id: Callable[[], str] = new_call_id

    def repair_turn(self, answer: str, review: Review, response_id: str | None) -> Turn:
        """The next repair round's turn.

        A stateless call sends a fresh chat the whole transcript plus the answer and the request;
        a turn that continues a server-side chat sends only the request, as a reply to the answer
        (``response_id``), since the chat already holds the rest.
        """
        if self.turn.chat_id is not None:
            return attrs.evolve(self.turn, text=self.plan.repair_request(review), parent_id=response_id)
        messages = self.plan.repair_messages(self.messages, answer, review)
        return attrs.evolve(self.turn, text=render_turn_text(messages))

    def review_answer(self, answer: str) -> Review:
        text, calls = self.plan.split(answer)
        return self.plan.review(text, calls)

    def tool_calls(self, review: Review) -> list[ToolCall]:
        return [
            ToolCall(self.new_id(), ToolCallFunction(call.name, call.arguments), error=call.error)
            for call in review.calls
        ]

    def response(self, base: ChatResponse, review: Review, calls: list[ToolCall] | None = None) -> ChatResponse:
        """``base`` with the reviewed content, the calls (``finish_reason == "tool_calls"``) and the JSON."""
        choice = base.choices[0]
        tool_calls = calls if calls is not None else self.tool_calls(review)
        message = attrs.evolve(
            choice.message,
            content=review.content,
            tool_calls=tool_calls or None,
            parsed=review.parsed,
            validation_error=review.unmet,
        )
        finish = "tool_calls" if tool_calls else choice.finish_reason
        return attrs.evolve(base, choices=ChoiceList([attrs.evolve(choice, message=message, finish_reason=finish)]))


def collect_tool_turn(ctx: TurnContext, session: ToolSession) -> Plan[tuple[ChatResponse, StreamState]]:
    """A whole answer, reviewed, with up to ``repair_rounds`` repair turns; also the last turn's state
    (a conversation continues from it)."""
    state = yield from collect_turn(ctx, session.turn)
    base = state.chat_response()
    answer = state.content
    review = session.review_answer(answer)
    for _ in range(session.plan.repair_rounds):
        if not review.needs_repair:
            break
        state = yield from collect_turn(ctx, session.repair_turn(answer, review, state.response_id))
        answer = state.content
        review = session.plan.merge(review, session.review_answer(answer))
    return session.response(base, review), state


# --------------------------------------------------------------------------------------------
# Streams
# --------------------------------------------------------------------------------------------


def _chunk(template: ChatResponseStream, delta: Delta, finish_reason: str | None = None) -> ChatResponseStream:
    return stream_chunk(
        ChoiceStream(delta, 0, finish_reason),
        template.response_id,
        template.chat_id,
        template.model,
        template.created,
        template.raw,
    )


def _text_delta(original: Delta, text: str) -> Delta:
    """The answer delta with only its visible text (its ``raw`` too: markup never leaks through it)."""
    return attrs.evolve(original, content=text, status="typing", raw={**original.raw, "content": text})


class ChunkTransformer:
    """Typed chunks in, typed chunks out: answer text goes through the parser, calls become deltas.

    Reasoning, search and other phases pass untouched. Valid calls are handed out as soon as their
    markup closes; failing ones wait for the end, where :meth:`end` may ask for a repair turn. With a
    ``response_format`` the answer text is held to the end and handed out once, reviewed. When
    ``tool_choice`` demands a call, text is held until the first call: an answer without one is
    replaced by its repair, and its narration must not reach the caller ahead of the repair's (the
    whole answer of a non-stream call shows the repair's, so a stream shows the same).
    """

    def __init__(self, session: ToolSession) -> None:
        self._session = session
        plan = session.plan
        self._plan = plan
        self._parser = plan.parser() if plan.parses_calls else None
        hold_for_format = plan.response_format is not None
        self._hold_until_call = not hold_for_format and plan.requires_call and plan.repair_rounds > 0
        self._holding = hold_for_format or self._hold_until_call
        self._held_text: list[str] = []
        self._text: list[str] = []
        self._emitted: list[str] = []
        self._raw: list[str] = []
        self._sent: list[tuple[ParsedToolCall, ToolCall]] = []
        self._waiting: list[ParsedToolCall] = []
        self._template: ChatResponseStream | None = None
        self._finish: ChatResponseStream | None = None
        self._review: Review | None = None
        self._rounds = 0
        self._response_id: str | None = None
        self.last_repair: StreamState | None = None
        """The last repair round's turn, once one ran: the answer the conversation continues from."""
        self.done = False

    # -- feeding ---------------------------------------------------------------------------

    def feed(self, chunk: ChatResponseStream) -> list[ChatResponseStream]:
        choice = chunk.choices[0]
        delta = choice.delta
        self._template = chunk
        self._response_id = chunk.response_id or self._response_id
        answer_text = delta.phase in (None, "answer") and bool(delta.content)
        if choice.finish_reason is not None:
            self._finish = chunk
            if not answer_text:
                return []
        if not answer_text:
            return [chunk]
        self._raw.append(delta.content)
        events: list[str | ParsedToolCall] = self._parser.feed(delta.content) if self._parser else [delta.content]
        return self._events(events, chunk)

    def _events(self, events: Sequence[str | ParsedToolCall], template: ChatResponseStream) -> list[ChatResponseStream]:
        out: list[ChatResponseStream] = []
        for event in events:
            if isinstance(event, str):
                self._text.append(event)
                if self._holding:
                    self._held_text.append(event)
                else:
                    self._emitted.append(event)
                    out.append(_chunk(template, _text_delta(template.choices[0].delta, event)))
                continue
            call = self._plan.admit(event, len(self._sent) + len(self._waiting))
            if call is None:
                continue
            if self._holding and self._hold_until_call:
                out.extend(self._release_held(template))
            if call.ok or self._plan.repair_rounds == 0:
                out.append(self._call_chunk(call, template))
            else:
                self._waiting.append(call)
        return out

    def _release_held(self, template: ChatResponseStream) -> list[ChatResponseStream]:
        """The answer has its call: the text held so far is its narration, handed out now, and the
        rest of the text streams as it comes."""
        self._holding = False
        text = "".join(self._held_text)
        self._held_text.clear()
        if not text:
            return []
        self._emitted.append(text)
        return [_chunk(template, _text_delta(template.choices[0].delta, text))]

    def _call_chunk(self, call: ParsedToolCall, template: ChatResponseStream) -> ChatResponseStream:
        tool_call = ToolCall(self._session.new_id(), ToolCallFunction(call.name, call.arguments), error=call.error)
        index = len(self._sent)
        self._sent.append((call, tool_call))
        delta = Delta(
            "",
            "assistant",
            "answer",
            "typing",
            tool_calls=[
                ToolCallDelta(
                    index, tool_call.id, "function", ToolCallFunctionDelta(call.name, call.arguments), call.error
                )
            ],
        )
        return _chunk(template, delta)

    # -- the end ---------------------------------------------------------------------------

    def end(self) -> tuple[list[ChatResponseStream], Turn | None]:
        """After the last upstream chunk: what is left to hand out, and the repair turn to run (if any)."""
        template = self._template
        out: list[ChatResponseStream] = []
        if self._parser is not None and template is not None:
            out = self._events(self._parser.finish(), template)
        calls = [call for call, _ in self._sent] + self._waiting
        self._review = self._plan.review("".join(self._text), calls, admitted=True)
        return out, self._next_repair("".join(self._raw))

    def _next_repair(self, answer: str) -> Turn | None:
        review = self._review
        assert review is not None
        if self._rounds >= self._plan.repair_rounds or not review.needs_repair or self._template is None:
            return None
        if review.calls and not self._waiting:
            return None  # the failing calls were already handed out (repairs are off for them)
        self._rounds += 1
        return self._session.repair_turn(answer, review, self._response_id)

    def repaired(self, state: StreamState) -> Turn | None:
        """Feed a repair turn's whole answer; returns the next repair turn, if another round is due."""
        assert self._review is not None
        answer = state.content
        self._response_id = state.response_id
        self.last_repair = state
        self._review = self._plan.merge(self._review, self._session.review_answer(answer))
        kept = {id(call) for call, _ in self._sent}
        self._waiting = [call for call in self._review.calls if id(call) not in kept]
        return self._next_repair(answer)

    def final(self) -> list[ChatResponseStream]:
        """The last chunks: repaired calls, the held (reviewed) text, and the finishing chunk."""
        review = self._review
        template = self._finish or self._template
        self.done = True
        if review is None or template is None:
            return []
        out: list[ChatResponseStream] = []
        text = ""
        if self._holding:
            # Text held to the end: the reviewed answer's (a repair's replaces the first), unless
            # calls were handed out while it streamed, which makes the held text theirs.
            text = review.content if not self._sent else "".join(self._held_text)
        elif not self._emitted and review.content.strip():
            text = review.content  # an empty first answer whose repair answered in text
        if text:  # ahead of the repaired calls: narration comes before its calls, as in a whole answer
            self._emitted.append(text)
            out.append(_chunk(template, Delta(text, "assistant", "answer", "typing")))
        out.extend(self._call_chunk(call, template) for call in self._waiting)
        self._waiting = []
        finish_reason = (
            "tool_calls" if self._sent else (self._finish.choices[0].finish_reason if self._finish else None)
        )
        if self._finish is not None or self._sent:
            finish_delta = self._finish.choices[0].delta if self._finish is not None else None
            if finish_delta is None or finish_delta.content:  # its text (if any) went through the parser
                finish_delta = Delta("", "assistant", "answer", "finished")
            out.append(_chunk(template, finish_delta, finish_reason))
        return out

    # -- totals ----------------------------------------------------------------------------

    def visible_partial(self, error: QwenAPIError) -> QwenAPIError:
        """An error raised mid-answer keeps the text handed out so far, never the raw markup."""
        if error.partial_content is not None:
            error.partial_content = self.text or None
        return error

    @property
    def text(self) -> str:
        """The answer text handed out so far (markup removed)."""
        return "".join(self._emitted)

    def response(self, base: ChatResponse) -> ChatResponse:
        """``base`` (the upstream totals) with the text and calls this stream handed out."""
        review = self._review or Review("")
        calls = [tool_call for _, tool_call in self._sent]
        return self._session.response(base, attrs.evolve(review, content=self.text), calls)


class _ToolStreamViews(_StreamBase[ChatResponseStream]):
    """What both tool streams show: the visible text, and the ids of the answer to continue from."""

    _tools: ChunkTransformer

    @property
    def text(self) -> str:
        return self._tools.text

    @property
    def chat_id(self) -> str | None:
        """The chat holding the answer: a repair round's (a stateless call's repair opens a new chat)."""
        repair = self._tools.last_repair
        return repair.chat_id if repair is not None and repair.chat_id else super().chat_id

    @property
    def response_id(self) -> str | None:
        """The answer to continue from: the last repair round's once one ran, else the first answer's."""
        repair = self._tools.last_repair
        return repair.response_id if repair is not None and repair.response_id else super().response_id

    def final_response(self) -> ChatResponse:
        return self._tools.response(super().final_response())


class ToolStream(_ToolStreamViews, Stream[ChatResponseStream]):
    """A :class:`Stream` whose answer text went through the tool parser (see :class:`ChunkTransformer`)."""

    def __init__(self, opened: OpenedTurn, session: ToolSession, repair: Callable[[Turn], StreamState]) -> None:
        super().__init__(opened)
        self._tools = ChunkTransformer(session)
        self._repair = repair
        self._queue: deque[ChatResponseStream] = deque()

    def __iter__(self) -> ToolStream:
        self._check_iterable()
        return self

    def __next__(self) -> ChatResponseStream:
        queue = self._queue
        while not queue:
            if self._tools.done:
                raise StopIteration
            try:
                chunk = super().__next__()
            except StopIteration:
                if self._closed and not self._done:  # closed by the caller: no review, no repair turn
                    self._tools.done = True
                    raise
                queue.extend(self._finish())
                continue
            except QwenAPIError as error:
                raise self._tools.visible_partial(error) from None
            queue.extend(self._tools.feed(chunk))
        return queue.popleft()

    def _finish(self) -> list[ChatResponseStream]:
        out, repair = self._tools.end()
        while repair is not None:
            repair = self._tools.repaired(self._repair(repair))
        return out + self._tools.final()

    def until_done(self) -> ChatResponse:
        while not self._tools.done:
            try:
                self.__next__()
            except StopIteration:
                break
        return self.final_response()


class AsyncToolStream(_ToolStreamViews, AsyncStream[ChatResponseStream]):
    """The async :class:`ToolStream`."""

    def __init__(
        self, opened: OpenedTurn, session: ToolSession, repair: Callable[[Turn], Awaitable[StreamState]]
    ) -> None:
        super().__init__(opened)
        self._tools = ChunkTransformer(session)
        self._repair = repair
        self._queue: deque[ChatResponseStream] = deque()

    def __aiter__(self) -> AsyncToolStream:
        self._check_iterable()
        return self

    async def __anext__(self) -> ChatResponseStream:
        queue = self._queue
        while not queue:
            if self._tools.done:
                raise StopAsyncIteration
            try:
                chunk = await super().__anext__()
            except StopAsyncIteration:
                if self._closed and not self._done:  # closed by the caller: no review, no repair turn
                    self._tools.done = True
                    raise
                out, repair = self._tools.end()
                while repair is not None:
                    repair = self._tools.repaired(await self._repair(repair))
                queue.extend(out + self._tools.final())
                continue
            except QwenAPIError as error:
                raise self._tools.visible_partial(error) from None
            queue.extend(self._tools.feed(chunk))
        return queue.popleft()

    async def until_done(self) -> ChatResponse:
        while not self._tools.done:
            try:
                await self.__anext__()
            except StopAsyncIteration:
                break
        return self.final_response()


def prepare_messages(
    messages: list[ChatMessage],
    *,
    tools: object,
    tool_choice: object,
    parallel_tool_calls: object,
    response_format: object,
    repair_rounds: object,
) -> tuple[ToolPlan | None, list[ChatMessage]]:
    """The plan (``None`` when nothing is emulated) and the messages to send, history in markup."""
    from .tools import render_history

    plan = ToolPlan.build(
        tools=tools,
        tool_choice=tool_choice,
        parallel_tool_calls=parallel_tool_calls,
        response_format=response_format,
        repair_rounds=repair_rounds,
    )
    if plan is None:
        return None, render_history(messages)
    return plan, plan.render_messages(messages)
