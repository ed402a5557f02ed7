"""The pre-send input checks (``qwen_api._inputs``): the built-in exception a Python user expects,
a message that names the argument, and never the whole of a huge or hostile value."""

from __future__ import annotations

import pytest

from qwen_api import QwenInputTypeError, QwenInputValueError, QwenInvalidRequestError
from qwen_api._inputs import MAX_IDENTIFIER_LENGTH, check_identifier, check_text, require_identifier, short_repr


@pytest.mark.parametrize(
    "value",
    ["", " ", "a/b", "../../x", ".", "..", "...", "abc?x=1", "a#b", "a b", "p\r\nx: y", "é", "x" * 129],
)
def test_an_unusable_id_is_a_value_error_naming_the_argument(value: str) -> None:
    with pytest.raises(QwenInputValueError, match=r"^parent_id ") as info:
        require_identifier("parent_id", value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, QwenInvalidRequestError)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("value", [42, 4.2, b"abc", ["abc"], None])
def test_an_id_of_another_type_is_a_type_error(value: object) -> None:
    with pytest.raises(QwenInputTypeError, match=rf"^chat_id must be a string, got {type(value).__name__}$") as info:
        require_identifier("chat_id", value)
    assert isinstance(info.value, TypeError) and isinstance(info.value, QwenInvalidRequestError)


def test_an_optional_id_may_be_none_and_is_otherwise_checked_alike() -> None:
    assert check_identifier("parent_id", None) is None
    assert check_identifier("parent_id", "r-1.2:3_4") == "r-1.2:3_4"
    with pytest.raises(QwenInputTypeError):
        check_identifier("parent_id", 7)
    with pytest.raises(QwenInputValueError):
        check_identifier("parent_id", "a/b")


def test_ids_as_the_service_returns_them_pass() -> None:
    uuid = "04a8a0eb-c914-4bf2-9831-dd0973a12f6e"
    assert require_identifier("chat_id", uuid) == uuid
    assert require_identifier("chat_id", "x" * MAX_IDENTIFIER_LENGTH) == "x" * MAX_IDENTIFIER_LENGTH
    assert require_identifier("chat_id", "a..b") == "a..b"  # dots inside an id are fine, a path segment is not


def test_a_huge_id_is_measured_not_quoted() -> None:
    with pytest.raises(QwenInputValueError) as info:
        require_identifier("chat_id", "c" * 5_000_000)
    assert (
        str(info.value) == f"chat_id is 5000000 characters long; the service's ids are at most {MAX_IDENTIFIER_LENGTH}"
    )


def test_a_hostile_id_is_quoted_short() -> None:
    with pytest.raises(QwenInputValueError) as info:
        require_identifier("chat_id", "?" * 100)
    message = str(info.value)
    assert message.startswith("chat_id '" + "?" * 40 + "'... (100 characters) is not a chat id: ")
    assert "?" * 41 not in message


def test_short_repr() -> None:
    assert short_repr("abc") == "'abc'"
    assert short_repr("x" * 40) == repr("x" * 40)
    assert short_repr("x" * 41) == repr("x" * 40) + "... (41 characters)"
    assert short_repr("a\nb") == "'a\\nb'"  # escaped: one line


def test_a_lone_surrogate_is_a_value_error_that_says_where() -> None:
    assert check_text("the message", "hi 🙂") == "hi 🙂"
    with pytest.raises(QwenInputValueError, match=r"^the message contains a lone surrogate \(U\+D800 at index 3\)"):
        check_text("the message", "hi \ud800 there")
