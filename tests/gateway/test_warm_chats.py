"""``qwen serve --warm-chats``: a new conversation takes a chat made ahead instead of waiting for chats/new."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import openai
import pytest

from qwen_api import Qwen
from qwen_api.gateway.accounts import Account
from qwen_api.gateway.warm_chats import WarmChats
from qwen_api.testing import RunningServer, expected_answer

from .conftest import TOKEN, GatewayFactory, completions_posts, new_chats

MODEL = "qwen3.7-plus"


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll until the gateway's background work shows upstream (a readiness wait, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the gateway's background chat never reached the upstream"
        time.sleep(0.005)


def holds_made(gateway: Any, count: int) -> Callable[[], bool]:
    """The gateway holds ``count`` chats made so far (its /metrics says so once it stored them)."""
    line = f'qwen_gateway_warm_chats_total{{outcome="made"}} {float(count)}'
    return lambda: line in httpx.get(gateway.url + "/metrics").text


def ask(client: openai.OpenAI, text: str, *, stream: bool = False, **extra: Any) -> str:
    messages: Any = [{"role": "user", "content": text}]
    if stream:
        with client.chat.completions.create(model=MODEL, messages=messages, stream=True, **extra) as chunks:
            return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    return client.chat.completions.create(model=MODEL, messages=messages, **extra).choices[0].message.content or ""


def openai_client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)


@pytest.mark.parametrize("stream", [False, True], ids=["non-stream", "stream"])
def test_the_second_new_conversation_answers_in_the_chat_made_ahead(
    gateway_factory: GatewayFactory, upstream: RunningServer, stream: bool
) -> None:
    gateway = gateway_factory(warm_chats=True)
    with openai_client(gateway.base_url) as client:
        assert ask(client, "first", stream=stream) == expected_answer("first")
        wait_until(holds_made(gateway, 1))  # the request's own chat, then one made ahead
        assert new_chats(upstream) == 2
        made_ahead = set(upstream.state.chats) - {completions_posts(upstream)[0].query["chat_id"]}
        assert ask(client, "second", stream=stream) == expected_answer("second")
        assert completions_posts(upstream)[1].query["chat_id"] in made_ahead
        wait_until(holds_made(gateway, 2))  # the next one is made ahead
        assert new_chats(upstream) == 3
        metrics = httpx.get(gateway.url + "/metrics").text
        assert 'qwen_gateway_warm_chats_total{outcome="used"} 1.0' in metrics
        assert 'qwen_gateway_warm_chats_total{outcome="made"} 2.0' in metrics
        # the conversation begun in a chat made ahead continues there
        history: Any = [
            {"role": "user", "content": "second"},
            {"role": "assistant", "content": expected_answer("second")},
            {"role": "user", "content": "third"},
        ]
        answer = client.chat.completions.create(model=MODEL, messages=history).choices[0].message.content
        assert answer == expected_answer("third")
        assert completions_posts(upstream)[2].query["chat_id"] == completions_posts(upstream)[1].query["chat_id"]
        assert new_chats(upstream) == 3
    answered = {post.query["chat_id"] for post in completions_posts(upstream)}
    (unused,) = set(upstream.state.chats) - answered
    gateway.stop()
    assert unused in upstream.state.deleted_chats and set(upstream.state.chats) == answered  # deleted at shutdown


def test_without_the_flag_no_chat_is_made_ahead(gateway_factory: GatewayFactory, upstream: RunningServer) -> None:
    gateway = gateway_factory()
    with openai_client(gateway.base_url) as client:
        for text in ("one", "two", "three"):
            ask(client, text)
    gateway.stop()
    assert new_chats(upstream) == 3 and not upstream.state.deleted_chats


def first_conversation(client: openai.OpenAI, gateway: Any, upstream: RunningServer) -> tuple[str, str]:
    """Start one conversation, wait until the next chat is made ahead: (the chat used, the one made ahead)."""
    ask(client, "first")
    wait_until(holds_made(gateway, 1))
    used = completions_posts(upstream)[0].query["chat_id"]
    (made_ahead,) = set(upstream.state.chats) - {used}
    return used, made_ahead


def test_a_chat_deleted_upstream_meanwhile_is_replaced_for_the_request(
    gateway_factory: GatewayFactory, upstream: RunningServer
) -> None:
    gateway = gateway_factory(warm_chats=True)
    with openai_client(gateway.base_url) as client:
        used, made_ahead = first_conversation(client, gateway, upstream)
        with Qwen(api_key=TOKEN, base_url=upstream.url) as owner:  # deleted from the web page meanwhile
            assert owner.chats.delete(made_ahead)
        assert made_ahead in upstream.state.deleted_chats
        assert ask(client, "second") == expected_answer("second")
        second = completions_posts(upstream)[-1].query["chat_id"]
        assert second not in (used, made_ahead)


def test_a_request_with_temperature_or_max_tokens_is_answered_in_a_chat_made_ahead_too(
    gateway_factory: GatewayFactory, upstream: RunningServer
) -> None:
    gateway = gateway_factory(warm_chats=True)
    with openai_client(gateway.base_url) as client:
        _, made_ahead = first_conversation(client, gateway, upstream)
        ask(client, "second", max_tokens=64)
        sent = completions_posts(upstream)[1]
        assert sent.query["chat_id"] == made_ahead and sent.json["max_tokens"] == 64


# -- the pool itself, with a fake account --------------------------------------------------------------


class _FakeChats:
    def __init__(self, fail: bool = False) -> None:
        self.made: list[str] = []
        self.deleted: list[str] = []
        self.fail = fail

    async def anew(self, model: str) -> Any:
        from qwen_api import RateLimitError

        await asyncio.sleep(0)
        if self.fail:
            raise RateLimitError("daily limit reached")
        chat_id = f"chat-{len(self.made) + 1}"
        self.made.append(chat_id)
        return type("Conversation", (), {"chat_id": chat_id})()

    async def adelete(self, chat_id: str) -> bool:
        self.deleted.append(chat_id)
        return True


def _account(chats: _FakeChats, name: str = "a") -> Account:
    client = type("Client", (), {"chats": chats})()
    return Account(name, client)  # type: ignore[arg-type]


def test_a_chat_older_than_max_age_is_deleted_not_used() -> None:
    async def main() -> None:
        now = [0.0]
        events: list[str] = []
        warm = WarmChats(max_age=60, clock=lambda: now[0], on_event=events.append)
        chats = _FakeChats()
        account = _account(chats)
        assert warm.take(account, "m") is None
        await warm.idle()
        assert warm.unused() == 1
        now[0] = 61.0
        assert warm.take(account, "m") is None  # too old: deleted, and a fresh one is made
        await warm.idle()
        assert chats.deleted == ["chat-1"] and warm.unused() == 1
        assert warm.take(account, "m") == "chat-2"
        await warm.aclose()  # chat-3, still being made, is deleted when it arrives
        assert chats.deleted == ["chat-1", "chat-3"]
        assert events == ["made", "expired", "made", "used", "discarded"]

    asyncio.run(main())


def test_failures_are_counted_and_the_pool_stays_bounded() -> None:
    async def main() -> None:
        events: list[str] = []
        warm = WarmChats(max_keys=2, on_event=events.append)
        failing = _FakeChats(fail=True)
        assert warm.take(_account(failing), "m") is None
        await warm.idle()
        assert events == ["failed"] and warm.unused() == 0
        chats = _FakeChats()
        account = _account(chats, "b")
        for model in ("m1", "m2", "m3"):
            warm.take(account, model)
        await warm.idle()
        assert warm.unused() == 2 and chats.made == ["chat-1", "chat-2"]  # m3 was not made: at most two keys
        await warm.aclose()
        assert sorted(chats.deleted) == ["chat-1", "chat-2"]
        warm.take(account, "m1")  # closed: nothing is made any more
        assert chats.made == ["chat-1", "chat-2"]

    asyncio.run(main())
