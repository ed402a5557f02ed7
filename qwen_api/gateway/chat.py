"""One chat completion through the pool: pick an account, continue or start the upstream chat,
fail over before the first byte, and hand the answer out as (content, reasoning, tool calls) pieces.

This is the I/O shell around the pure adapter (:mod:`.openai_adapter`) and the conversation map
(:mod:`.conversations`); the HTTP layer (:mod:`.app`) turns its pieces into JSON or SSE.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import attrs

from qwen_api import (
    AsyncStream,
    Qwen,
    QwenAPIError,
    QwenAPIStatus5xxError,
    QwenConnectionError,
    QwenNotFoundError,
    QwenTimeoutError,
)
from qwen_api.tools import ToolPlan
from qwen_api.types import ChatResponseStream, Usage, WebSearchInfo
from qwen_api.types.tools import ToolCallDelta

from .accounts import Account, AccountPool
from .conversations import ConversationStore, Link, answered_key, find_continuation
from .errors import GatewayError, bad_request, from_sdk_error
from .metrics import GatewayMetrics
from .openai_adapter import ChatRequest, ChoiceResult, StopScanner, answer_key_text, finish_reason
from .warm_chats import WarmChats

__all__ = ["ChatService", "Piece", "Upstream"]

Piece = tuple[str, str | None, tuple[ToolCallDelta, ...]]
"""(answer text, reasoning, tool calls) of one step of an answer; any of them may be empty."""

logger: logging.Logger = logging.getLogger("qwen_api.gateway")
_ANSWER_PHASES = (None, "answer")


@attrs.define(eq=False)
class Upstream:
    """One upstream answer being read (one choice of a completion)."""

    account: Account
    stream: AsyncStream[ChatResponseStream]
    first: ChatResponseStream | None
    history: list[tuple[str, str]]
    model: str
    kind: str
    scope: str = ""
    sent: list[str] = attrs.field(factory=list)
    calls: list[tuple[str, str]] = attrs.field(factory=list)
    """(name, arguments) of the tool calls handed out, in order."""
    stopped: bool = False
    stop_sequence: str | None = None
    complete: bool = False
    released: bool = False

    @property
    def content(self) -> str:
        return "".join(self.sent)


_PASSING_FAILURES = (QwenConnectionError, QwenTimeoutError, QwenAPIStatus5xxError)
"""Failures another account may not meet: with one to fail over to, they move the request there."""


async def _resume(
    client: Qwen, request: ChatRequest, chat_id: str, parent_id: str | None, covered: int
) -> AsyncStream[ChatResponseStream]:
    """The request's messages from ``covered`` on, sent as the next turn of an existing upstream chat."""
    conversation = client.chats.resume(chat_id, model=request.base_model, parent_id=parent_id)
    opened: AsyncStream[ChatResponseStream] = await conversation.asend(
        [m.sdk_dict() for m in request.messages[covered:]],
        stream=True,
        temperature=request.temperature,
        max_tokens=request.max_tokens,
        **request.sdk_options(),
    )
    return opened


