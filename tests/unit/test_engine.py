"""The engine's plans driven by hand, without I/O: which failures are retried and after how long, the
token rules around each attempt, how a JSON answer becomes a result or a typed error, how a stream
that is not one is read, closed and reported, and what ``total_timeout`` reads as.

Every effect a plan yields is answered by a small script, so each test states exactly what the
"network" did and asserts every effect the plan asked for (``make mutate MODULE=_engine``)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from qwen_api import _engine
from qwen_api._engine import (
    Close,
    Deadline,
    OpenStream,
    Plan,
    Policy,
    RawResponse,
    ReadRest,
    RefreshToken,
    RequestSpec,
    Send,
    Sleep,
    StreamHandle,
    ensure_fresh,
    is_retryable,
    json_attempt,
    json_call,
    open_event_stream,
    retry_delay,
    with_retries,
)
from qwen_api.core.exceptions import (
    QwenAPIError,
    QwenAPIStatus5xxError,
    QwenAPIStatusError,
    QwenAuthenticationError,
    QwenConnectionError,
    QwenInternalError,
    QwenInvalidRequestError,
    QwenNotFoundError,
    QwenPermissionError,
    QwenStreamInterruptedError,
    QwenTimeoutError,
    QwenUploadError,
    RateLimitError,
)

URL = "http://qwen.test/api/v2/chats/new"
SPEC = RequestSpec("POST", URL, {"content-type": "application/json"}, {"title": "x"}, operation="chats.new")


def run(plan: Plan[Any], answer: Callable[[Any], Any]) -> tuple[Any, list[Any]]:
    """Drive ``plan`` to its end: each effect goes to ``answer``, whose return value (or raised
    error) the plan receives. Returns the plan's result and every effect it yielded."""
    effects: list[Any] = []
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = plan.throw(error) if error is not None else plan.send(value)
        except StopIteration as stop:
            return stop.value, effects
        effects.append(effect)
        value, error = None, None
        try:
            value = answer(effect)
        except QwenAPIError as exc:
            error = exc


def raising(plan: Plan[Any], answer: Callable[[Any], Any]) -> tuple[BaseException, list[Any]]:
    """Like :func:`run` for a plan that must fail: its error and the effects before it."""
    effects: list[Any] = []

    def recording(effect: Any) -> Any:
        effects.append(effect)
        return answer(effect)

    with pytest.raises(BaseException) as caught:
        run(plan, recording)
    return caught.value, effects


def response(status: int = 200, body: bytes = b"{}", content_type: str | None = "application/json") -> RawResponse:
    headers = {"Content-Type": content_type} if content_type else {}
    return RawResponse(status, headers, body, URL)


# --------------------------------------------------------------------------------------------
# total_timeout
# --------------------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(_engine.time, "monotonic", lambda: now[0])
    return now


def test_no_total_timeout_is_no_deadline() -> None:
    assert Deadline.after(None) is None


def test_a_deadline_counts_down_from_its_start(clock: list[float]) -> None:
    deadline = Deadline.after(2.5)
    assert deadline == Deadline(1002.5, 2.5)
    clock[0] = 1001.0
    assert deadline.remaining() == 1.5
    assert deadline.check("POST", URL) == 1.5
    clock[0] = 1002.0
    assert deadline.check("POST", URL) == 0.5  # under a second left is still time left
    clock[0] = 1003.0
    assert deadline.remaining() == -0.5


@pytest.mark.parametrize("now", [1002.5, 1004.0], ids=["exactly-at", "after"])
def test_a_passed_deadline_raises_a_timeout_naming_the_limit(clock: list[float], now: float) -> None:
    deadline = Deadline.after(2.5)
    assert deadline is not None
    clock[0] = now
    with pytest.raises(QwenTimeoutError) as caught:
        deadline.check("POST", URL)
    error = caught.value
    assert error.message == "the call took longer than total_timeout=2.5s"
    assert (error.code, error.method, error.url) == ("total_timeout", "POST", URL)


def test_the_deadline_error_without_a_request() -> None:
    error = Deadline(0.0, 30.0).error()
    assert error.message == "the call took longer than total_timeout=30s"
    assert (error.code, error.method, error.url) == ("total_timeout", None, None)


