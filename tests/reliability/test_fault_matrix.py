"""The full fault matrix: every fault the local server injects x sync/async x stream/whole x retries.

``tests/e2e/test_faults.py`` shows each fault's class with retries off; this module pins down the
rest of the contract for every cell: the exact class, ``status_code``, ``code`` and
``retry_after``, how many attempts the server saw, that the call ended in bounded time (a stall
ends by the configured timeout, a quota is not slept on), and that no connection is left in use
or open afterwards. Faults are server rules on the completion endpoint only, so the chat is created
normally and the fault hits the answer.
"""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import attrs
import httpx
import pytest

from qwen_api import Qwen, _engine
from qwen_api.core import exceptions as exc
from qwen_api.testing import FAULTS, RunningServer, expected_answer
from tests.reliability.conftest import COMPLETIONS, MODEL, TOKEN, busy_connections, make_client, wait_until

TIMEOUT = 0.5
"""Client timeout for the matrix: every stall must end by it (the server would stall for an hour)."""
SLACK = 2.5
"""Allowance per call on top of timeouts and backoff (a slow CI machine, coverage tracing)."""
PER_ATTEMPT = 0.5
"""Upper bound of one non-stalled attempt against the local server."""
REAL_INITIAL_DELAY = _engine.INITIAL_RETRY_DELAY
FAST_INITIAL_DELAY = 0.05
"""The matrix scales the backoff down (same formula, same jitter) so its ~100 retried calls stay quick;
the tests that request ``real_backoff`` run with the SDK's own 0.5 s first delay."""


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_engine, "INITIAL_RETRY_DELAY", FAST_INITIAL_DELAY)


@pytest.fixture
def real_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_engine, "INITIAL_RETRY_DELAY", REAL_INITIAL_DELAY)


@attrs.frozen
class Row:
    cls: type[exc.QwenAPIError]
    status: int | None
    code: str | None
    retry_after: float | None = None
    retryable: bool = False
    """Retried by the SDK while no answer chunk has been handed to the caller."""
    mid_stream: bool = False
    """Played inside the event stream, after the response headers."""
    backoff: bool = True
    """Whether a retry waits for the exponential backoff (False: ``Retry-After: 0`` is honoured)."""
    params: dict[str, Any] = attrs.field(factory=dict)


E = exc
MATRIX: dict[str, Row] = {
    "http_429": Row(E.RateLimitError, 429, "Too_Many_Requests", 0.0, True, backoff=False, params={"retry_after": 0}),
    "envelope_rate_limited": Row(E.RateLimitError, 429, "RateLimited", 12 * 3600.0),
    "envelope_bad_request": Row(E.QwenInvalidRequestError, 400, "Bad_Request"),
    "envelope_unauthorized": Row(E.QwenAuthenticationError, 401, "Unauthorized"),
    "envelope_token_expired": Row(E.QwenAuthenticationError, 401, "Token_Expired"),
    "envelope_internal_error": Row(E.QwenAPIStatus5xxError, 500, "internal_error", None, True),
    "envelope_chat_not_found": Row(E.QwenNotFoundError, 404, "CHAT_NOT_FOUND"),
    "waf_json": Row(E.QwenAntiBotError, 403, "FAIL_SYS_USER_VALIDATE"),
    "waf_html": Row(E.QwenAntiBotError, 403, "WAF_BLOCK"),
    "http_500": Row(E.QwenAPIStatus5xxError, 500, None, 0.0, True, backoff=False, params={"retry_after": 0}),
    "http_502": Row(E.QwenAPIStatus5xxError, 502, None, 0.0, True, backoff=False, params={"retry_after": 0}),
    "http_503": Row(E.QwenAPIStatus5xxError, 503, None, 0.0, True, backoff=False, params={"retry_after": 0}),
    "drop_before_headers": Row(E.QwenConnectionError, None, None, None, True),
    "drop_after_events": Row(E.QwenConnectionError, None, None, None, True, mid_stream=True),
    "stall_before_headers": Row(E.QwenTimeoutError, None, None, None, True),
    "stall_between_events": Row(E.QwenTimeoutError, None, None, None, True, mid_stream=True),
    "malformed_event": Row(E.QwenInternalError, None, None, mid_stream=True),
    "stream_error": Row(E.QwenContentFilterError, 400, "data_inspection_failed", mid_stream=True),
    "stream_error_string": Row(E.QwenAPIStatus5xxError, 500, None, None, True, mid_stream=True),
    "invalid_utf8": Row(E.QwenInternalError, None, None, mid_stream=True),
}
STALLS = ("stall_before_headers", "stall_between_events")


