"""Access tokens with odd claims, against the local server (issue 21: the expiry decisions no test pinned).

The client reads a JWT's ``exp`` (and ``iat``) without checking the signature, to refresh ahead of
expiry. A token it cannot read must still be sent; a token in its last minute without a refresh
token must still be used (there is nothing better to send); only a token already past ``exp`` is
refused locally, before a byte is sent.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from qwen_api import Qwen, QwenAuthenticationError
from qwen_api.testing import RunningServer, expected_answer
from tests.e2e.conftest import call

COMPLETIONS = "/api/v2/chat/completions"
REFRESH = "/api/v2/auths/refresh"


def jwt(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.signature-not-checked"


def ask(mode: str, server: RunningServer, token: str) -> str:
    with Qwen(api_key=token, base_url=server.url, max_retries=0, timeout=10) as client:
        response = call(mode, client, "completion.create", prompt="hello there", model="qwen-max-latest")
        return str(response.choices[0].text)


def completions(server: RunningServer) -> int:
    return len(server.state.requests_to(COMPLETIONS, "POST"))


def refreshes(server: RunningServer) -> int:
    return sum(1 for request in server.state.requests if request.path.endswith("/auths/refresh"))


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp": time.time() + 3600}, id="exp-without-iat"),
        pytest.param({"iat": time.time() - 60}, id="iat-without-exp"),
        pytest.param({"exp": "tomorrow", "iat": "today"}, id="string-claims"),
        pytest.param({"exp": True}, id="boolean-exp"),
        pytest.param({"exp": time.time() + 3600, "iat": time.time() + 7200}, id="issued-after-expiry"),
    ],
)
def test_tokens_with_odd_claims_are_used_as_they_are(mode: str, server: RunningServer, claims: dict[str, Any]) -> None:
    before = completions(server)
    assert expected_answer("hello there") in ask(mode, server, jwt(claims))
    assert completions(server) == before + 1


def test_a_token_in_its_last_seconds_without_a_refresh_token_is_still_used(mode: str, server: RunningServer) -> None:
    now = time.time()
    token = jwt({"iat": now - 890, "exp": now + 20})  # inside the refresh window, but not expired
    before, refreshed = completions(server), refreshes(server)
    assert expected_answer("hello there") in ask(mode, server, token)
    assert completions(server) == before + 1
    assert refreshes(server) == refreshed  # nothing to refresh with: no refresh request either


def test_an_expired_token_without_a_refresh_token_is_refused_before_sending(mode: str, server: RunningServer) -> None:
    token = jwt({"iat": time.time() - 1000, "exp": time.time() - 5})
    before = len(server.state.requests)
    with pytest.raises(QwenAuthenticationError) as caught:
        ask(mode, server, token)
    assert caught.value.code == "Token_Expired" and caught.value.status_code == 401
    assert "expired at" in caught.value.message
    assert len(server.state.requests) == before