# --------------------------------------------------------------------------------------------
# What is retried
# --------------------------------------------------------------------------------------------

RETRIED: list[tuple[str, QwenAPIError]] = [
    ("connection", QwenConnectionError("reset")),
    ("stream-interrupted", QwenStreamInterruptedError("cut")),
    ("timeout", QwenTimeoutError("slow")),
    ("rate-limit-no-hint", RateLimitError("slow down", status_code=429)),
    ("rate-limit-60s", RateLimitError("slow down", status_code=429, retry_after=60.0)),
    ("rate-limit-0s", RateLimitError("slow down", status_code=429, retry_after=0.0)),
    ("upload-500", QwenUploadError("storage failed", status_code=500)),
    ("upload-503", QwenUploadError("storage failed", status_code=503)),
    ("upload-token-expired", QwenUploadError("sts", status_code=403, code="SecurityTokenExpired")),
    ("upload-key-id", QwenUploadError("sts", status_code=403, code="InvalidAccessKeyId")),
    ("upload-skew", QwenUploadError("clock", status_code=403, code="RequestTimeTooSkewed")),
    ("upload-internal", QwenUploadError("oss", code="InternalError")),
    ("code-internal", QwenAPIError("busy", code="internal_error")),
    ("code-internal-any-case", QwenAPIError("busy", code="Internal_Error")),
    ("code-too-many", QwenAPIError("busy", code="too_many_requests")),
    ("code-parallel", QwenAPIError("busy", code="ParallelLimited")),
    ("bad-request-internal", QwenInvalidRequestError("Internal Error, try later", status_code=400, code="Bad_Request")),
    ("5xx-500", QwenAPIStatus5xxError("HTTP 500", status_code=500)),
    ("5xx-502", QwenAPIStatus5xxError("HTTP 502", status_code=502)),
    ("5xx-503", QwenAPIStatus5xxError("HTTP 503", status_code=503)),
    ("5xx-509", QwenAPIStatus5xxError("HTTP 509", status_code=509)),
    ("5xx-512", QwenAPIStatus5xxError("HTTP 512", status_code=512)),
    ("408", QwenAPIStatusError("HTTP 408", status_code=408)),
    ("409", QwenAPIStatusError("HTTP 409", status_code=409)),
    ("should-retry-true", QwenNotFoundError("gone", status_code=404, headers={"X-Should-Retry": "true"})),
]

NOT_RETRIED: list[tuple[str, QwenAPIError]] = [
    ("plain", QwenAPIError("no")),
    ("rate-limit-61s", RateLimitError("slow down", status_code=429, retry_after=61.0)),
    ("upload-499", QwenUploadError("storage refused", status_code=499)),
    ("upload-denied", QwenUploadError("denied", status_code=403, code="AccessDenied")),
    ("upload-no-status", QwenUploadError("failed")),
    ("upload-code-of-the-chat-service", QwenUploadError("busy", status_code=400, code="internal_error")),
    ("code-other", QwenAPIError("busy", code="quota")),
    ("bad-request", QwenInvalidRequestError("messages must not be empty", status_code=400, code="bad_request")),
    ("internal-error-other-code", QwenInvalidRequestError("Internal error", status_code=400, code="invalid")),
    ("internal-error-not-4xx", QwenAPIError("Internal error", code="bad_request")),
    *[
        (f"5xx-{status}", QwenAPIStatus5xxError(f"HTTP {status}", status_code=status))
        for status in (501, 505, 506, 507, 508, 510, 511)
    ],
    ("400", QwenAPIStatusError("HTTP 400", status_code=400)),
    ("404", QwenNotFoundError("HTTP 404", status_code=404)),
    ("407", QwenAPIStatusError("HTTP 407", status_code=407)),
    ("410", QwenAPIStatusError("HTTP 410", status_code=410)),
    ("408-not-a-status-error", QwenAPIError("HTTP 408", status_code=408)),
    ("auth", QwenAuthenticationError("expired", status_code=401)),
    ("should-retry-false", QwenConnectionError("reset", headers={"x-should-retry": "false"})),
    (
        "should-retry-false-on-5xx",
        QwenAPIStatus5xxError("HTTP 503", status_code=503, headers={"X-SHOULD-RETRY": "false"}),
    ),
]


