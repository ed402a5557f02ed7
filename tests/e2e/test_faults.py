"""Every fault the local server injects becomes the right exception, sync and async, stream and not.

Faults are applied as server rules on the completion endpoint only, so the chat is created normally
and the fault hits the answer; the client runs without retries so each case shows one attempt.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qwen_api import Qwen
from qwen_api.core import exceptions as exc
from qwen_api.testing import FAULTS, RunningServer, expected_answer
from tests.e2e.conftest import busy_connections, call, wait_until

COMPLETIONS = "/api/v2/chat/completions"

EXPECTED: dict[str, tuple[type[exc.QwenAPIError], int | None]] = {
    "http_429": (exc.RateLimitError, 429),
    "envelope_rate_limited": (exc.RateLimitError, 429),
    "envelope_bad_request": (exc.QwenInvalidRequestError, 400),
    "envelope_unauthorized": (exc.QwenAuthenticationError, 401),
    "envelope_token_expired": (exc.QwenAuthenticationError, 401),
    "envelope_internal_error": (exc.QwenAPIStatus5xxError, 500),
    "envelope_chat_not_found": (exc.QwenNotFoundError, 404),
    "waf_json": (exc.QwenAntiBotError, 403),
    "waf_html": (exc.QwenAntiBotError, 403),
    "http_500": (exc.QwenAPIStatus5xxError, 500),
    "http_502": (exc.QwenAPIStatus5xxError, 502),
    "http_503": (exc.QwenAPIStatus5xxError, 503),
    "drop_before_headers": (exc.QwenConnectionError, None),
    "drop_after_events": (exc.QwenConnectionError, None),
    "stall_before_headers": (exc.QwenTimeoutError, None),
    "stall_between_events": (exc.QwenTimeoutError, None),
    "malformed_event": (exc.QwenInternalError, None),
    "stream_error": (exc.QwenContentFilterError, 400),
    "stream_error_string": (exc.QwenAPIStatus5xxError, 500),
    "invalid_utf8": (exc.QwenInternalError, None),
}


def test_every_fault_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(FAULTS)


@pytest.fixture
def quick_client(server: RunningServer) -> Iterator[Qwen]:
    with Qwen(api_key="t-123456", base_url=server.url, max_retries=0, timeout=1.0) as client:
        yield client


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_fault_raises_the_right_exception(
    fault: str, stream: bool, mode: str, quick_client: Qwen, server: RunningServer
) -> None:
    cls, status = EXPECTED[fault]
    server.add_fault(fault, path=COMPLETIONS)
    try:
        with pytest.raises(cls) as info:
            call(
                mode,
                quick_client,
                "chat.create",
                [{"role": "user", "content": "hi"}],
                model="qwen3.7-plus",
                stream=stream,
            )
    finally:
        server.clear_faults()
    error = info.value
    assert type(error) is cls or fault.startswith("drop"), f"{type(error).__name__} for {fault}"
    if status is not None:
        assert error.status_code == status
    if fault == "http_429":
        assert error.retry_after == 1
    if fault == "envelope_rate_limited":
        assert error.retry_after == 12 * 3600 and error.code == "RateLimited"
    assert error.url and COMPLETIONS in error.url
    assert "\n" not in str(error)
    assert busy_connections(quick_client) == 0


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_drop_mid_answer_keeps_the_partial_answer(
    stream: bool, mode: str, quick_client: Qwen, server: RunningServer
) -> None:
    server.add_fault("drop_after_events", path=COMPLETIONS, after=4)
    try:
        with pytest.raises(exc.QwenStreamInterruptedError) as info:
            call(
                mode,
                quick_client,
                "chat.create",
                [{"role": "user", "content": "tell me more"}],
                model="qwen3.7-plus",
                stream=stream,
            )
    finally:
        server.clear_faults()
    partial = info.value.partial_content
    assert partial and expected_answer("tell me more").startswith(partial)


@pytest.mark.parametrize(
    "fault", ["http_429", "http_503", "envelope_internal_error", "drop_before_headers", "stall_before_headers"]
)
def test_transient_faults_are_retried_to_success(fault: str, mode: str, server: RunningServer) -> None:
    rule = server.add_fault(fault, times=1, path=COMPLETIONS, retry_after=0)
    try:
        with Qwen(api_key="t-123456", base_url=server.url, max_retries=2, timeout=1.0) as client:
            response = call(mode, client, "chat.create", [{"role": "user", "content": "again"}], model="qwen3.7-plus")
    finally:
        server.clear_faults()
    assert response.choices[0].message.content == expected_answer("again")
    assert server.state.attempts[rule.key] == 2


@pytest.mark.parametrize("fault", ["envelope_unauthorized", "waf_json", "envelope_rate_limited", "stream_error"])
def test_permanent_faults_are_not_retried(fault: str, server: RunningServer) -> None:
    rule = server.add_fault(fault, path=COMPLETIONS)
    try:
        with Qwen(api_key="t-123456", base_url=server.url, max_retries=3) as client, pytest.raises(exc.QwenAPIError):
            client.chat.create([{"role": "user", "content": "x"}], model="qwen3.7-plus")
    finally:
        server.clear_faults()
    assert server.state.attempts[rule.key] == 1


def test_header_selected_fault_through_default_headers(server: RunningServer) -> None:
    headers = {"x-qwen-mock-fault": "envelope_unauthorized"}
    with Qwen(api_key="t-123456", base_url=server.url, default_headers=headers) as client:
        with pytest.raises(exc.QwenAuthenticationError):
            client.completion.create(model="qwen3.7-plus", prompt="x")
        assert wait_until(lambda: busy_connections(client) == 0)