def test_the_matrix_covers_every_fault() -> None:
    assert set(MATRIX) == set(FAULTS)


def expected_attempts(row: Row, retries: int) -> int:
    """A retryable fault is retried: the matrix's mid-stream faults hit before the first answer chunk
    (``after=1``), which a stream call reads before it returns, so nothing was handed out yet."""
    return retries + 1 if row.retryable else 1


def backoff_bound(retries_taken: int) -> float:
    """The longest the SDK may sleep for ``retries_taken`` retries (jitter only shortens it)."""
    return sum(min(_engine.INITIAL_RETRY_DELAY * 2.0**n, _engine.MAX_RETRY_DELAY) for n in range(retries_taken))


def elapsed_bound(fault: str, row: Row, attempts: int) -> float:
    per_attempt = TIMEOUT + PER_ATTEMPT if fault in STALLS else PER_ATTEMPT
    sleeps = backoff_bound(attempts - 1) if row.backoff else 0.0
    return attempts * per_attempt + sleeps + SLACK


@attrs.define
class Outcome:
    result: Any = None
    error: BaseException | None = None
    chunks: list[str] = attrs.field(factory=list)
    elapsed: float = 0.0
    busy_after: int = -1


def run_chat(mode: str, client_kwargs: dict[str, Any], server: RunningServer, prompt: str, stream: bool) -> Outcome:
    """One ``chat.create`` in its own client (closed in the same event loop), timed; errors are returned."""
    outcome = Outcome()
    messages = [{"role": "user", "content": prompt}]
    if mode == "sync":
        with make_client(server, **client_kwargs) as client:
            started = time.monotonic()
            try:
                if stream:
                    for chunk in client.chat.create(messages, model=MODEL, stream=True):
                        outcome.chunks.append(chunk.choices[0].delta.content)
                else:
                    outcome.result = client.chat.create(messages, model=MODEL)
            except Exception as error:  # the assertions check its class
                outcome.error = error
            outcome.elapsed = time.monotonic() - started
            outcome.busy_after = busy_connections(client)
        return outcome

    async def main() -> None:
        async with make_client(server, **client_kwargs) as client:
            started = time.monotonic()
            try:
                if stream:
                    async for chunk in await client.chat.acreate(messages, model=MODEL, stream=True):
                        outcome.chunks.append(chunk.choices[0].delta.content)
                else:
                    outcome.result = await client.chat.acreate(messages, model=MODEL)
            except Exception as error:
                outcome.error = error
            outcome.elapsed = time.monotonic() - started
            outcome.busy_after = busy_connections(client)

    asyncio.run(main())
    return outcome


def assert_released(outcome: Outcome, server: RunningServer) -> None:
    """No connection was in use after the call, and none stays open once the client is closed."""
    assert outcome.busy_after == 0, f"{outcome.busy_after} connection(s) still in use after the call"
    assert wait_until(lambda: server.open_connections() == 0, timeout=5), (
        f"{server.open_connections()} connection(s) still open on the server after the client closed"
    )


# --------------------------------------------------------------------------------------------------
# 1. Every cell: class, status, code, retry_after, attempts, elapsed, pool


@pytest.mark.parametrize("retries", [0, 2], ids=["retries-off", "retries-on"])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("fault", FAULTS)
def test_fault_cell(fault: str, mode: str, stream: bool, retries: int, clean_server: RunningServer) -> None:
    server = clean_server
    row = MATRIX[fault]
    rule = server.add_fault(fault, path=COMPLETIONS, **row.params)
    outcome = run_chat(mode, {"max_retries": retries, "timeout": TIMEOUT}, server, "matrix", stream)
    error = outcome.error

    assert error is not None, f"{fault} did not raise"
    assert type(error) is row.cls, f"{fault}: {type(error).__name__} ({error})"
    assert error.status_code == row.status
    assert error.code == row.code
    assert error.retry_after == row.retry_after
    assert error.url is not None and COMPLETIONS in error.url and error.method == "POST"
    assert "\n" not in str(error)

    attempts = expected_attempts(row, retries)
    assert server.state.attempts[rule.key] == attempts
    assert len(server.state.requests_to(COMPLETIONS)) == attempts

    bound = elapsed_bound(fault, row, attempts)
    assert outcome.elapsed < bound, f"{fault} took {outcome.elapsed:.2f}s (bound {bound:.2f}s)"
    if fault in STALLS:  # it was the configured timeout that ended each stalled attempt
        assert outcome.elapsed >= 0.9 * TIMEOUT * attempts
    assert_released(outcome, server)