@pytest.mark.parametrize(("name", "error"), RETRIED, ids=[name for name, _ in RETRIED])
def test_retried(name: str, error: QwenAPIError) -> None:
    assert is_retryable(error) is True


@pytest.mark.parametrize(("name", "error"), NOT_RETRIED, ids=[name for name, _ in NOT_RETRIED])
def test_not_retried(name: str, error: QwenAPIError) -> None:
    assert is_retryable(error) is False


def test_a_should_retry_header_with_another_value_is_ignored() -> None:
    assert is_retryable(QwenConnectionError("reset", headers={"x-should-retry": "maybe"})) is True
    assert is_retryable(QwenNotFoundError("gone", status_code=404, headers={"x-should-retry": "1"})) is False


# --------------------------------------------------------------------------------------------
# How long to wait
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hint", [0.0, 2.5, 60.0])
def test_the_services_hint_is_the_delay(hint: float) -> None:
    assert retry_delay(RateLimitError("slow", retry_after=hint), 3) == hint


@pytest.mark.parametrize(
    ("retries", "jitter", "expected"),
    [(0, 0.0, 0.5), (1, 0.0, 1.0), (2, 0.0, 2.0), (4, 0.0, 8.0), (5, 0.0, 8.0), (0, 1.0, 0.375), (1, 0.5, 0.875)],
)
@pytest.mark.parametrize("hint", [None, -1.0, 61.0], ids=["no-hint", "negative-hint", "hint-too-long"])
def test_exponential_backoff_with_jitter(
    monkeypatch: pytest.MonkeyPatch, retries: int, jitter: float, expected: float, hint: float | None
) -> None:
    """0.5 s doubling up to 8 s, minus up to a quarter at random; a hint outside 0..60 s is not used."""
    monkeypatch.setattr(_engine.random, "random", lambda: jitter)
    assert retry_delay(QwenConnectionError("reset", retry_after=hint), retries) == pytest.approx(expected)


# --------------------------------------------------------------------------------------------
# The token around each attempt
# --------------------------------------------------------------------------------------------


class FakeAuth:
    """What the engine reads of a TokenManager."""

    def __init__(self, *, needs: bool = False, can: bool = True, expired: bool = False) -> None:
        self.needs, self.can_refresh, self.is_expired = needs, can, expired
        self.generation = 7

    def needs_refresh(self) -> bool:
        return self.needs

    def expired(self) -> bool:
        return self.is_expired

    def expired_error(self) -> QwenAuthenticationError:
        return QwenAuthenticationError("token expired at 12:00; sign in again", status_code=401, code="token_expired")


def renewing(auth: FakeAuth) -> Callable[[Any], Any]:
    """A driver that performs refreshes: the token is fresh (and its generation new) afterwards."""

    def answer(effect: Any) -> Any:
        assert isinstance(effect, RefreshToken)
        assert effect.auth is auth
        auth.generation += 1
        auth.needs = False
        return None

    return answer


def test_a_fresh_token_is_used_as_it_is() -> None:
    auth = FakeAuth()
    assert run(ensure_fresh(auth), renewing(auth)) == (None, [])  # type: ignore[arg-type]


def test_a_token_about_to_expire_is_renewed_first() -> None:
    auth = FakeAuth(needs=True)
    _, effects = run(ensure_fresh(auth), renewing(auth))  # type: ignore[arg-type]
    assert effects == [RefreshToken(auth, 7)]  # type: ignore[arg-type]


def test_an_expired_token_that_cannot_be_renewed_fails_before_sending() -> None:
    auth = FakeAuth(needs=True, can=False, expired=True)
    error, effects = raising(ensure_fresh(auth), renewing(auth))  # type: ignore[arg-type]
    assert isinstance(error, QwenAuthenticationError) and error.code == "token_expired" and effects == []


def test_a_token_near_its_end_without_a_refresh_token_is_still_sent() -> None:
    auth = FakeAuth(needs=True, can=False, expired=False)
    assert run(ensure_fresh(auth), renewing(auth)) == (None, [])  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# with_retries
# --------------------------------------------------------------------------------------------


