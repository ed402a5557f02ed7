"""Auth as the service answers it: HTTP 200 envelopes with ``x-actual-status-code: 401``, and refresh."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from qwen_api.testing import RunningServer, ServerConfig
from tests.conftest import load_fixture

from .conftest import TIMEOUT, new_chat, post_turn

UNAUTHORIZED = load_fixture("error_unauthorized_missing_bearer.json")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v2/chats/new"),
        ("POST", "/api/v2/chat/completions?chat_id=x"),
        ("GET", "/api/v2/models/"),
        ("GET", "/api/v1/auths/"),
    ],
)
def test_missing_credentials_answer_the_recorded_unauthorized_body(
    qwen_server: RunningServer, method: str, path: str
) -> None:
    response = httpx.request(method, qwen_server.url + path, json={"models": ["qwen3.7-plus"], "chat_type": "t2t"})
    assert response.status_code == 200
    assert response.headers["x-actual-status-code"] == "401"
    assert response.json() == UNAUTHORIZED == {"success": False, "code": "Unauthorized"}


def test_bearer_or_token_cookie_is_enough_by_default(qwen_server: RunningServer) -> None:
    body = {"models": ["qwen3.7-plus"], "chat_type": "t2t"}
    with_bearer = httpx.post(
        qwen_server.url + "/api/v2/chats/new", json=body, headers={"Authorization": "Bearer anything"}
    )
    with_cookie = httpx.post(qwen_server.url + "/api/v2/chats/new", json=body, headers={"Cookie": "token=anything"})
    empty_bearer = httpx.post(qwen_server.url + "/api/v2/chats/new", json=body, headers={"Authorization": "Bearer"})
    assert with_bearer.json()["success"] is True and with_cookie.json()["success"] is True
    assert empty_bearer.json() == UNAUTHORIZED


def test_models_list_needs_no_auth(qwen_server: RunningServer) -> None:
    response = httpx.get(qwen_server.url + "/api/models")
    assert response.status_code == 200 and len(response.json()["data"]) >= 5


def test_a_configured_token_is_the_only_one_accepted(qwen_server_factory: object) -> None:
    server = qwen_server_factory(ServerConfig(token="s3cret"))  # type: ignore[operator]
    wrong = httpx.post(server.url + "/api/v2/chats/new", json={}, headers={"Authorization": "Bearer nope"})
    assert wrong.json() == UNAUTHORIZED and wrong.headers["x-actual-status-code"] == "401"
    right = httpx.post(server.url + "/api/v2/chats/new", json={}, headers={"Authorization": "Bearer s3cret"})
    assert right.json()["success"] is True
    minted = httpx.post(
        server.url + "/api/v2/chats/new", json={}, headers={"Authorization": f"Bearer {server.mint_token()}"}
    )
    assert minted.json()["success"] is True


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    claims: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


def test_minted_tokens_expire_when_lifetimes_are_on(qwen_server_factory: object) -> None:
    server: RunningServer = qwen_server_factory(ServerConfig(token_lifetime=60))  # type: ignore[operator]
    fresh = server.mint_token()
    claims = _claims(fresh)
    assert claims["type"] == "access_token" and float(claims["exp"]) - float(claims["iat"]) == pytest.approx(60, abs=1)  # type: ignore[arg-type]
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {fresh}"}, timeout=TIMEOUT) as http:
        assert post_turn(http, new_chat(http), "hi").status_code == 200
        user = http.get("/api/v1/auths/").json()
    assert user["token_type"] == "Bearer" and user["role"] == "user" and user["expires_at"] == int(float(claims["exp"]))  # type: ignore[arg-type]
    assert {"id", "email", "name"} <= set(user)

    short = server.mint_token(lifetime=0.05)
    time.sleep(0.1)
    expired = httpx.post(server.url + "/api/v2/chats/new", json={}, headers={"Authorization": f"Bearer {short}"})
    assert expired.status_code == 200 and expired.headers["x-actual-status-code"] == "401"
    assert expired.json() == {"success": False, "message": "Token expired"}
    stranger = httpx.post(server.url + "/api/v2/chats/new", json={}, headers={"Authorization": "Bearer not-a-jwt"})
    assert stranger.json() == UNAUTHORIZED


def test_refresh_rotates_both_tokens(qwen_server_factory: object) -> None:
    server: RunningServer = qwen_server_factory(ServerConfig(token_lifetime=900))  # type: ignore[operator]
    refresh = server.mint_refresh_token()
    response = httpx.get(server.url + "/api/v2/auths/refresh", cookies={"refresh_token": refresh})
    data = response.json()["data"]
    assert response.json()["success"] is True and set(data) == {"access_token", "refresh_token", "expires_at"}
    assert server.state.refresh_count == 1
    assert data["refresh_token"] != refresh and _claims(data["access_token"])["type"] == "access_token"
    assert data["expires_at"] == int(float(_claims(data["access_token"])["exp"]))  # type: ignore[arg-type]

    reused = httpx.get(server.url + "/api/v2/auths/refresh", cookies={"refresh_token": refresh})
    assert reused.json()["success"] is False and reused.headers["x-actual-status-code"] == "401"
    assert server.state.refresh_count == 1
    ok = httpx.post(
        server.url + "/api/v2/chats/new", json={}, headers={"Authorization": f"Bearer {data['access_token']}"}
    )
    assert ok.json()["success"] is True
    again = httpx.get(server.url + "/api/v2/auths/refresh", cookies={"refresh_token": data["refresh_token"]})
    assert again.json()["success"] is True and server.state.refresh_count == 2
    # An access token is not a refresh token.
    wrong_kind = httpx.get(server.url + "/api/v2/auths/refresh", cookies={"refresh_token": data["access_token"]})
    assert wrong_kind.json()["success"] is False