class ChatService:
    """Opens answers upstream for the OpenAI and Anthropic routes: picks an account, continues a
    known conversation, counts the metrics and remembers where each answer can be continued."""

    def __init__(
        self,
        pool: AccountPool,
        store: ConversationStore,
        metrics: GatewayMetrics,
        warm: WarmChats | None = None,
        fetch_images: Callable[[ChatRequest, int], Awaitable[ChatRequest]] | None = None,
    ) -> None:
        self.fetch_images = fetch_images
        """Downloads the URL images of the messages from an index on (the routes fetch the last one's)."""
        self.pool = pool
        self.store = store
        self.metrics = metrics
        self.warm = warm
        self._background: set[asyncio.Task[Any]] = set()
        self._no_retry_clients: dict[str, Qwen] = {}

    def _without_retries(self, account: Account) -> Qwen:
        """``account``'s client with ``max_retries=0`` (a copy sharing its pools, made once)."""
        client = self._no_retry_clients.get(account.name)
        if client is None:
            client = self._no_retry_clients[account.name] = account.client.with_options(max_retries=0)
        return client

    # -- opening -----------------------------------------------------------------------------------

    async def open(self, request: ChatRequest, *, reuse: bool = True, scope: str = "") -> Upstream:
        """An answer whose first chunk has arrived, on the first account that could give it.

        ``scope`` names the client (its API key): conversations are continued within a scope only."""
        history = [(m.key_role, m.key_text()) for m in request.messages]
        found = find_continuation(self.store, history, scope) if reuse else None
        tried: set[str] = set()
        last_error: QwenAPIError | None = None
        fetched: dict[int, ChatRequest] = {}
        while True:
            link, covered = found if found is not None else (None, 0)
            sending = await self._with_images(request, covered, fetched)
            try:
                if link is not None and self.pool.usable(link.account) and link.account not in tried:
                    account = await self.pool.acquire(exclude=tried, prefer=link.account, wait_for_prefer=True)
                else:
                    account = await self.pool.acquire(exclude=tried)
            except GatewayError:
                if last_error is not None:  # every account failed this request: say why
                    raise from_sdk_error(last_error) from None
                raise
            continuing = link is not None and account.name == link.account
            # With another account to fail over to, the SDK does not retry here: its retries would
            # sleep out a rate limit's Retry-After (up to a minute, twice) on this account while the
            # other one idles. The last account left keeps the SDK's retries.
            fallback = self.pool.has_fallback(account, tried)
            client = self._without_retries(account) if fallback else account.client
            try:
                stream = await self._send(account, client, sending, link if continuing else None, covered)
                first = await anext(stream, None)
            except QwenNotFoundError as error:
                self.pool.release(account)
                self._count_error(error)
                if continuing:  # the chat is gone upstream (deleted): carry the transcript into a new one
                    found = None
                    continue
                raise from_sdk_error(error) from None
            except QwenAPIError as error:
                self.pool.release(account)
                self._count_error(error)
                if self.pool.penalize(account, error) or (fallback and isinstance(error, _PASSING_FAILURES)):
                    last_error = error
                    tried.add(account.name)
                    self.metrics.failovers.inc()
                    logger.warning("account %s failed (%s); trying another", account.name, type(error).__name__)
                    continue
                raise from_sdk_error(error) from None
            except (TypeError, ValueError) as error:  # the SDK refused an argument
                self.pool.release(account)
                raise bad_request(str(error)) from None
            except BaseException:
                self.pool.release(account)
                raise
            kind = "continued" if continuing else "new"
            self.metrics.turns.labels(kind).inc()
            return Upstream(account, stream, first, history, request.base_model, kind, scope)

    async def _with_images(self, request: ChatRequest, covered: int, fetched: dict[int, ChatRequest]) -> ChatRequest:
        """``request`` with the URL images of every message sent from ``covered`` on downloaded: a new
        chat carrying the transcript attaches the earlier messages' images too (once per request)."""
        if self.fetch_images is None or covered >= len(request.messages) - 1:
            return request
        if covered not in fetched:
            fetched[covered] = await self.fetch_images(request, covered)
        return fetched[covered]

    async def _send(
        self, account: Account, client: Qwen, request: ChatRequest, link: Link | None, covered: int
    ) -> AsyncStream[ChatResponseStream]:
        if link is not None:
            return await _resume(client, request, link.chat_id, link.response_id, covered)
        warm = await self._send_in_warm_chat(account, client, request)
        if warm is not None:
            return warm
        created: AsyncStream[ChatResponseStream] = await client.chat.acreate(
            [m.sdk_dict() for m in request.messages],
            model=request.base_model,
            stream=True,
            temperature=request.temperature,
            max_tokens=request.max_tokens,
            **request.sdk_options(),
        )
        return created

    async def _send_in_warm_chat(
        self, account: Account, client: Qwen, request: ChatRequest
    ) -> AsyncStream[ChatResponseStream] | None:
        """A new conversation answered in a chat made ahead (``--warm-chats``), or None for the usual way."""
        if self.warm is None:
            return None
        chat_id = self.warm.take(account, request.base_model)
        if chat_id is None:
            return None
        try:
            return await _resume(client, request, chat_id, None, 0)
        except QwenNotFoundError:  # deleted upstream meanwhile: the request makes its own
            logger.info("a chat made ahead for %s was gone; making one", account.name)
            return None

    def _count_error(self, error: QwenAPIError) -> None:
        self.metrics.upstream_errors.labels(error.code or type(error).__name__).inc()

    # -- reading -----------------------------------------------------------------------------------

    async def pieces(self, up: Upstream, request: ChatRequest) -> AsyncIterator[Piece]:
        """(content, reasoning, tool calls) as they arrive; stop sequences end the answer (and the upstream's).

        With tools the SDK's stream has already taken the call markup out of the text and hands each
        checked call out whole as a :class:`ToolCallDelta`."""
        scanner = StopScanner(request.stop) if request.stop else None
        chunk = up.first
        stream = up.stream
        while chunk is not None:
            choices = chunk.choices
            if choices:
                delta = choices[0].delta
                phase = delta.phase
                content = delta.content if phase in _ANSWER_PHASES else ""
                if phase == "image_gen" and delta.content:
                    content = f"![image]({delta.content})\n"
                reasoning = delta.reasoning_content
                calls = tuple(delta.tool_calls or ())
                for call in calls:
                    function = call.function
                    if function is not None:
                        up.calls.append((function.name or "", function.arguments or ""))
                if content and scanner is not None:
                    content, stopped = scanner.feed(content)
                    if stopped:
                        if content:
                            up.sent.append(content)
                        yield content, reasoning, calls
                        up.stopped = True
                        up.stop_sequence = scanner.matched
                        await self.halt(up)
                        up.complete = True
                        return
                if content or reasoning or calls:
                    if content:
                        up.sent.append(content)
                    yield content, reasoning, calls
            chunk = await anext(stream, None)
        if scanner is not None:
            tail = scanner.flush()
            if tail:
                up.sent.append(tail)
                yield tail, None, ()
        up.complete = True

    def result(self, up: Upstream, request: ChatRequest) -> ChoiceResult:
        """The finished answer of ``up`` as the routes render it (text, reasoning, tool calls, sources,
        usage), counting its tokens and tool calls."""
        usage: Usage | None = up.stream.usage
        message = up.stream.final_response().choices[0].message
        sources: list[WebSearchInfo] = message.web_search_info
        tool_calls = list(message.tool_calls or [])
        if usage is not None:
            self.metrics.tokens.labels("prompt").inc(usage.input_tokens or 0)
            self.metrics.tokens.labels("completion").inc(usage.output_tokens or 0)
        for call in tool_calls:
            self.metrics.tool_calls.labels("valid" if call.error is None else "invalid").inc()
        if request.response_format is not None and not tool_calls:
            self.metrics.formats.labels("valid" if message.validation_error is None else "invalid").inc()
        reason = "tool_calls" if tool_calls else finish_reason(up.stopped, usage, request.max_tokens)
        validation_error = message.validation_error
        if up.stop_sequence is not None and request.response_format is not None and not tool_calls:
            validation_error = _cut_format_error(up.content, up.stop_sequence, request) or validation_error
        return ChoiceResult(
            up.content,
            up.stream.reasoning_content,
            reason,
            list(sources),
            usage,
            tool_calls,
            validation_error,
        )

    def remember(self, up: Upstream) -> None:
        """Map history + this answer to the upstream answer, so the next turn continues it.

        Not an answer cut at a stop sequence: the upstream chat holds what the model wrote past it,
        which the client never saw, so its next turn starts a chat of its own with the transcript."""
        chat_id, response_id = up.stream.chat_id, up.stream.response_id
        if up.complete and up.stop_sequence is None and chat_id and response_id:
            key = answered_key(up.history, answer_key_text(up.content, up.calls), up.scope)
            self.store.put(key, Link(up.account.name, chat_id, response_id, up.model))

    # -- ending ------------------------------------------------------------------------------------

    async def halt(self, up: Upstream) -> None:
        """Stop reading and tell the upstream to stop generating (the answer is not wanted any more)."""
        stream = up.stream
        unfinished = not stream.finished
        await stream.aclose()
        chat_id, response_id = stream.chat_id, stream.response_id
        if unfinished and chat_id:
            self._spawn(self._stop(up.account, chat_id, response_id))

    async def _stop(self, account: Account, chat_id: str, response_id: str | None) -> None:
        try:
            await account.client.chats.astop(chat_id, response_id)
        except QwenAPIError as error:
            logger.info("stopping the upstream answer failed: %s", type(error).__name__)

    def finish(self, up: Upstream) -> None:
        """Release the account; an answer not read to its end is stopped upstream in the background.

        Synchronous on purpose: it runs in ``finally`` blocks of responses whose task is being cancelled
        (the client left), where an ``await`` would be cancelled too."""
        if up.released:
            return
        up.released = True
        self.pool.release(up.account)
        if not up.complete:
            self._spawn(self.halt(up))

    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def aclose(self) -> None:
        """Delete the chats made ahead and not used (at shutdown, after :meth:`drain`)."""
        if self.warm is not None:
            await self.warm.aclose()

    async def drain(self) -> None:
        """Wait for the stop requests still running (at shutdown)."""
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)


def _cut_format_error(content: str, sequence: str, request: ChatRequest) -> str | None:
    """Why an answer cut at ``sequence`` no longer meets ``response_format`` (None when it still does):
    the SDK checked the whole answer, before the cut."""
    try:
        json.loads(content)  # strictly: a lenient reading would mend the cut ('{"a": 1' parses as {"a": 1})
    except ValueError:
        return f"the answer was cut at the stop sequence {sequence!r} and is no longer valid JSON"
    plan = ToolPlan.build(response_format=dict(request.response_format or {}))
    problem = plan.review(content, []).format_error if plan is not None else None
    if problem is None:
        return None
    return f"the answer was cut at the stop sequence {sequence!r}: {problem}"


def sdk_error(error: QwenAPIError) -> GatewayError:
    """The gateway error (status, type, code) for an SDK error raised upstream."""
    return from_sdk_error(error)