class Attempts:
    """Attempt ``n`` raises ``outcomes[n]`` (an error) or returns it; records what each was told."""

    def __init__(self, *outcomes: Any) -> None:
        self.outcomes = list(outcomes)
        self.seen: list[int] = []

    def __call__(self, retries: int) -> Plan[Any]:
        self.seen.append(retries)
        outcome = self.outcomes[len(self.seen) - 1]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome
        yield  # a generator


def no_io(effect: Any) -> Any:
    assert isinstance(effect, Sleep), effect
    return None


@pytest.fixture
def no_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_engine.random, "random", lambda: 0.0)


def test_a_first_success_sleeps_never() -> None:
    attempts = Attempts("answer")
    assert run(with_retries(attempts, Policy(max_retries=2), "chats.new"), no_io) == ("answer", [])
    assert attempts.seen == [0]


@pytest.mark.usefixtures("no_jitter")
def test_retryable_failures_back_off_until_success(caplog: pytest.LogCaptureFixture) -> None:
    attempts = Attempts(QwenConnectionError("reset"), QwenAPIStatus5xxError("HTTP 502", status_code=502), "answer")
    with caplog.at_level(logging.DEBUG, logger="qwen_api"):
        result, effects = run(with_retries(attempts, Policy(max_retries=2), "chats.new"), no_io)
    assert (result, effects) == ("answer", [Sleep(0.5), Sleep(1.0)])
    assert attempts.seen == [0, 1, 2]
    lines = [record.getMessage() for record in caplog.records if record.name == "qwen_api"]
    assert lines == [
        "chats.new failed (QwenConnectionError: reset); retry 1 of 2 in 0.50s",
        "chats.new failed (QwenAPIStatus5xxError: HTTP 502); retry 2 of 2 in 1.00s",
    ]


@pytest.mark.usefixtures("no_jitter")
def test_the_last_failure_is_raised_once_retries_are_spent() -> None:
    last = QwenTimeoutError("slow again")
    attempts = Attempts(QwenTimeoutError("slow"), last)
    error, effects = raising(with_retries(attempts, Policy(max_retries=1), "x"), no_io)
    assert error is last and effects == [Sleep(0.5)] and attempts.seen == [0, 1]


def test_no_retries_means_the_first_failure_is_raised() -> None:
    first = QwenConnectionError("reset")
    error, effects = raising(with_retries(Attempts(first, "answer"), Policy(max_retries=0), "x"), no_io)
    assert error is first and effects == []


def test_a_failure_that_cannot_succeed_is_raised_at_once() -> None:
    refused = QwenInvalidRequestError("bad model", status_code=400)
    error, effects = raising(with_retries(Attempts(refused, "answer"), Policy(max_retries=5), "x"), no_io)
    assert error is refused and effects == []


def test_the_services_retry_hint_is_slept() -> None:
    attempts = Attempts(RateLimitError("slow", status_code=429, retry_after=3.0), "answer")
    assert run(with_retries(attempts, Policy(max_retries=1), "x"), no_io) == ("answer", [Sleep(3.0)])


def test_the_token_is_checked_before_every_attempt() -> None:
    auth = FakeAuth(needs=True)
    attempts = Attempts(QwenConnectionError("reset"), "answer")

    def answer(effect: Any) -> Any:
        if isinstance(effect, RefreshToken):
            auth.generation += 1
            auth.needs = True  # (still short-lived: renewed again before the retry)
        return None

    result, effects = run(with_retries(attempts, Policy(max_retries=1, auth=auth), "x"), answer)  # type: ignore[arg-type]
    assert result == "answer"
    assert [type(effect) for effect in effects] == [RefreshToken, Sleep, RefreshToken]
    assert [effect.generation for effect in effects if isinstance(effect, RefreshToken)] == [7, 8]


