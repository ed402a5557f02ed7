"""Conversation reuse: a history that extends one the gateway answered continues that upstream chat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openai

from qwen_api.gateway.conversations import Link, MemoryStore, SqliteStore, answered_key, find_continuation
from qwen_api.testing import RunningServer, expected_answer

from .conftest import GatewayFactory, completions_posts, new_chats

MODEL = "qwen3.7-plus"


def ask(client: openai.OpenAI, messages: list[dict[str, Any]], *, stream: bool = False) -> str:
    if stream:
        with client.chat.completions.create(model=MODEL, messages=messages, stream=True) as chunks:  # type: ignore[arg-type]
            return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    completion = client.chat.completions.create(model=MODEL, messages=messages)  # type: ignore[arg-type]
    return completion.choices[0].message.content or ""


def only_chat(upstream: RunningServer) -> Any:
    assert len(upstream.state.chats) == 1
    return next(iter(upstream.state.chats.values()))


def test_a_ten_turn_agent_session_uses_one_upstream_chat(client: openai.OpenAI, upstream: RunningServer) -> None:
    messages: list[dict[str, Any]] = [{"role": "system", "content": "You are a terse agent."}]
    for turn in range(1, 11):
        messages.append({"role": "user", "content": f"step {turn}"})
        answer = ask(client, messages, stream=turn % 2 == 0)
        messages.append({"role": "assistant", "content": answer})
    assert new_chats(upstream) == 1
    posts = completions_posts(upstream)
    assert len(posts) == 10
    # the first turn carries the transcript; every later one only its new user message
    assert "You are a terse agent." in posts[0].json["messages"][0]["content"]
    assert [p.json["messages"][0]["content"] for p in posts[1:]] == [f"step {n}" for n in range(2, 11)]
    chat = only_chat(upstream)
    assert all(turn.parent_ok for turn in chat.turns)  # each turn continues the previous answer
    assert messages[-1]["content"] == expected_answer("step 10")


def test_an_edited_or_regenerated_turn_branches_in_the_same_chat(
    client: openai.OpenAI, upstream: RunningServer
) -> None:
    history: list[dict[str, Any]] = []
    for text in ("one", "two", "three"):
        history.append({"role": "user", "content": text})
        history.append({"role": "assistant", "content": ask(client, history)})
    chat = only_chat(upstream)
    second_answer = chat.turns[1].response_id

    edited = [*history[:4], {"role": "user", "content": "three, edited"}]
    assert ask(client, edited) == expected_answer("three, edited")
    regenerated = history[:5]
    assert ask(client, regenerated, stream=True) == expected_answer("three")

    assert new_chats(upstream) == 1
    assert [t.requested_parent_id for t in chat.turns[3:]] == [second_answer, second_answer]
    assert completions_posts(upstream)[-2].json["messages"][0]["content"] == "three, edited"

    # the edited branch continues from its own answer
    branch = [
        *edited,
        {"role": "assistant", "content": expected_answer("three, edited")},
        {"role": "user", "content": "four"},
    ]
    ask(client, branch)
    assert new_chats(upstream) == 1
    assert chat.turns[-1].requested_parent_id == chat.turns[3].response_id


def test_a_history_from_elsewhere_starts_one_new_chat_with_the_transcript(
    client: openai.OpenAI, upstream: RunningServer
) -> None:
    foreign = [
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "an answer this gateway never gave"},
        {"role": "user", "content": "and now?"},
    ]
    ask(client, foreign)
    assert new_chats(upstream) == 1
    sent = completions_posts(upstream)[-1].json["messages"][0]["content"]
    assert "an answer this gateway never gave" in sent and "and now?" in sent


def test_sqlite_state_survives_a_restart(
    gateway_factory: GatewayFactory, upstream: RunningServer, tmp_path: Path
) -> None:
    state = str(tmp_path / "state.sqlite")
    first = gateway_factory(state_file=state)
    history: list[dict[str, Any]] = [{"role": "user", "content": "remember me"}]
    with openai.OpenAI(base_url=first.base_url, api_key="unused", max_retries=0) as client:
        history.append({"role": "assistant", "content": ask(client, history)})
    first.stop()
    second = gateway_factory(state_file=state)
    history.append({"role": "user", "content": "still there?"})
    with openai.OpenAI(base_url=second.base_url, api_key="unused", max_retries=0) as client:
        ask(client, history)
    assert new_chats(upstream) == 1
    assert completions_posts(upstream)[-1].json["messages"][0]["content"] == "still there?"


def test_memory_store_is_bounded_and_expires() -> None:
    store = MemoryStore(limit=2, ttl=3600)
    link = Link("a", "chat", "resp", MODEL)
    for key in ("k1", "k2", "k3"):
        store.put(key, link)
    assert store.get("k1") is None and store.get("k3") == link and len(store) == 2
    expired = MemoryStore(limit=10, ttl=-1)
    expired.put("k", link)
    assert expired.get("k") is None


def test_continuation_finds_the_longest_answered_prefix(tmp_path: Path) -> None:
    for store in (MemoryStore(), SqliteStore(tmp_path / "s.sqlite")):
        history = [("user", "a")]
        store.put(answered_key(history, " answer "), Link("acc", "chat", "r1", MODEL))
        found = find_continuation(store, [("user", "a"), ("assistant", "answer"), ("user", "b")])
        assert found == (Link("acc", "chat", "r1", MODEL), 2)
        assert find_continuation(store, [("user", "a"), ("assistant", "other"), ("user", "b")]) is None
        store.close()


def test_a_chat_deleted_upstream_is_replaced_by_a_new_one_with_the_transcript(
    client: openai.OpenAI, upstream: RunningServer
) -> None:
    history: list[dict[str, Any]] = [{"role": "user", "content": "before"}]
    history.append({"role": "assistant", "content": ask(client, history)})
    from qwen_api import Qwen

    with Qwen(api_key="gateway-test-token", base_url=upstream.url) as sdk:
        assert sdk.chats.delete(next(iter(upstream.state.chats)))
    history.append({"role": "user", "content": "after"})
    assert ask(client, history).startswith("You said: ")
    assert new_chats(upstream) == 2
    sent = completions_posts(upstream)[-1].json["messages"][0]["content"]
    assert "before" in sent and "after" in sent


def test_conversations_are_continued_only_for_the_same_api_key(
    gateway_factory: GatewayFactory, upstream: RunningServer
) -> None:
    gateway = gateway_factory(api_keys=("sk-alice", "sk-bob"))
    history: list[dict[str, Any]] = [{"role": "user", "content": "shared opening"}]
    with openai.OpenAI(base_url=gateway.base_url, api_key="sk-alice", max_retries=0) as alice:
        history.append({"role": "assistant", "content": ask(alice, history)})
    history.append({"role": "user", "content": "next"})
    with openai.OpenAI(base_url=gateway.base_url, api_key="sk-bob", max_retries=0) as bob:
        ask(bob, history)
    assert new_chats(upstream) == 2  # bob's identical history does not continue alice's chat
    with openai.OpenAI(base_url=gateway.base_url, api_key="sk-alice", max_retries=0) as alice:
        ask(alice, history)
    assert new_chats(upstream) == 2
