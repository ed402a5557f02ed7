"""The per-call options wrapper without I/O: how it rewrites requests and how faithfully it delegates."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import httpx
import pytest

from qwen_api._engine import OpenStream, RawResponse, RequestSpec, Send, Sleep
from qwen_api._request_options import (
    RequestOptions,
    ResponseRecorder,
    build_options,
    call_scope,
    current_options,
    with_request_options,
)
from qwen_api.core.exceptions import QwenConnectionError, QwenInputValueError

SPEC = RequestSpec(
    method="POST",
    url="https://chat.test/api/v2/chat/completions?chat_id=c1",
    headers={"Content-Type": "application/json", "X-Version": "1"},
    json={"stream": True, "messages": []},
    operation="chat.completions",
)


def test_nothing_given_is_no_options_at_all() -> None:
    assert build_options() is None


def test_headers_replace_case_insensitively_query_appends_body_merges() -> None:
    options = build_options(
        extra_headers={"x-version": "2", "X-Trace": "t"},
        extra_query={"trace": 1},
        extra_body={"custom": {"a": [1]}},
    )
    assert options is not None
    spec = options.rewrite(SPEC)
    assert spec.headers == {"Content-Type": "application/json", "x-version": "2", "X-Trace": "t"}
    assert spec.url.endswith("?chat_id=c1&trace=1")
    assert spec.json == {"stream": True, "messages": [], "custom": {"a": [1]}}
    assert SPEC.json == {"stream": True, "messages": []}  # the original is untouched


def test_extra_query_replaces_a_parameter_the_call_sends_instead_of_repeating_it() -> None:
    options = build_options(extra_query={"chat_id": "c 2", "new": "x"})
    assert options is not None
    spec = RequestSpec(method="GET", url="https://chat.test/api/v2/chats/?page=1&chat_id=c1&q=a%20b", headers={})
    assert options.rewrite(spec).url == "https://chat.test/api/v2/chats/?page=1&q=a%20b&chat_id=c+2&new=x"
    bare = RequestSpec(method="GET", url="https://chat.test/api/v2/models", headers={})
    assert options.rewrite(bare).url == "https://chat.test/api/v2/models?chat_id=c+2&new=x"


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_a_request_without_a_body_gets_extra_body_as_its_json_body(method: str) -> None:
    options = build_options(extra_body={"custom": [1]})
    assert options is not None
    spec = RequestSpec(method=method, url="https://chat.test/api/v2/chats/c1", headers={}, operation="chats.get")
    assert options.rewrite(spec).json == {"custom": [1]}
    named = RequestOptions(extra_body={"x": 1}, body_operations=frozenset({"chat.completions"}))
    assert named.rewrite(spec) is spec  # a request the call's body is not meant for stays as it is


def test_body_goes_only_to_the_named_operations() -> None:
    options = RequestOptions(extra_body={"x": 1}, body_operations=frozenset({"chats.new"}))
    assert options.rewrite(SPEC) is SPEC


def test_timeout_becomes_an_httpx_timeout() -> None:
    options = build_options(timeout=2.5)
    assert options is not None and options.timeout == httpx.Timeout(2.5)
    given = httpx.Timeout(1, connect=3)
    assert build_options(timeout=given).timeout is given  # type: ignore[union-attr]
    with pytest.raises(TypeError, match="timeout"):
        build_options(timeout="5")
    with pytest.raises(ValueError, match="timeout"):
        build_options(timeout=float("inf"))


def _plan(log: list[Any]) -> Generator[Any, Any, str]:
    try:
        response = yield Send(SPEC)
        log.append(response)
    except QwenConnectionError as error:
        log.append(error)
        yield Sleep(0)
        response = yield OpenStream(SPEC)
        log.append(response)
    return "done"


def test_values_and_errors_reach_the_plan_and_responses_the_recorder() -> None:
    log: list[Any] = []
    recorder = ResponseRecorder(frozenset({"chat.completions"}))
    options = RequestOptions(extra_headers={"X-Trace": "t"}, recorder=recorder)
    wrapped = with_request_options(_plan(log), options)
    first = next(wrapped)
    assert isinstance(first, Send) and first.spec.headers["X-Trace"] == "t"
    error = QwenConnectionError("boom")
    assert isinstance(wrapped.throw(error), Sleep)
    opened = wrapped.send(None)
    assert isinstance(opened, OpenStream) and opened.spec.headers["X-Trace"] == "t"
    answer = RawResponse(200, {"x-request-id": "r1"}, b"{}", opened.spec.url)
    with pytest.raises(StopIteration) as stop:
        wrapped.send(answer)
    assert stop.value.value == "done" and log == [error, answer]
    assert (recorder.status_code, recorder.headers["x-request-id"], recorder.attempts) == (200, "r1", 1)


def test_closing_the_wrapper_closes_the_plan() -> None:
    closed: list[bool] = []

    def plan() -> Generator[Any, Any, None]:
        try:
            yield Send(SPEC)
        finally:
            closed.append(True)

    wrapped = with_request_options(plan(), RequestOptions())
    next(wrapped)
    wrapped.close()
    assert closed == [True]


def test_scopes_nest_and_belong_to_one_client() -> None:
    client, other = object(), object()
    outer = RequestOptions(extra_headers={"A": "1"}, recorder=ResponseRecorder())
    with call_scope(client, outer):
        with call_scope(client, RequestOptions(extra_headers={"B": "2"})):
            inner = current_options(client)
            assert inner is not None and dict(inner.extra_headers) == {"A": "1", "B": "2"}
            assert inner.recorder is outer.recorder
        assert current_options(client) is outer
        assert current_options(other) is None
    assert current_options(client) is None


SECRET = "sk-abcdef123456"


@pytest.mark.parametrize("bad", ["\n", "\r", "\x00", "é", "🙂"])
def test_extra_headers_get_the_constructors_check_and_never_show_the_value(bad: str) -> None:
    with pytest.raises(ValueError, match=r"^extra_headers\['X-Auth'\] contains a character an HTTP header cannot"):
        build_options(extra_headers={"X-Auth": SECRET + bad + "Injected: yes"})
    try:
        build_options(extra_headers={"X-Auth": SECRET + bad})
    except ValueError as error:
        assert SECRET not in str(error)


def test_extra_headers_take_numbers_as_text_and_refuse_bad_names_and_types_without_the_value() -> None:
    options = build_options(extra_headers={"X-Count": 3, "X-Ratio": 0.5})
    assert options is not None and dict(options.extra_headers) == {"X-Count": "3", "X-Ratio": "0.5"}
    for headers, error in (
        ({"X Auth": "v"}, ValueError),
        ({"": "v"}, ValueError),
        ({"X-Auth": [SECRET]}, TypeError),
        ({"X-Auth": True}, TypeError),
        ({1: SECRET}, TypeError),
        ({"X-Auth": SECRET + " "}, ValueError),
        ({"X-Auth": "\t" + SECRET}, ValueError),
    ):
        with pytest.raises(error, match="extra_headers") as info:
            build_options(extra_headers=headers)
        assert SECRET not in str(info.value)
    with pytest.raises(TypeError, match="extra_headers"):
        build_options(extra_headers=[("X-Auth", "v")])


def test_extra_query_type_errors_name_the_key_never_the_value() -> None:
    with pytest.raises(TypeError, match=r"^extra_query\['sig'\] must be a string or a number, got list$") as info:
        build_options(extra_query={"sig": [SECRET]})
    assert SECRET not in str(info.value)
    with pytest.raises(TypeError, match="extra_query"):
        build_options(extra_query={1: SECRET})


def test_a_request_the_http_layer_refuses_to_encode_is_a_typed_error_not_retried_not_quoted() -> None:
    from qwen_api._engine import is_retryable
    from qwen_api._transport import map_transport_error
    from qwen_api.core.exceptions import QwenInvalidRequestError

    exc = httpx.LocalProtocolError(f"Illegal header value b'{SECRET}\\nInjected: yes'")
    error = map_transport_error(exc, SPEC)
    assert type(error) is QwenInvalidRequestError
    assert not is_retryable(error)
    assert "LocalProtocolError" in str(error) and SECRET not in str(error) and "Injected" not in str(error)
    assert error.method == "POST" and error.url == SPEC.url
    remote = map_transport_error(httpx.RemoteProtocolError("peer closed"), SPEC)
    assert isinstance(remote, QwenConnectionError) and is_retryable(remote)  # the server's fault: may pass


@pytest.mark.parametrize(
    "options",
    [
        {"extra_body": {"x": "hi \ud800"}},
        {"extra_body": {"x": {"deep": ["ok", "\udfff"]}}},
        {"extra_body": {"k\ud800": 1}},
        {"extra_body": {"x": {"k\ud800": 1}}},
        {"extra_query": {"x": "hi \ud800"}},
        {"extra_query": {"k\ud800": "v"}},
    ],
)
def test_lone_surrogates_in_extra_body_or_query_are_refused_when_the_options_are_built(
    options: dict[str, Any],
) -> None:
    """Refused before the call's first request: the body is encoded only after chats/new was sent."""
    with pytest.raises(QwenInputValueError, match="lone surrogate"):
        build_options(**options)