def test_a_refusal_refreshes_once_without_spending_a_retry(caplog: pytest.LogCaptureFixture) -> None:
    auth = FakeAuth()
    attempts = Attempts(QwenAuthenticationError("expired", status_code=401), QwenConnectionError("reset"), "answer")

    def answer(effect: Any) -> Any:
        if isinstance(effect, RefreshToken):
            auth.generation += 1
        return None

    with caplog.at_level(logging.DEBUG, logger="qwen_api"):
        result, effects = run(with_retries(attempts, Policy(max_retries=1, auth=auth), "chats.new"), answer)  # type: ignore[arg-type]
    assert result == "answer"
    assert caplog.records[0].getMessage() == (
        "chats.new was refused as unauthenticated; refreshing the token and retrying once"
    )
    assert [type(effect) for effect in effects] == [RefreshToken, Sleep]
    assert effects[0] == RefreshToken(auth, 7)  # type: ignore[arg-type]
    assert attempts.seen == [0, 0, 1]  # the attempt after the refresh is still "no retries taken"


def test_a_second_refusal_after_the_refresh_is_raised() -> None:
    auth = FakeAuth()
    second = QwenAuthenticationError("still refused", status_code=401)
    attempts = Attempts(QwenAuthenticationError("expired", status_code=401), second, "answer")
    error, effects = raising(with_retries(attempts, Policy(max_retries=3, auth=auth), "x"), renewing(auth))  # type: ignore[arg-type]
    assert error is second and [type(effect) for effect in effects] == [RefreshToken]


def test_a_refusal_of_an_expired_token_says_it_expired() -> None:
    auth = FakeAuth(can=False, expired=True)
    auth.needs = False  # (sent while still valid; expired in flight)
    refused = QwenAuthenticationError("Unauthorized", status_code=401)
    error, effects = raising(with_retries(Attempts(refused), Policy(max_retries=3, auth=auth), "x"), no_io)  # type: ignore[arg-type]
    assert isinstance(error, QwenAuthenticationError) and error.code == "token_expired"
    assert error.__cause__ is refused and effects == []


def test_a_refusal_without_a_refresh_token_is_raised_as_it_is() -> None:
    auth = FakeAuth(can=False)
    refused = QwenAuthenticationError("Unauthorized", status_code=401)
    error, _ = raising(with_retries(Attempts(refused), Policy(max_retries=3, auth=auth), "x"), no_io)  # type: ignore[arg-type]
    assert error is refused


@pytest.mark.parametrize("with_auth", [True, False], ids=["with-auth", "without-auth"])
def test_a_permission_error_is_never_refreshed(with_auth: bool) -> None:
    auth = FakeAuth() if with_auth else None
    denied = QwenPermissionError("forbidden", status_code=403)
    error, effects = raising(with_retries(Attempts(denied), Policy(max_retries=3, auth=auth), "x"), no_io)  # type: ignore[arg-type]
    assert error is denied and effects == []


def test_a_refusal_without_credentials_to_renew_is_raised() -> None:
    refused = QwenAuthenticationError("Unauthorized", status_code=401)
    error, effects = raising(with_retries(Attempts(refused), Policy(max_retries=3), "x"), no_io)
    assert error is refused and effects == []


def test_a_token_renewed_by_another_call_is_retried_without_a_refresh(caplog: pytest.LogCaptureFixture) -> None:
    auth = FakeAuth()

    def refused_after_a_renewal_elsewhere(retries: int) -> Plan[str]:
        auth.generation += 1
        raise QwenAuthenticationError("expired", status_code=401)
        yield

    calls = iter([refused_after_a_renewal_elsewhere, Attempts("answer")])

    def attempt(retries: int) -> Plan[Any]:
        return next(calls)(retries)

    with caplog.at_level(logging.DEBUG, logger="qwen_api"):
        result, effects = run(with_retries(attempt, Policy(max_retries=0, auth=auth), "chats.new"), no_io)  # type: ignore[arg-type]
    assert (result, effects) == ("answer", [])
    assert [record.getMessage() for record in caplog.records] == [
        "chats.new was refused with a token renewed meanwhile; retrying with the new one"
    ]


# --------------------------------------------------------------------------------------------
# JSON calls
# --------------------------------------------------------------------------------------------


def answered(reply: RawResponse) -> Callable[[Any], Any]:
    def answer(effect: Any) -> Any:
        assert effect == Send(SPEC)
        return reply

    return answer


def test_a_json_answer_is_parsed_once_by_the_given_parser() -> None:
    seen: list[Any] = []

    def parse(body: Any) -> str:
        seen.append(body)
        return "parsed"

    result, effects = run(json_attempt(SPEC, parse), answered(response(body=b'{"data": {"id": "c1"}}')))
    assert (result, effects, seen) == ("parsed", [Send(SPEC)], [{"data": {"id": "c1"}}])


