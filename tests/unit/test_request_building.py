"""The transport builds its ``httpx.Request`` without ``client.build_request`` when it can: the request
must be the one ``build_request`` would have made, byte for byte, on every kind of client."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from qwen_api._engine import Deadline, RequestSpec
from qwen_api._exceptions import QwenInvalidRequestError
from qwen_api._transport import _request

HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "identity",
    "User-Agent": "Mozilla/5.0",
    "source": "web",
    "X-Request-Id": "r-1",
    "Content-Type": "application/json",
}
BODY = {"stream": True, "messages": [{"role": "user", "content": "héllo \u2603"}], "n": 1.5}


def _spec(url: str = "https://chat.test/api/v2/chat/completions?chat_id=c1", **changes: Any) -> RequestSpec:
    values: dict[str, Any] = {"method": "POST", "url": url, "headers": HEADERS, "json": BODY, "operation": "op"}
    values.update(changes)
    return RequestSpec(**values)


def _expected(client: httpx.Client | httpx.AsyncClient, spec: RequestSpec, timeout: Any) -> httpx.Request:
    return client.build_request(spec.method, spec.url, headers=dict(spec.headers), json=spec.json, timeout=timeout)


def _same(built: httpx.Request, expected: httpx.Request) -> None:
    assert built.method == expected.method
    assert str(built.url) == str(expected.url)
    assert built.headers.raw == expected.headers.raw  # names, values and order on the wire
    assert built.read() == expected.read()
    assert built.extensions == expected.extensions


CLIENTS = {
    "plain": lambda cls: cls(),
    "with timeout": lambda cls: cls(timeout=httpx.Timeout(3.0, connect=1.0)),
    "with default headers": lambda cls: cls(headers={"X-Team": "a", "accept": "text/plain", "SOURCE": "cli"}),
    "with a base URL": lambda cls: cls(base_url="https://other.test/prefix"),
    "with cookies": lambda cls: cls(cookies={"session": "s1"}),
    "with params": lambda cls: cls(params={"trace": "1"}),
    "no timeout": lambda cls: cls(timeout=None),
}


@pytest.mark.parametrize("kind", list(CLIENTS))
@pytest.mark.parametrize("cls", [httpx.Client, httpx.AsyncClient])
@pytest.mark.parametrize("url", ["https://chat.test/api/v2/chats/new", "https://chat.test/api/v2/c?chat_id=c1&x=%20"])
@pytest.mark.parametrize("timeout", [None, httpx.Timeout(7.0)])
def test_the_request_is_the_one_build_request_makes(kind: str, cls: Any, url: str, timeout: Any) -> None:
    client = CLIENTS[kind](cls)
    spec = _spec(url)
    _same(_request(client, spec, None, timeout), _expected(client, spec, timeout or httpx.USE_CLIENT_DEFAULT))


def test_a_relative_url_is_merged_with_the_clients_base_url() -> None:
    client = httpx.Client(base_url="https://chat.test/root")
    spec = _spec("/api/v2/chats/new")
    built = _request(client, spec, None, None)
    assert str(built.url) == "https://chat.test/root/api/v2/chats/new"
    _same(built, _expected(client, spec, httpx.USE_CLIENT_DEFAULT))


def test_a_cookie_the_client_picked_up_is_sent_as_build_request_would() -> None:
    client = httpx.Client()
    client.cookies.set("picked", "up", domain="chat.test")
    spec = _spec(headers={k: v for k, v in HEADERS.items()})
    built = _request(client, spec, None, None)
    assert built.headers["cookie"] == "picked=up"
    _same(built, _expected(client, spec, httpx.USE_CLIENT_DEFAULT))


@pytest.mark.parametrize("cls", [httpx.Client, httpx.AsyncClient])
def test_a_request_with_its_own_cookie_header_ignores_the_clients_cookies_as_build_request_does(cls: Any) -> None:
    client = cls(cookies={"picked": "up"})
    spec = _spec(headers={**HEADERS, "Cookie": "token=t"})
    built = _request(client, spec, None, None)
    assert built.headers.get_list("cookie") == ["token=t"]
    _same(built, _expected(client, spec, httpx.USE_CLIENT_DEFAULT))


def test_the_deadline_shortens_the_timeout() -> None:
    client = httpx.Client(timeout=60)
    deadline = Deadline.after(5.0)
    built = _request(client, _spec(), None, httpx.Timeout(60), deadline)
    assert 0 < built.extensions["timeout"]["read"] <= 5.0


def test_a_header_value_httpx_cannot_encode_is_a_typed_error_naming_no_value() -> None:
    spec = _spec(headers={**HEADERS, "X-Name": "caf\u00e9\u2603"})
    with pytest.raises(QwenInvalidRequestError) as caught:
        _request(httpx.Client(), spec, None, None)
    assert "\u2603" not in str(caught.value)
    assert "UnicodeEncodeError" in str(caught.value)


def test_a_body_json_cannot_carry_is_a_typed_error() -> None:
    with pytest.raises(QwenInvalidRequestError, match="ValueError"):
        _request(httpx.Client(), _spec(json={"n": float("nan")}), None, None)


def test_an_invalid_url_is_a_typed_error() -> None:
    with pytest.raises(QwenInvalidRequestError, match="InvalidURL"):
        _request(httpx.Client(), _spec("https://[::1/x"), None, None)
