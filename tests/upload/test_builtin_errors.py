"""Local upload mistakes are the built-in exceptions a Python user expects -- and still the documented
``QwenInvalidRequestError``, so existing ``except`` clauses keep working. Nothing is sent for any of them."""

from __future__ import annotations

import asyncio
import io
import pickle
from pathlib import Path

import pytest

from qwen_api import Qwen
from qwen_api.core.exceptions import (
    QwenAPIError,
    QwenFileNotFoundError,
    QwenInputError,
    QwenInvalidRequestError,
    QwenIsADirectoryError,
)

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens: a request would fail with a connection error


@pytest.fixture
def client() -> Qwen:
    return Qwen(api_key="builtin-errors-token", base_url=UNREACHABLE, max_retries=0)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_missing_file_is_a_file_not_found_error(client: Qwen, tmp_path: Path, mode: str) -> None:
    missing = tmp_path / "nope.png"
    with pytest.raises(FileNotFoundError) as info:
        if mode == "sync":
            client.chat.upload_file(file_path=missing)
        else:
            asyncio.run(client.chat.aupload_file(file_path=missing))
    error = info.value
    assert isinstance(error, QwenFileNotFoundError) and isinstance(error, QwenInvalidRequestError)
    assert error.filename == str(missing)
    assert str(error).startswith("file_path: no such file")


def test_a_directory_is_an_is_a_directory_error(client: Qwen, tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError) as info:
        client.chat.upload_file(tmp_path)
    assert isinstance(info.value, QwenIsADirectoryError) and info.value.filename == str(tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "builtin", "message"),
    [
        ({}, TypeError, "exactly one of file_path"),
        ({"file_path": "a.png", "base64_data": "aGk="}, TypeError, "exactly one of file_path"),
        ({"base64_data": b"aGk="}, TypeError, "base64_data must be a string"),
        ({"file": "not a file"}, TypeError, "binary file object"),
        ({"file_path": 42}, TypeError, "expected a path"),
        ({"file": io.StringIO("text")}, TypeError, "binary mode"),
        ({"base64_data": "@@@"}, ValueError, "not valid base64"),
        ({"file": io.BytesIO(b"")}, ValueError, "is empty"),
    ],
)
def test_call_mistakes_are_type_and_value_errors(
    client: Qwen, kwargs: dict[str, object], builtin: type[Exception], message: str
) -> None:
    with pytest.raises(builtin, match=message) as info:
        client.chat.upload_file(**kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, QwenInputError) and isinstance(info.value, QwenInvalidRequestError)


def test_an_empty_file_is_a_value_error(client: Qwen, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="is empty"):
        client.chat.upload_file(file_path=empty)


def test_the_documented_catch_all_still_catches_them(client: Qwen, tmp_path: Path) -> None:
    """The File Upload Tutorial wraps upload_file in ``except QwenAPIError``."""
    with pytest.raises(QwenAPIError):
        client.chat.upload_file(file_path=tmp_path / "nope.png")


def test_they_pickle_and_print_one_line(client: Qwen, tmp_path: Path) -> None:
    with pytest.raises(QwenFileNotFoundError) as info:
        client.chat.upload_file(file_path=tmp_path / "nope.png")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is QwenFileNotFoundError and str(copy) == str(info.value) and "\n" not in str(copy)


@pytest.mark.parametrize("surface", ["sync", "async", "AsyncQwen", "raw"])
def test_an_unknown_keyword_is_a_type_error_naming_it(tmp_path: Path, surface: str) -> None:
    """``upload_file`` keeps the ``**kwargs`` of its first signature, but takes no keyword through it."""
    from qwen_api import AsyncQwen

    path = tmp_path / "a.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    typo: dict[str, object] = {"progres": print}
    with pytest.raises(TypeError) as info:
        if surface == "sync":
            Qwen(api_key="t", base_url=UNREACHABLE, max_retries=0).chat.upload_file(path, **typo)
        elif surface == "async":
            client = Qwen(api_key="t", base_url=UNREACHABLE, max_retries=0)
            asyncio.run(client.chat.aupload_file(path, **typo))  # type: ignore[arg-type]
        elif surface == "AsyncQwen":

            async def go() -> None:
                async with AsyncQwen(api_key="t", base_url=UNREACHABLE, max_retries=0) as client:
                    await client.chat.upload_file(path, **typo)

            asyncio.run(go())
        else:
            Qwen(api_key="t", base_url=UNREACHABLE, max_retries=0).chat.with_raw_response.upload_file(path, **typo)
    assert isinstance(info.value, QwenInputError)
    assert "unexpected keyword argument(s): progres" in str(info.value)