def test_a_bare_json_scalar_reaches_the_parser() -> None:
    result, _ = run(json_attempt(SPEC, lambda body: body), answered(response(body=b"42", content_type="text/plain")))
    assert result == 42


def test_an_error_answer_raises_its_mapped_error() -> None:
    reply = response(503, b'{"detail": "down for maintenance"}')
    error, _ = raising(json_attempt(SPEC, lambda body: body), answered(reply))
    assert isinstance(error, QwenAPIStatus5xxError) and error.status_code == 503
    assert error.message == "HTTP 503: down for maintenance"  # the body reached the error mapping
    assert error.method == "POST" and error.url == URL


@pytest.mark.parametrize(
    ("body", "shown"),
    [(b"hello", "hello"), (b"", ""), (b"\xff\xfe not text", "\ufffd\ufffd not text"), (b"x" * 600, "x" * 500)],
    ids=["text", "empty", "not-utf8", "long"],
)
def test_an_answer_that_is_not_json_is_an_internal_error(body: bytes, shown: str) -> None:
    error, _ = raising(json_attempt(SPEC, lambda b: b), answered(response(body=body, content_type="text/plain")))
    assert isinstance(error, QwenInternalError)
    assert error.message == "chats.new answered something that is not JSON"
    assert (error.body, error.method, error.url) == (shown, "POST", URL)
    assert error.__suppress_context__


def test_without_an_operation_name_the_url_names_the_call() -> None:
    spec = RequestSpec("GET", URL, {})
    error, _ = raising(json_attempt(spec, lambda b: b), lambda effect: response(body=b"nope", content_type=None))
    assert error.args[0] == f"{URL} answered something that is not JSON"


@pytest.mark.parametrize(
    ("failure", "described"),
    [
        (KeyError("id"), "KeyError: 'id'"),
        (TypeError("not a mapping"), "TypeError: not a mapping"),
        (ValueError("bad date"), "ValueError: bad date"),
        (AttributeError("no get"), "AttributeError: no get"),
    ],
)
def test_an_answer_of_an_unexpected_shape_is_an_internal_error(failure: Exception, described: str) -> None:
    def parse(body: Any) -> Any:
        raise failure

    error, _ = raising(json_attempt(SPEC, parse), answered(response(body=b'{"data": []}')))
    assert isinstance(error, QwenInternalError)
    assert error.message == f"chats.new answered an unexpected shape ({described})"
    assert (error.body, error.method, error.url) == ({"data": []}, "POST", URL)
    assert error.__suppress_context__


def test_a_typed_error_from_the_parser_passes_through() -> None:
    refused = QwenNotFoundError("no such chat", status_code=404)

    def parse(body: Any) -> Any:
        raise refused

    error, _ = raising(json_attempt(SPEC, parse), answered(response()))
    assert error is refused


def test_a_bug_in_the_parser_is_not_disguised() -> None:
    def parse(body: Any) -> Any:
        raise ZeroDivisionError("bug")

    with pytest.raises(ZeroDivisionError):
        run(json_attempt(SPEC, parse), answered(response()))


@pytest.mark.usefixtures("no_jitter")
def test_a_json_call_retries_its_attempts(caplog: pytest.LogCaptureFixture) -> None:
    replies = iter([response(502, b"{}"), response(body=b'{"ok": true}')])

    def answer(effect: Any) -> Any:
        return None if isinstance(effect, Sleep) else next(replies)

    with caplog.at_level(logging.DEBUG, logger="qwen_api"):
        result, effects = run(json_call(SPEC, lambda body: body["ok"], Policy(max_retries=1)), answer)
    assert result is True and effects == [Send(SPEC), Sleep(0.5), Send(SPEC)]
    assert caplog.records[0].getMessage().startswith("chats.new failed (QwenAPIStatus5xxError: HTTP 502)")


