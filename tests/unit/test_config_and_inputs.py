"""Configuration sources and input validation: bad input fails before any request, naming the field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qwen_api import Qwen
from qwen_api._aliases import FALLBACK, resolve
from qwen_api._config import merge_cookie, resolve_config
from qwen_api._messages import normalise_messages, render_turn_text
from qwen_api.core.exceptions import QwenAuthenticationError
from qwen_api.types.chat import ChatMessage, ImageBlock, TextBlock


def config(**kwargs: object) -> object:
    base = dict(
        api_key=None,
        cookie=None,
        base_url=None,
        auth_base_url=None,
        timeout=None,
        max_retries=None,
        default_headers=None,
        refresh_token=None,
        environ={},
    )
    base.update(kwargs)
    return resolve_config(**base)  # type: ignore[arg-type]


@pytest.fixture
def in_empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("QWEN_AUTH_TOKEN", "QWEN_COOKIE", "QWEN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_missing_token_says_how_to_get_one(in_empty_dir: Path) -> None:
    with pytest.raises(QwenAuthenticationError, match="localStorage"):
        Qwen()


def test_precedence_arguments_then_environment_then_dotenv(in_empty_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (in_empty_dir / ".env").write_text(
        'QWEN_AUTH_TOKEN=from-dotenv\nQWEN_COOKIE="a=1; b=2"\nQWEN_BASE_URL=http://127.0.0.1:1\n'
    )
    client = Qwen()  # the .env of the working directory
    assert client._config.api_key == "from-dotenv" and client._config.cookie == "a=1; b=2"
    assert client.base_url == "http://127.0.0.1:1"  # the token came from the same file: so may the host
    monkeypatch.setenv("QWEN_AUTH_TOKEN", "from-env")
    assert Qwen()._config.api_key == "from-env"
    assert Qwen().base_url == "https://chat.qwen.ai"  # a .env never redirects credentials it did not supply
    assert Qwen(api_key="explicit")._config.api_key == "explicit"
    assert "QWEN_COOKIE" not in os.environ  # .env is read, never written into the environment
    monkeypatch.delenv("QWEN_AUTH_TOKEN")
    sub = in_empty_dir / "deeper"
    sub.mkdir()
    monkeypatch.chdir(sub)  # a .env in a parent directory is never read
    with pytest.raises(QwenAuthenticationError):
        Qwen()
    assert Qwen(env_file=in_empty_dir / ".env")._config.api_key == "from-dotenv"


def test_repr_never_shows_credentials() -> None:
    client = Qwen(api_key="super-secret-token", cookie="token=super-secret-token; x=cookieval123")
    assert "super-secret" not in repr(client) and "cookieval123" not in repr(client._config)


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": -1}, ValueError, "timeout"),
        ({"timeout": "30"}, TypeError, "timeout"),
        ({"base_url": "chat.qwen.ai"}, ValueError, "base_url"),
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"api_key": 123}, TypeError, "api_key"),
        ({"logging_level": "LOUD"}, ValueError, "logging_level"),
        ({"save_logs": "yes"}, TypeError, "save_logs"),
        ({"http_client": object()}, TypeError, "http_client"),
    ],
)
def test_bad_client_arguments(kwargs: dict[str, object], error: type[Exception], field: str) -> None:
    with pytest.raises(error, match=field):
        Qwen(**{"api_key": "t", **kwargs})  # type: ignore[arg-type]


def test_cookie_merge_sets_token() -> None:
    assert merge_cookie("a=1; token=old; b=2", "new") == "token=new; a=1; b=2"
    assert merge_cookie(None, "t") == "token=t"


def test_refresh_token_read_from_cookie() -> None:
    assert config(api_key="t", cookie="a=1; refresh_token=rt-value").refresh_token == "rt-value"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("messages", "error", "field"),
    [
        ("hello", TypeError, "messages"),
        ([], ValueError, "messages"),
        ([{"role": "wizard", "content": "x"}], ValueError, "role"),
        ([{"role": "user", "content": ""}], ValueError, r"messages\[0\]"),
        ([{"role": "user", "content": 42}], TypeError, "content"),
        ([{"role": "user", "content": "x", "colour": "red"}], ValueError, "colour"),
        ([{"role": "user", "blocks": [{"block_type": "sound"}]}], ValueError, "sound"),
        ([{"role": "user", "blocks": [42]}], TypeError, r"blocks\[0\]"),
        ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], ValueError, "user"),
        ([42], TypeError, r"messages\[0\]"),
    ],
)
def test_bad_messages(messages: object, error: type[Exception], field: str) -> None:
    with pytest.raises(error, match=field):
        normalise_messages(messages)


def test_image_block_needs_exactly_one_source() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        ImageBlock()
    with pytest.raises(ValueError, match="exactly one"):
        ImageBlock(url="https://x/y.png", path="/tmp/y.png")
    with pytest.raises(ValueError, match="block_type"):
        TextBlock(text="x", block_type="image")  # type: ignore[arg-type]


def test_history_keeps_roles_and_openai_style_dicts_work() -> None:
    messages = normalise_messages(
        [
            {"role": "system", "content": "Be brief."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Hi"},
                    {"type": "image_url", "image_url": {"url": "https://x/a.png"}},
                ],
            },
            ChatMessage(role="assistant", content="Hello!"),
            {"role": "user", "content": "Thanks"},
        ]
    )
    text = render_turn_text(messages)
    assert text == "[system]\nBe brief.\n\n[user]\nHi\n\n[assistant]\nHello!\n\n[user]\nThanks"
    assert isinstance(messages[1].blocks[1], ImageBlock)
    assert render_turn_text(normalise_messages([{"role": "user", "content": "only"}])) == "only"


def test_content_and_blocks_combine_never_drop() -> None:
    message = ChatMessage(
        role="user", content="look:", blocks=[TextBlock(text="more"), ImageBlock(url="https://x/i.png")]
    )
    assert message.text == "look:\nmore"
    assert len(message.attachments) == 1
    assert str(message) == "user: look:\nmore"


def test_aliases() -> None:
    available = ["qwen3.7-plus", "qwen3.7-max", "qwen3.6-plus", "qwen3.5-flash", "qwen3.8-max-preview"]
    assert resolve("qwen-max-latest", available) == "qwen3.8-max-preview"
    assert resolve("qwen-plus-latest", available) == "qwen3.7-plus"
    assert resolve("qwen-turbo-latest", available) == "qwen3.5-flash"
    assert resolve("qwen3.6-plus", available) == "qwen3.6-plus"
    assert resolve("anything-else", None) == "anything-else"
    assert resolve("qwen-max-latest", None) == FALLBACK["qwen-max-latest"]
    assert resolve("qwen-max-latest", ["qwen-max-latest"]) == "qwen-max-latest"