@pytest.mark.usefixtures("real_backoff")
def test_connection_refused_is_retried_then_raised_in_bounded_time(mode: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more: every attempt is refused at once.
    kwargs = {"api_key": TOKEN, "base_url": f"http://127.0.0.1:{port}", "max_retries": 2, "timeout": TIMEOUT}

    async def attempt_async() -> None:
        async with Qwen(**kwargs) as client:
            await client.completion.acreate(prompt="x", model=MODEL)

    started = time.monotonic()
    with pytest.raises(exc.QwenConnectionError) as info:
        if mode == "sync":
            with Qwen(**kwargs) as client:
                client.completion.create(prompt="x", model=MODEL)
        else:
            asyncio.run(attempt_async())
    elapsed = time.monotonic() - started
    assert type(info.value) is exc.QwenConnectionError
    assert info.value.status_code is None and info.value.url and f":{port}/" in info.value.url
    # Two retries were made (their backoff was slept), and nothing hung.
    assert 0.75 * backoff_bound(2) <= elapsed < 3 * PER_ATTEMPT + backoff_bound(2) + SLACK


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --------------------------------------------------------------------------------------------------
# 2. Mid-stream faults carry the partial answer


AFTER = 3
"""``response.created`` and two 8-character answer deltas go out before the fault."""


def _partial_cases() -> list[Any]:
    return [
        pytest.param(fault, stream, id=f"{fault}-{'stream' if stream else 'whole'}")
        for fault in sorted(name for name, row in MATRIX.items() if row.mid_stream)
        for stream in (False, True)
    ]


@pytest.mark.parametrize(("fault", "stream"), _partial_cases())
def test_mid_stream_fault_carries_the_partial_answer(
    fault: str, stream: bool, mode: str, clean_server: RunningServer
) -> None:
    server = clean_server
    row = MATRIX[fault]
    prompt = "a partial answer please"
    received = expected_answer(prompt)[: 8 * (AFTER - 1)]
    server.add_fault(fault, path=COMPLETIONS, after=AFTER)
    outcome = run_chat(mode, {"max_retries": 0, "timeout": TIMEOUT}, server, prompt, stream)
    error = outcome.error
    assert isinstance(error, row.cls), repr(error)
    if fault == "drop_after_events":
        assert type(error) is exc.QwenStreamInterruptedError
    if stream:  # what the caller already printed is exactly what the exception says it got
        assert "".join(outcome.chunks) == received
    assert error.partial_content == received
    assert_released(outcome, server)


# --------------------------------------------------------------------------------------------------
# 3. Faults on the first attempts only are retried to success


def _retry_cases() -> list[Any]:
    cases = []
    for fault in sorted(name for name, row in MATRIX.items() if row.retryable):
        for stream in (False, True):
            cases.append(pytest.param(fault, stream, id=f"{fault}-{'stream' if stream else 'whole'}"))
    return cases


@pytest.mark.parametrize(("fault", "stream"), _retry_cases())
def test_fault_on_the_first_attempt_is_retried_to_success(
    fault: str, stream: bool, mode: str, clean_server: RunningServer
) -> None:
    server = clean_server
    row = MATRIX[fault]
    prompt = f"retry {fault}"
    rule = server.add_fault(fault, times=1, path=COMPLETIONS, **row.params)
    outcome = run_chat(mode, {"max_retries": 2, "timeout": TIMEOUT}, server, prompt, stream)
    assert outcome.error is None, repr(outcome.error)
    answer = "".join(outcome.chunks) if stream else outcome.result.choices[0].message.content
    assert answer == expected_answer(prompt)
    assert server.state.attempts[rule.key] == 2
    assert outcome.elapsed < elapsed_bound(fault, row, 2)
    assert_released(outcome, server)


@pytest.mark.usefixtures("real_backoff")
@pytest.mark.parametrize("fault", ["http_503", "drop_before_headers", "envelope_internal_error"])
def test_faults_on_the_first_two_attempts_use_up_the_retries(fault: str, clean_server: RunningServer) -> None:
    server = clean_server
    row = MATRIX[fault]
    rule = server.add_fault(fault, times=2, path=COMPLETIONS, **row.params)
    outcome = run_chat("sync", {"max_retries": 2, "timeout": TIMEOUT}, server, "twice", False)
    assert outcome.error is None and outcome.result.choices[0].message.content == expected_answer("twice")
    assert server.state.attempts[rule.key] == 3
    assert_released(outcome, server)

    server.clear_faults()
    rule = server.add_fault(fault, times=2, path=COMPLETIONS, **row.params)
    outcome = run_chat("sync", {"max_retries": 1, "timeout": TIMEOUT}, server, "twice", False)
    assert type(outcome.error) is row.cls
    assert server.state.attempts[rule.key] == 2
    assert_released(outcome, server)


@pytest.mark.parametrize("fault", ["drop_after_events", "stall_between_events", "stream_error_string"])
def test_whole_answer_retried_after_a_partial_answer_is_not_duplicated(
    fault: str, mode: str, clean_server: RunningServer
) -> None:
    server = clean_server
    rule = server.add_fault(fault, times=1, path=COMPLETIONS, after=AFTER)
    outcome = run_chat(mode, {"max_retries": 2, "timeout": TIMEOUT}, server, "no duplicates", False)
    assert outcome.error is None, repr(outcome.error)
    assert outcome.result.choices[0].message.content == expected_answer("no duplicates")
    assert server.state.attempts[rule.key] == 2
    assert_released(outcome, server)


@pytest.mark.parametrize("fault", ["drop_after_events", "stall_between_events", "stream_error_string"])
def test_stream_is_never_retried_after_content_was_handed_out(
    fault: str, mode: str, clean_server: RunningServer
) -> None:
    server = clean_server
    rule = server.add_fault(fault, times=1, path=COMPLETIONS, after=AFTER)
    outcome = run_chat(mode, {"max_retries": 2, "timeout": TIMEOUT}, server, "handed out", True)
    assert type(outcome.error) is MATRIX[fault].cls or (
        fault == "drop_after_events" and type(outcome.error) is exc.QwenStreamInterruptedError
    )
    assert "".join(outcome.chunks) == expected_answer("handed out")[:16]
    assert server.state.attempts[rule.key] == 1
    assert_released(outcome, server)


# --------------------------------------------------------------------------------------------------
# 4. Retry-After: honoured when short, never slept on when long


def test_short_retry_after_is_honoured(clean_server: RunningServer) -> None:
    server = clean_server
    rule = server.add_fault("http_503", times=2, path=COMPLETIONS, retry_after=0.3)
    outcome = run_chat("sync", {"max_retries": 2, "timeout": TIMEOUT}, server, "patience", False)
    assert outcome.error is None
    assert server.state.attempts[rule.key] == 3
    assert 0.6 <= outcome.elapsed < 3 * PER_ATTEMPT + 0.6 + SLACK
    assert_released(outcome, server)


@pytest.mark.parametrize("fault", ["http_429", "envelope_rate_limited"])
def test_long_retry_after_is_raised_at_once(fault: str, mode: str, clean_server: RunningServer) -> None:
    server = clean_server
    params = {"retry_after": 61} if fault == "http_429" else {"num": 3}
    rule = server.add_fault(fault, path=COMPLETIONS, **params)
    outcome = run_chat(mode, {"max_retries": 5, "timeout": TIMEOUT}, server, "later", False)
    assert type(outcome.error) is exc.RateLimitError
    assert outcome.error.retry_after == (61 if fault == "http_429" else 3 * 3600)
    assert server.state.attempts[rule.key] == 1
    assert outcome.elapsed < PER_ATTEMPT + SLACK
    assert_released(outcome, server)


@pytest.mark.parametrize("fault", STALLS)
def test_timeout_bounds_an_injected_client_without_one(fault: str, mode: str, clean_server: RunningServer) -> None:
    """``timeout=`` applies to every request, also through a caller's ``http_client`` that has none."""
    server = clean_server
    server.add_fault(fault, path=COMPLETIONS)
    kwargs: dict[str, Any] = {"api_key": TOKEN, "base_url": server.url, "max_retries": 0, "timeout": TIMEOUT}
    messages = [{"role": "user", "content": "no timeout of its own"}]

    async def call_async() -> None:
        async with httpx.AsyncClient(timeout=None) as http, Qwen(http_client=http, **kwargs) as client:
            await client.chat.acreate(messages, model=MODEL, stream=True)

    started = time.monotonic()
    with pytest.raises(exc.QwenTimeoutError):
        if mode == "sync":
            with httpx.Client(timeout=None) as http, Qwen(http_client=http, **kwargs) as client:
                client.chat.create(messages, model=MODEL, stream=True)
        else:
            asyncio.run(call_async())
    assert time.monotonic() - started < TIMEOUT + PER_ATTEMPT + SLACK
