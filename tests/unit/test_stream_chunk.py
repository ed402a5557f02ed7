"""The stream parser's one construction without ``__init__`` equals the plain construction."""

from __future__ import annotations

from typing import Any

import pytest

from qwen_api.types.chat import ChatResponseStream, ChoiceStream, Delta, Usage, stream_chunk

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