def test_a_json_call_without_an_operation_logs_its_url(caplog: pytest.LogCaptureFixture) -> None:
    spec = RequestSpec("GET", URL, {})
    replies = iter([response(503, b"{}"), response()])
    with caplog.at_level(logging.DEBUG, logger="qwen_api"):
        run(json_call(spec, dict, Policy(max_retries=1)), lambda e: None if isinstance(e, Sleep) else next(replies))
    assert caplog.records[0].getMessage().startswith(f"{URL} failed (")


# --------------------------------------------------------------------------------------------
# Event streams
# --------------------------------------------------------------------------------------------


def handle(status: int, content_type: str | None, header: str = "content-type") -> StreamHandle:
    headers = {header: content_type} if content_type is not None else {}
    return StreamHandle(status, headers, URL, response=object(), chunks=iter(()))


def streaming(opened: StreamHandle, rest: bytes | QwenAPIError = b"") -> Callable[[Any], Any]:
    def answer(effect: Any) -> Any:
        if isinstance(effect, OpenStream):
            assert effect.spec is SPEC
            return opened
        if isinstance(effect, ReadRest):
            assert effect.handle is opened
            if isinstance(rest, QwenAPIError):
                raise rest
            return rest
        assert effect == Close(opened)
        return None

    return answer


@pytest.mark.parametrize(
    ("content_type", "header"),
    [
        ("text/event-stream", "content-type"),
        ("Text/Event-Stream; charset=utf-8", "Content-Type"),
        ("text/event-stream", "CONTENT-TYPE"),
    ],
)
def test_an_event_stream_is_handed_back_open(content_type: str, header: str) -> None:
    opened = handle(200, content_type, header)
    result, effects = run(open_event_stream(SPEC), streaming(opened))
    assert result is opened and effects == [OpenStream(SPEC)]


@pytest.mark.parametrize(
    ("status", "kind"), [(400, QwenInvalidRequestError), (429, RateLimitError)], ids=["400", "429"]
)
def test_an_error_status_with_an_event_stream_type_is_read_closed_and_raised(
    status: int, kind: type[QwenAPIError]
) -> None:
    opened = handle(status, "text/event-stream")
    error, effects = raising(open_event_stream(SPEC), streaming(opened, b'{"detail": "slow down"}'))
    assert isinstance(error, kind) and error.status_code == status
    assert (error.message, error.method, error.url) == (f"HTTP {status}: slow down", "POST", URL)
    assert effects == [OpenStream(SPEC), ReadRest(opened), Close(opened)]


def test_an_error_envelope_instead_of_events_is_raised() -> None:
    opened = handle(200, "application/json")
    body = json.dumps({"success": False, "data": {"code": "Not_Found", "details": "chat not found"}}).encode()
    error, effects = raising(open_event_stream(SPEC), streaming(opened, body))
    assert isinstance(error, QwenNotFoundError) and error.message == "chat not found"
    assert effects == [OpenStream(SPEC), ReadRest(opened), Close(opened)]


@pytest.mark.parametrize(
    ("content_type", "said"),
    [("application/json", "application/json"), (None, "no content type"), ("TEXT/PLAIN", "text/plain")],
)
def test_a_normal_answer_that_is_not_a_stream_is_an_internal_error(content_type: str | None, said: str) -> None:
    opened = handle(200, content_type)
    error, effects = raising(open_event_stream(SPEC), streaming(opened, b'{"ok": true}' + b" " * 600))
    assert isinstance(error, QwenInternalError)
    assert error.message == f"expected an event stream, got {said} (HTTP 200)"
    assert error.body == '{"ok": true}' + " " * 488 and (error.method, error.url) == ("POST", URL)
    assert effects == [OpenStream(SPEC), ReadRest(opened), Close(opened)]


def test_an_undecodable_body_instead_of_events_is_shown_replaced() -> None:
    error, _ = raising(open_event_stream(SPEC), streaming(handle(200, "application/octet-stream"), b"\xff{"))
    assert isinstance(error, QwenInternalError) and error.body == "\ufffd{"


def test_a_failed_read_of_the_error_body_still_closes_the_stream() -> None:
    opened = handle(500, "text/html")
    broken = QwenConnectionError("reset while reading the error page")
    error, effects = raising(open_event_stream(SPEC), streaming(opened, broken))
    assert error is broken
    assert effects == [OpenStream(SPEC), ReadRest(opened), Close(opened)]
