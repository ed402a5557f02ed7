"""The stream parser's one construction without ``__init__`` equals the plain construction."""

from __future__ import annotations

from typing import Any

import pytest

from qwen_api.types.chat import ChatResponseStream, ChoiceStream, Delta, Usage, WebSearchInfo, stream_chunk

USAGE = {"input_tokens": 3, "output_tokens": 5, "total_tokens": 8}


@pytest.mark.parametrize(
    "raw",
    [
        {"usage": USAGE, "choices": []},
        {"choices": []},
        {"usage": "not an object"},
        {"usage": None},
    ],
    ids=["usage", "no-usage", "malformed-usage", "null-usage"],
)
def test_a_lazy_chunk_equals_the_plain_one(raw: dict[str, Any]) -> None:
    choice = ChoiceStream(Delta(content="hi", phase="answer"), 0, None)
    usage = Usage.from_wire(raw["usage"]) if isinstance(raw.get("usage"), dict) else None
    plain = ChatResponseStream([choice], usage, "r1", "c1", "qwen3-max", 1700000000, raw)
    lazy = stream_chunk(choice, "r1", "c1", "qwen3-max", 1700000000, raw)
    assert lazy.to_dict() == plain.to_dict()
    assert lazy == plain and repr(lazy) == repr(plain)
    assert lazy.usage == usage
    if usage is not None:
        assert lazy.usage is lazy.usage  # built once, then kept


def test_the_lazy_chunk_still_refuses_unknown_attributes() -> None:
    chunk = stream_chunk(ChoiceStream(Delta(), 0, None), None, None, None, None, {})
    with pytest.raises(AttributeError):
        chunk.contnet  # type: ignore[attr-defined]


def test_a_delta_always_has_an_extra_even_when_built_with_none() -> None:
    from qwen_api.types.chat import Extra

    for delta in (
        Delta(),
        Delta(extra=None),
        Delta("x", "assistant", "answer", "typing", None, None, None, None, None, {}),
    ):
        assert isinstance(delta.extra, Extra) and not delta.extra
        assert "extra" not in delta and "web_search_info" not in delta.extra
    assert Delta(extra=None) == Delta(extra=Extra())
    assert Delta(extra=None).extra is not Delta(extra=None).extra  # each delta has its own


@pytest.mark.parametrize(
    ("content", "status", "finish_reason", "raw"),
    [
        ("hi", "typing", None, {"usage": USAGE, "choices": []}),
        ("", "finished", "stop", {"choices": []}),
    ],
    ids=["typing", "finished"],
)
def test_an_answer_choice_equals_the_plain_one_field_by_field(
    content: str, status: str, finish_reason: str | None, raw: dict[str, Any]
) -> None:
    import attrs

    from qwen_api.types.chat import answer_choice

    delta_raw = {"role": "assistant", "content": content, "phase": "answer", "status": status}
    choice = answer_choice(content, "assistant", status, delta_raw, finish_reason)
    built = stream_chunk(choice, "r1", "c1", "qwen3-max", 7, raw)
    plain = stream_chunk(
        ChoiceStream(Delta(content, "assistant", "answer", status, raw=delta_raw), 0, finish_reason),
        "r1",
        "c1",
        "qwen3-max",
        7,
        raw,
    )
    # Every slot of every object is set (a field added later and left out fails here, not in a user's loop).
    for built_object, plain_object in (
        (built.choices[0], plain.choices[0]),
        (built.choices[0].delta, plain.choices[0].delta),
        (built.choices[0].delta.extra, plain.choices[0].delta.extra),
    ):
        for field in attrs.fields(type(plain_object)):
            assert getattr(built_object, field.name) == getattr(plain_object, field.name), field.name
    assert built == plain and repr(built) == repr(plain) and built.to_dict() == plain.to_dict()
    assert built.usage == plain.usage
    second = answer_choice(content, "assistant", status, delta_raw, finish_reason)
    assert second.delta.extra is not built.choices[0].delta.extra  # each delta has its own
    assert second.delta.extra.web_search_info is not built.choices[0].delta.extra.web_search_info


def test_an_answer_deltas_extra_is_built_once_when_read_and_copies_keep_it() -> None:
    import copy
    import pickle

    from qwen_api.types.chat import Extra, answer_choice

    delta = answer_choice("hi", "assistant", "typing", {}, None).delta
    assert isinstance(delta.extra, Extra) and not delta.extra
    assert delta.extra is delta.extra  # built once, then kept
    assert "extra" not in delta and "web_search_info" not in delta.extra
    delta.extra.web_search_info.append(WebSearchInfo(url="https://example.org"))
    assert "extra" in delta and delta.extra.web_search_info[0].url == "https://example.org"
    unread = answer_choice("hi", "assistant", "typing", {}, None).delta
    for twin in (copy.copy(unread), copy.deepcopy(unread), pickle.loads(pickle.dumps(unread))):
        assert twin == Delta("hi", "assistant", "answer", "typing", raw={}) and isinstance(twin.extra, Extra)
    with pytest.raises(AttributeError, match="contnet"):
        unread.contnet  # type: ignore[attr-defined]
