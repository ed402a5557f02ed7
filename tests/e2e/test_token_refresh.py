"""Short-lived tokens: renewed before expiry, once per expiry across threads and tasks, never logged."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from itertools import pairwise

import pytest

from qwen_api import Qwen
from qwen_api.core.exceptions import QwenAuthenticationError
from qwen_api.testing import RunningServer, ServerConfig, expected_answer, serve

LIFETIME = 2.0
SESSION = 10.0


@pytest.fixture(scope="module")
def short_tokens() -> Iterator[RunningServer]:
    with serve(ServerConfig(token_lifetime=LIFETIME)) as running:
        yield running


def make_client(server: RunningServer, seen: list[tuple[str, str | None]], at: list[float] | None = None) -> Qwen:
    def remember(access: str, refresh: str | None) -> None:
        seen.append((access, refresh))
        if at is not None:
            at.append(time.monotonic())

    return Qwen(
        api_key=server.mint_token(),
        refresh_token=server.mint_refresh_token(),
        base_url=server.url,
        auth_base_url=server.url,
        max_retries=0,
        logging_level="DEBUG",
        on_token_refresh=remember,
    )


def assert_one_refresh_per_expiry(at: list[float]) -> None:
    """Refreshes for one expiry would come milliseconds apart; one per token comes a lifetime apart
    (less the renewal margin and the JWT's whole-second ``exp``)."""
    gaps = [later - earlier for earlier, later in pairwise(at)]
    assert all(gap > 0.25 for gap in gaps), gaps


def expected_refreshes(elapsed: float) -> range:
    # one refresh per token lifetime, renewed a quarter-lifetime early; allow one either way for timing
    per = LIFETIME * 0.75
    return range(max(1, int(elapsed / LIFETIME)), int(elapsed / per) + 2)


def assert_no_token_logged(caplog: pytest.LogCaptureFixture, tokens: list[str]) -> None:
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "valid for" in text and "refreshed" in text
    for token in tokens:
        assert token not in text


def test_sync_streaming_session(short_tokens: RunningServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="qwen_api")
    seen: list[tuple[str, str | None]] = []
    at: list[float] = []
    before = short_tokens.state.refresh_count
    client = make_client(short_tokens, seen, at)
    started = time.monotonic()
    turns = 0
    while time.monotonic() - started < SESSION:
        text = "".join(c.choices[0].delta.content for c in client.completion.create(model="m", prompt="p", stream=True))
        assert text == expected_answer("p")
        turns += 1
    elapsed = time.monotonic() - started
    refreshes = short_tokens.state.refresh_count - before
    assert client._auth.refresh_count == refreshes == len(seen)
    assert refreshes in expected_refreshes(elapsed), (refreshes, elapsed)
    assert_one_refresh_per_expiry(at)
    assert_no_token_logged(caplog, [access for access, _ in seen] + [r for _, r in seen if r])
    client.close()


def test_async_concurrent_streams_refresh_once_per_expiry(
    short_tokens: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="qwen_api")
    seen: list[tuple[str, str | None]] = []
    at: list[float] = []
    before = short_tokens.state.refresh_count
    client = make_client(short_tokens, seen, at)

    async def worker(deadline: float) -> int:
        count = 0
        while time.monotonic() < deadline:
            stream = await client.completion.acreate(model="m", prompt="q", stream=True)
            assert "".join([c.choices[0].delta.content async for c in stream]) == expected_answer("q")
            count += 1
        return count

    async def run() -> list[int]:
        deadline = time.monotonic() + SESSION
        return await asyncio.gather(*(worker(deadline) for _ in range(20)))

    started = time.monotonic()
    counts = asyncio.run(run())
    elapsed = time.monotonic() - started
    assert all(counts), "every task completed turns, none failed"
    refreshes = short_tokens.state.refresh_count - before
    assert client._auth.refresh_count == refreshes == len(seen)
    assert refreshes in expected_refreshes(elapsed), (refreshes, elapsed)
    assert len({access for access, _ in seen}) == refreshes  # each refresh produced a new token: single flight
    assert_one_refresh_per_expiry(at)
    assert_no_token_logged(caplog, [access for access, _ in seen] + [r for _, r in seen if r])


def test_refused_token_is_refreshed_once_and_retried(short_tokens: RunningServer) -> None:
    seen: list[tuple[str, str | None]] = []
    client = Qwen(
        api_key="opaque-not-a-jwt",
        refresh_token=short_tokens.mint_refresh_token(),
        base_url=short_tokens.url,
        auth_base_url=short_tokens.url,
        max_retries=0,
        on_token_refresh=lambda a, r: seen.append((a, r)),
    )
    assert client.completion.create(model="m", prompt="r").choices[0].text == expected_answer("r")
    assert len(seen) == 1


def test_expired_token_without_refresh_names_the_expiry(short_tokens: RunningServer) -> None:
    client = Qwen(api_key=short_tokens.mint_token(lifetime=-5), base_url=short_tokens.url)  # already expired
    before = len(short_tokens.state.requests)
    with pytest.raises(QwenAuthenticationError, match=r"expired at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC") as info:
        client.completion.create(model="m", prompt="x")
    assert "refresh" in str(info.value)
    assert len(short_tokens.state.requests) == before  # known expired: nothing was sent


def test_refused_refresh_is_an_authentication_error(short_tokens: RunningServer) -> None:
    client = Qwen(
        api_key=short_tokens.mint_token(lifetime=-5),
        refresh_token="revoked-refresh-token",
        base_url=short_tokens.url,
        auth_base_url=short_tokens.url,
    )
    with pytest.raises(QwenAuthenticationError, match="refresh was refused"):
        client.completion.create(model="m", prompt="x")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_refused_refresh_is_sent_once_even_when_a_model_alias_is_looked_up_first(
    short_tokens: RunningServer, mode: str
) -> None:
    """Looking up an alias lists the models first; that listing's refused refresh used to be
    swallowed (fallback alias table), and the call then sent the single-use refresh token again."""
    client = Qwen(
        api_key=short_tokens.mint_token(lifetime=-5),
        refresh_token="revoked-refresh-token",
        base_url=short_tokens.url,
        max_retries=0,
    )
    before = len(short_tokens.state.requests)
    with client, pytest.raises(QwenAuthenticationError, match="refresh was refused"):
        if mode == "sync":
            client.chat.create([{"role": "user", "content": "x"}], model="qwen-max")
        else:
            asyncio.run(client.chat.acreate([{"role": "user", "content": "x"}], model="qwen-max"))
    assert [r.path for r in short_tokens.state.requests[before:]] == ["/api/v2/auths/refresh"]
