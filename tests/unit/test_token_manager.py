"""The token bookkeeping of ``qwen_api._auth``, driven without I/O and with a clock the test sets.

The end-to-end refresh tests (``tests/e2e/test_token_*.py``) show the behaviour over a socket but
need real seconds to pass; these pin the same decisions exactly: how a JWT's claims are read (odd
claims included), when a token counts as due for renewal or expired (to the second), what the
refresh request looks like, what a refresh answer changes, and how callers share one refresh.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from qwen_api._auth import REFRESH_SKEW, TokenManager, format_time, jwt_claims
from qwen_api._config import ClientConfig, resolve_config
from qwen_api._redaction import secrets
from qwen_api.core.exceptions import QwenAuthenticationError

NOW = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC
BASE = "http://127.0.0.1:8123"
AUTH_BASE = "http://127.0.0.1:8124"


def encode(payload: bytes) -> str:
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode()


HEADER = encode(b'{"alg": "HS256"}')
EXP_5 = encode(b'{"exp": 5}')


def jwt(claims: Any, *, ensure_ascii: bool = True) -> str:
    payload = json.dumps(claims, ensure_ascii=ensure_ascii).encode()
    return f"{HEADER}.{encode(payload)}.signature-not-checked"


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def config(token: str, *, refresh_token: str | None = None, cookie: str | None = None) -> ClientConfig:
    return resolve_config(
        api_key=token,
        cookie=cookie,
        base_url=BASE,
        auth_base_url=AUTH_BASE,
        timeout=None,
        max_retries=None,
        default_headers=None,
        refresh_token=refresh_token,
        environ={},
    )


def manager(token: str, *, refresh_token: str | None = None, clock: Clock | None = None, **kwargs: Any) -> TokenManager:
    return TokenManager(config(token, refresh_token=refresh_token), clock=clock or Clock(), **kwargs)


# -- reading the claims ---------------------------------------------------------------------------


@pytest.mark.parametrize("tail", ["", "a", "aa"], ids=["no-padding", "two-pad", "one-pad"])
def test_claims_are_read_from_unpadded_urlsafe_base64(tail: str) -> None:
    # "ÿ>>>?" encodes to both "-" and "_", the two characters that differ from standard base64.
    claims = {"exp": 2_000_000_000, "sub": "ÿ>>>?" + tail}
    token = jwt(claims, ensure_ascii=False)
    assert "-" in token.split(".")[1] and "_" in token.split(".")[1]
    assert jwt_claims(token) == claims


def test_the_claims_are_the_middle_part() -> None:
    signature = encode(b'{"sig": 1}')
    assert jwt_claims(f"{HEADER}.{EXP_5}.{signature}") == {"exp": 5}


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("opaque-session-token", id="no-dots"),
        pytest.param(f"{HEADER}.{EXP_5}", id="two-parts"),
        pytest.param(f"a.{EXP_5}.c.d", id="four-parts"),
        pytest.param("a.!!!!.c", id="not-base64"),
        pytest.param(f"a.{encode(b'not json')}.c", id="not-json"),
        pytest.param(f"a.{encode(bytes([0xFF, 0xFE]))}.c", id="not-utf8"),
        pytest.param(f"a.{encode(b'[1, 2]')}.c", id="json-list"),
        pytest.param(f"a.{encode(b'5')}.c", id="json-number"),
    ],
)
def test_a_token_that_is_not_a_jwt_has_no_claims(token: str) -> None:
    assert jwt_claims(token) is None
    auth = manager(token)
    assert auth.expires_at is None
    assert not auth.needs_refresh() and not auth.expired()


def test_format_time_is_utc_whatever_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    try:
        assert format_time(NOW) == "2027-01-15 08:00:00 UTC"
        assert format_time(0) == "1970-01-01 00:00:00 UTC"
    finally:
        monkeypatch.undo()
        time.tzset()


# -- expiry and the renewal margin ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "expires_at", "skew"),
    [
        pytest.param({"iat": NOW - 300, "exp": NOW + 600}, NOW + 600, 60.0, id="long-lived: one minute"),
        pytest.param({"iat": NOW, "exp": NOW + 200}, NOW + 200, 50.0, id="short-lived: a quarter"),
        pytest.param({"iat": NOW, "exp": NOW + 240}, NOW + 240, 60.0, id="quarter equals a minute"),
        pytest.param({"iat": NOW, "exp": NOW + 1}, NOW + 1, 0.25, id="one-second lifetime"),
        pytest.param({"iat": int(NOW), "exp": int(NOW) + 100}, NOW + 100, 25.0, id="integer claims"),
        pytest.param({"exp": NOW + 100}, NOW + 100, REFRESH_SKEW, id="exp without iat"),
        pytest.param({"exp": NOW + 100, "iat": 0}, NOW + 100, REFRESH_SKEW, id="iat zero"),
        pytest.param({"exp": NOW + 100, "iat": NOW + 100}, NOW + 100, REFRESH_SKEW, id="no lifetime"),
        pytest.param({"exp": NOW + 100, "iat": NOW + 200}, NOW + 100, REFRESH_SKEW, id="issued after expiry"),
        pytest.param({"exp": NOW + 100, "iat": "yesterday"}, NOW + 100, REFRESH_SKEW, id="string iat"),
        pytest.param({"exp": NOW + 100, "iat": True}, NOW + 100, REFRESH_SKEW, id="boolean iat"),
        pytest.param({"iat": NOW}, None, REFRESH_SKEW, id="iat without exp"),
        pytest.param({"exp": "tomorrow"}, None, REFRESH_SKEW, id="string exp"),
        pytest.param({"exp": True, "iat": NOW}, None, REFRESH_SKEW, id="boolean exp"),
        pytest.param({"exp": None}, None, REFRESH_SKEW, id="null exp"),
        pytest.param({"exp": [NOW]}, None, REFRESH_SKEW, id="list exp"),
    ],
)
def test_expiry_and_margin_from_claims(claims: dict[str, Any], expires_at: float | None, skew: float) -> None:
    auth = manager(jwt(claims))
    assert auth.expires_at == expires_at
    assert type(auth.expires_at) is (float if expires_at is not None else type(None))
    assert auth.skew == skew


def test_needs_refresh_from_the_margin_and_expired_at_exp_to_the_second() -> None:
    clock = Clock()
    auth = manager(jwt({"iat": NOW - 300, "exp": NOW + 600}), clock=clock)
    for now, needs, expired in [
        (NOW, False, False),
        (NOW + 539.5, False, False),
        (NOW + 540, True, False),  # exactly one minute left: renew now
        (NOW + 599.5, True, False),  # the last second: still usable
        (NOW + 600, True, True),  # at exp: expired
        (NOW + 10_000, True, True),
    ]:
        clock.now = now
        assert (auth.needs_refresh(), auth.expired()) == (needs, expired), now


def test_a_short_token_is_renewed_a_quarter_of_its_life_early() -> None:
    clock = Clock()
    auth = manager(jwt({"iat": NOW, "exp": NOW + 120}), clock=clock)
    clock.now = NOW + 89.5
    assert not auth.needs_refresh()
    clock.now = NOW + 90
    assert auth.needs_refresh() and not auth.expired()


def test_a_token_without_claims_never_needs_refresh_and_never_expires() -> None:
    auth = manager("opaque-session-token", clock=Clock(10**12))
    assert not auth.needs_refresh() and not auth.expired()


def test_the_remaining_lifetime_is_logged_without_the_token(caplog: pytest.LogCaptureFixture) -> None:
    token = jwt({"iat": NOW - 60, "exp": NOW + 840})
    with caplog.at_level(logging.DEBUG, logger="qwen_api"):
        manager(token)
        manager("opaque-session-token")
    assert [record.getMessage() for record in caplog.records] == ["access token valid for 840 more seconds"]


@pytest.mark.parametrize(
    ("refresh_token", "can"), [(None, False), ("", False), ("refresh-token-1234", True)], ids=["none", "empty", "set"]
)
def test_can_refresh_only_with_a_refresh_token(refresh_token: str | None, can: bool) -> None:
    auth = manager("opaque-session-token")
    auth.refresh_token = refresh_token
    assert auth.can_refresh is can


def test_the_refresh_token_comes_from_the_configuration() -> None:
    assert manager("opaque-session-token", refresh_token="refresh-token-1234").refresh_token == "refresh-token-1234"
    assert TokenManager(config("opaque-session-token", cookie="a=1; refresh_token=from-cookie-99")).can_refresh


def test_the_expired_error_names_the_expiry_and_the_ways_out() -> None:
    auth = manager(jwt({"iat": NOW - 900, "exp": NOW - 5}))
    assert auth.expired()
    error = auth.expired_error()
    assert isinstance(error, QwenAuthenticationError)
    assert (error.status_code, error.code) == (401, "Token_Expired")
    assert error.message == (
        "the Qwen token expired at 2027-01-15 07:59:55 UTC. Sign in at https://chat.qwen.ai again and copy a new "
        "token (QWEN_AUTH_TOKEN), or give the client a refresh token (refresh_token= or QWEN_REFRESH_TOKEN, or a "
        "cookie with refresh_token=) so it renews the token itself"
    )


def test_a_fresh_manager_starts_at_generation_zero() -> None:
    auth = manager("opaque-session-token")
    assert (auth.generation, auth.refresh_count, auth.on_refresh) == (0, 0, None)


# -- the credential headers -----------------------------------------------------------------------


def test_credentials_go_only_to_the_api_host() -> None:
    auth = TokenManager(config("opaque-session-token", cookie="token=old; ssxmod=abc; ; other=1"))
    expected = {
        "Authorization": "Bearer opaque-session-token",
        "Cookie": "token=opaque-session-token; ssxmod=abc; other=1",
    }
    assert auth.headers_for(BASE + "/api/v2/chats/new") == expected
    assert auth.headers_for(BASE + "/") == expected
    for elsewhere in [BASE, BASE + "0/api", AUTH_BASE + "/api/v2/auths/refresh", "https://oss.example/" + BASE]:
        assert auth.headers_for(elsewhere) == {}, elsewhere


# -- the refresh request and its answer -----------------------------------------------------------


def test_the_refresh_request_sends_only_the_refresh_token_to_the_auth_host() -> None:
    auth = manager("opaque-session-token", refresh_token="refresh-token-1234")
    method, url, headers = auth.refresh_request()
    assert (method, url) == ("GET", AUTH_BASE + "/api/v2/auths/refresh")
    assert headers == {
        "Accept": "application/json, text/plain, */*",
        "Accept-Encoding": "identity",  # as every other request of the SDK
        "source": "web",
        "Version": auth._config.frontend_version,
        "Cookie": "refresh_token=refresh-token-1234",
        "Origin": BASE,
        "Referer": BASE + "/",
    }


def pair(access: str, refresh: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"access_token": access}
    if refresh is not None:
        data["refresh_token"] = refresh
    return {"success": True, "data": data}


def test_a_refresh_answer_replaces_both_tokens(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[tuple[str, str | None]] = []
    clock = Clock()
    auth = manager(
        jwt({"iat": NOW - 900, "exp": NOW - 1}),
        refresh_token="refresh-token-1234",
        clock=clock,
        on_refresh=lambda access, refresh: seen.append((access, refresh)),
    )
    new_access = jwt({"iat": NOW, "exp": NOW + 200, "n": 1})
    with caplog.at_level(logging.DEBUG, logger="qwen_api"):
        auth.apply_refresh(pair(new_access, "refresh-token-5678"))
    assert (auth.access_token, auth.refresh_token) == (new_access, "refresh-token-5678")
    assert (auth.expires_at, auth.skew) == (NOW + 200, 50.0)
    assert not auth.expired() and not auth.needs_refresh()
    assert auth.headers_for(BASE + "/api")["Authorization"] == f"Bearer {new_access}"
    assert (auth.generation, auth.refresh_count) == (1, 1)
    assert seen == [(new_access, "refresh-token-5678")]
    assert "access token refreshed (refresh #1)" in [record.getMessage() for record in caplog.records]

    auth.apply_refresh(pair(jwt({"iat": NOW, "exp": NOW + 300, "n": 2})))
    assert auth.refresh_token == "refresh-token-5678"  # an answer without one keeps the current one
    assert (auth.generation, auth.refresh_count) == (2, 2)
    assert seen[-1][1] == "refresh-token-5678"


def test_both_refreshed_tokens_are_scrubbed_from_logs_from_then_on() -> None:
    # Fresh opaque values: a JWT would be scrubbed by its shape anyway, and the registry is per process.
    access, refresh = f"access-{uuid.uuid4().hex}", f"refresh-{uuid.uuid4().hex}"
    assert secrets.redact(f"{access} {refresh}") == f"{access} {refresh}"
    manager("opaque-session-token", refresh_token="refresh-token-1234").apply_refresh(pair(access, refresh))
    assert secrets.redact(f"sent {access} and {refresh}") == "sent <redacted> and <redacted>"


def test_an_empty_refresh_token_in_the_answer_is_taken_as_it_is() -> None:
    auth = manager("opaque-session-token", refresh_token="refresh-token-1234")
    auth.apply_refresh(pair("new-access-token-1", ""))
    assert auth.refresh_token == "" and not auth.can_refresh


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"success": True}, id="no-data"),
        pytest.param({"success": True, "data": {"access_token": ""}}, id="empty-access-token"),
        pytest.param({"data": {"access_token": "a", "refresh_token": "r"}}, id="no-success-key"),
        pytest.param([], id="a-list"),
        pytest.param("x", id="a-string"),
        pytest.param({"success": True, "data": "x"}, id="data-a-string"),
        pytest.param({"success": True, "data": {}}, id="data-empty"),
        pytest.param({"success": True, "data": {"access_token": 5}}, id="access-token-a-number"),
        pytest.param({"success": True, "data": {"access_token": "a", "refresh_token": 5}}, id="refresh-token-a-number"),
    ],
)
def test_a_refresh_answer_without_an_access_token_changes_nothing(body: Any) -> None:
    """Whatever a 200 refresh answer holds instead of the token pair, it is a typed authentication error."""
    auth = manager("opaque-session-token", refresh_token="refresh-token-1234")
    with pytest.raises(QwenAuthenticationError) as caught:
        auth.apply_refresh(body)
    assert caught.value.message == "the token refresh answered no access token"
    assert caught.value.status_code == 401 and caught.value.body == body
    assert (auth.access_token, auth.refresh_token, auth.generation) == ("opaque-session-token", "refresh-token-1234", 0)


@pytest.mark.parametrize(
    ("access", "refresh", "named"),
    [
        ("new-access\r\nX-Evil: 1", "refresh-token-5678", "the refreshed access token"),
        ("new-access-token-1", "refresh\ntoken", "the refreshed refresh token"),
    ],
)
def test_a_refresh_answer_with_an_unusable_token_changes_nothing(access: str, refresh: str, named: str) -> None:
    seen: list[object] = []
    auth = manager("opaque-session-token", refresh_token="refresh-token-1234", on_refresh=lambda *a: seen.append(a))
    with pytest.raises(QwenAuthenticationError) as caught:
        auth.apply_refresh(pair(access, refresh))
    assert caught.value.message.startswith(f"the token refresh answered an unusable token: {named} contains")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert access not in str(caught.value) and refresh not in str(caught.value)
    assert (auth.access_token, auth.refresh_token, auth.generation, seen) == (
        "opaque-session-token",
        "refresh-token-1234",
        0,
        [],
    )


def test_a_failing_refresh_callback_is_logged_and_the_new_token_kept(caplog: pytest.LogCaptureFixture) -> None:
    def broken(access: str, refresh: str | None) -> None:
        raise RuntimeError("disk full")

    auth = manager("opaque-session-token", refresh_token="refresh-token-1234", on_refresh=broken)
    with caplog.at_level(logging.DEBUG, logger="qwen_api"):
        auth.apply_refresh(pair("new-access-token-1", "refresh-token-5678"))
    assert auth.access_token == "new-access-token-1" and auth.generation == 1
    [warning] = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert warning.getMessage() == "on_token_refresh callback failed"
    assert "RuntimeError: disk full" in (warning.exc_text or "")  # the traceback, redacted by the log filter


# -- one refresh in flight ------------------------------------------------------------------------


@pytest.fixture
def auth() -> Iterator[TokenManager]:
    yield manager("opaque-session-token", refresh_token="refresh-token-1234")


def test_the_first_caller_leads_and_the_others_join(auth: TokenManager) -> None:
    leader = auth.begin_refresh(0)
    follower = auth.begin_refresh(0)
    assert leader is not None and follower is not None
    assert (leader.leader, follower.leader) == (True, False)
    assert follower.future is leader.future and follower.owner is auth
    assert not leader.future.done()
    leader.done()
    assert leader.future.done() and leader.future.exception() is None
    follower.wait()  # returns: the refresh succeeded
    again = auth.begin_refresh(0)
    assert again is not None and again.leader and again.future is not leader.future


def test_a_caller_that_saw_an_older_token_does_not_refresh(auth: TokenManager) -> None:
    auth.apply_refresh(pair("new-access-token-1"))
    assert auth.begin_refresh(0) is None
    flight = auth.begin_refresh(1)
    assert flight is not None and flight.leader


def test_waiters_raise_their_own_copy_of_the_leaders_error(auth: TokenManager) -> None:
    leader = auth.begin_refresh(0)
    followers = [auth.begin_refresh(0), auth.begin_refresh(0)]
    assert leader is not None
    original = QwenAuthenticationError("the refresh token was refused", status_code=401)
    leader.fail(original)
    raised = []
    for follower in followers:
        assert follower is not None
        with pytest.raises(QwenAuthenticationError) as caught:
            follower.wait()
        assert caught.value.message == "the refresh token was refused"
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
        raised.append(caught.value)
    assert raised[0] is not original and raised[1] is not original and raised[0] is not raised[1]
    next_flight = auth.begin_refresh(0)
    assert next_flight is not None and next_flight.leader  # the failed flight has landed


@pytest.mark.parametrize(
    "interruption", [KeyboardInterrupt(), asyncio.CancelledError()], ids=["keyboard-interrupt", "cancelled"]
)
def test_an_interrupted_leader_tells_the_waiters_to_try_again(auth: TokenManager, interruption: BaseException) -> None:
    leader, follower = auth.begin_refresh(0), auth.begin_refresh(0)
    assert leader is not None and follower is not None
    leader.fail(interruption)
    with pytest.raises(QwenAuthenticationError, match=r"^the token refresh was interrupted; try again$"):
        follower.wait()


def test_a_stale_flight_landing_late_does_not_end_the_current_one(auth: TokenManager) -> None:
    stale = auth.begin_refresh(0)
    assert stale is not None
    stale.done()
    current = auth.begin_refresh(0)
    assert current is not None and current.leader
    auth._land(stale)  # the old flight's bookkeeping again: the current flight stays in the air
    joined = auth.begin_refresh(0)
    assert joined is not None and not joined.leader and joined.future is current.future


def test_threads_share_one_refresh(auth: TokenManager) -> None:
    leader = auth.begin_refresh(0)
    assert leader is not None
    results: list[str] = []
    ready = threading.Barrier(4)

    def follow() -> None:
        flight = auth.begin_refresh(0)
        assert flight is not None and not flight.leader
        ready.wait()
        flight.wait()
        results.append("ok")

    threads = [threading.Thread(target=follow) for _ in range(3)]
    for thread in threads:
        thread.start()
    ready.wait()
    leader.done()
    for thread in threads:
        thread.join(timeout=10)
    assert results == ["ok", "ok", "ok"]


def test_tasks_wait_for_the_refresh_and_get_its_error(auth: TokenManager) -> None:
    async def scenario() -> list[str]:
        leader = auth.begin_refresh(0)
        assert leader is not None
        waiters = []
        for _ in range(2):
            flight = auth.begin_refresh(0)
            assert flight is not None and not flight.leader
            waiters.append(asyncio.ensure_future(flight.wait_async()))
        await asyncio.sleep(0)
        leader.fail(QwenAuthenticationError("the refresh token was refused", status_code=401))
        outcomes = await asyncio.gather(*waiters, return_exceptions=True)
        assert all(isinstance(error, QwenAuthenticationError) for error in outcomes)
        assert outcomes[0] is not outcomes[1]
        assert all(error.__suppress_context__ for error in outcomes if isinstance(error, BaseException))

        leader = auth.begin_refresh(0)
        follower = auth.begin_refresh(0)
        assert leader is not None and follower is not None
        waiting = asyncio.ensure_future(follower.wait_async())
        await asyncio.sleep(0)
        leader.done()
        await waiting
        return [str(error) for error in outcomes]

    messages = asyncio.run(scenario())
    assert all("the refresh token was refused" in message for message in messages)
