"""Prepared requests (``_body_templates``): a turn filled from its template is byte for byte the turn
the generated builder makes, for every kind of turn; a template never leaks a marker or shares a value
that changes; a builder that transforms a marker gets no template."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qwen_api_client.types import Request

from qwen_api import Qwen
from qwen_api._body_templates import RequestTemplate
from qwen_api._request_specs import (
    _completion_template,
    _new_chat_request,
    _new_chat_template,
    completion_request,
    completion_spec,
    new_chat_spec,
)
from qwen_api._turn_options import TurnOptions

OPTIONS = [
    TurnOptions(model="qwen3.7-plus"),
    TurnOptions(model="qwen3.7-plus", thinking=True),
    TurnOptions(model="qwen3.7-plus", thinking_mode="auto", web_search=True),
    TurnOptions(model="qwen3-max", thinking_mode="fast", chat_type="search"),
    TurnOptions(model="qwen3.7-plus", chat_type="t2i", size="16:9", user_action="chat"),
    TurnOptions(model="qwen3.7-plus", temperature=0.2, max_tokens=64),
    TurnOptions(model="qwen3.7-plus", chat_type="t2v", size="9:16", user_action="recommendation"),
]
VALUES: dict[str, Any] = {
    "chat_id": "c0ffee:chat.1-_",
    "text": 'He said "hi"\n\\ qwenmarker? ünïcode 🚀',
    "fid": "f-1",
    "child_id": "c-2",
    "now": 1_790_000_000,
}
IDENTIFIERS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-", min_size=1, max_size=40
)


def full(options: TurnOptions, values: dict[str, Any]) -> Request:
    return completion_request(
        options, parent_id=values.get("parent_id"), **{k: v for k, v in values.items() if k != "parent_id"}
    )


@pytest.mark.parametrize(("options", "parent_id"), list(itertools.product(OPTIONS, [None, "resp:9.a-b_c"])))
def test_a_filled_turn_equals_the_generated_build(options: TurnOptions, parent_id: str | None) -> None:
    template = _completion_template(options, parent_id is not None)
    assert template is not None
    values = {**VALUES, "parent_id": parent_id}
    expected = full(options, values)
    assert template.json(values) == expected.json
    assert json.dumps(template.json(values)) == json.dumps(expected.json)  # key order too
    assert template.target(values) == expected.target
    assert template.request.method == expected.method and template.request.headers == expected.headers


@settings(max_examples=200, deadline=None)
@given(text=st.text(), chat_id=IDENTIFIERS, parent_id=st.none() | IDENTIFIERS, now=st.integers(0, 2**40))
def test_any_text_and_ids_fill_like_the_generated_build(
    text: str, chat_id: str, parent_id: str | None, now: int
) -> None:
    values = {"chat_id": chat_id, "parent_id": parent_id, "text": text, "fid": "f", "child_id": "c", "now": now}
    template = _completion_template(OPTIONS[1], parent_id is not None)
    assert template is not None
    expected = full(OPTIONS[1], values)
    assert template.json(values) == expected.json and template.target(values) == expected.target


def test_a_new_chat_filled_equals_the_generated_build() -> None:
    template = _new_chat_template("qwen3.7-plus", "t2i")
    assert template is not None
    expected = _new_chat_request("qwen3.7-plus", "t2i", 1_790_000_000_123)
    assert template.json({"timestamp": 1_790_000_000_123}) == expected.json
    assert template.target({"timestamp": 0}) == expected.target == "/api/v2/chats/new"


def test_specs_carry_fresh_values_and_share_only_what_never_changes() -> None:
    with Qwen(api_key="tok", base_url="http://127.0.0.1:9") as client:
        config, headers = client._config, client._headers
        first, second = (
            completion_spec(config, headers, chat_id=f"chat{n}", parent_id=None, text=f"text {n}", options=OPTIONS[0])
            for n in (1, 2)
        )
        chats = [new_chat_spec(config, headers, "qwen3.7-plus") for _ in range(2)]
    one, two = first.json["messages"][0], second.json["messages"][0]  # type: ignore[index]
    assert (one["content"], two["content"]) == ("text 1", "text 2")
    assert first.json["chat_id"] == "chat1" and second.json["chatId"] == "chat2"  # type: ignore[index]
    assert first.url.endswith("/api/v2/chat/completions?chat_id=chat1") and second.url.endswith("?chat_id=chat2")
    assert one["fid"] != two["fid"] and one["childrenIds"] != two["childrenIds"]
    assert one["feature_config"] is two["feature_config"]  # read-only parts are shared, not rebuilt
    assert first.headers["Content-Type"] == "application/json" and first.headers["X-Request-Id"]
    for spec in (first, second, *chats):
        assert "qwenmarker" not in json.dumps(spec.json) and "qwenmarker" not in spec.url
        assert "-7301000001" not in json.dumps(spec.json)
    assert chats[0].json is not chats[1].json


def test_a_turn_with_attachments_is_built_in_full() -> None:
    ref = {"type": "image", "file": {"id": "f1"}, "id": "f1", "url": "https://x/y.png", "name": "y.png"}
    options = TurnOptions(model="qwen3.7-plus", files=(ref,))
    with Qwen(api_key="tok", base_url="http://127.0.0.1:9") as client:
        spec = completion_spec(
            client._config, client._headers, chat_id="c1", parent_id=None, text="look", options=options
        )
    message = spec.json["messages"][0]  # type: ignore[index]
    assert message["files"][0]["url"] == "https://x/y.png" and message["content"] == "look"


@pytest.mark.parametrize(
    ("body", "query"),
    [
        ({"a": "x-qwenmarkertext"}, ""),  # wrapped in another value
        ({"qwenmarkertext": 1}, ""),  # a key, not a value
        ({"a": "qwenmarkertext", "b": ["qwenmarkertext-2"]}, ""),  # whole once, transformed once
        ({"a": 1}, "q=qwenmarkertext%3A"),  # encoded in the query with something else
    ],
)
def test_a_builder_that_transforms_a_marker_gets_no_template(body: dict[str, Any], query: str) -> None:
    request = Request(method="POST", path="/p", query=query, headers={}, json=body)
    marker = "qwenmarkertext:" if query else "qwenmarkertext"
    assert RequestTemplate.prepare(request, {"text": marker}) is None


def test_markers_found_anywhere_in_nested_lists_and_dicts() -> None:
    body = {"a": [{"b": "M1"}, "M1", 5], "c": {"d": {"e": -99}}, "f": "const"}
    template = RequestTemplate.prepare(
        Request(method="POST", path="/p", query="id=M1", headers={}, json=body), {"x": "M1", "n": -99}
    )
    assert template is not None
    filled = template.json({"x": "a b&c", "n": 7})
    assert filled == {"a": [{"b": "a b&c"}, "a b&c", 5], "c": {"d": {"e": 7}}, "f": "const"}
    assert body == {"a": [{"b": "M1"}, "M1", 5], "c": {"d": {"e": -99}}, "f": "const"}  # untouched
    assert template.target({"x": "a b&c", "n": 7}) == "/p?id=a+b%26c"


def test_options_that_hold_a_marker_get_no_template_and_are_built_in_full() -> None:
    odd = TurnOptions(model="qwenmarkerchatid")  # a model id equal to a marker could not be told apart
    assert _completion_template(odd, False) is None
    assert _new_chat_template("x-qwenmarkertext", "t2t") is None
    with Qwen(api_key="tok", base_url="http://127.0.0.1:9") as client:
        spec = completion_spec(client._config, client._headers, chat_id="c9", parent_id=None, text="t", options=odd)
        chat = new_chat_spec(client._config, client._headers, "qwenmarkerchatid")
    assert spec.json["model"] == "qwenmarkerchatid" and spec.json["chat_id"] == "c9"  # type: ignore[index]
    assert chat.json["models"] == ["qwenmarkerchatid"]  # type: ignore[index]
