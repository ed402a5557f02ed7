"""Redaction removes secrets and nothing else.

Every message the SDK can produce -- every string literal and f-string in ``qwen_api/`` that reads
like a sentence (exception texts, log lines, CLI output, the local server's error messages, which
reach users inside exceptions) -- goes through redaction unchanged. The scan reads the source, so a
new message is covered the day it is written. Real secrets in the shapes they travel in (headers,
cookies, JSON, URLs, exception texts) are still removed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from qwen_api._redaction import REDACTED, SecretRegistry
from qwen_api.core.exceptions import QwenAuthenticationError

PACKAGE = Path(__file__).resolve().parents[2] / "qwen_api"
PLACEHOLDER = "value"
"""What an f-string's ``{...}`` becomes: a word, as most interpolations in messages are (a model
name, a path, a count); an interpolated secret is what redaction is for, not a message."""

_REGEX_CALLS = {"compile", "sub", "match", "search", "fullmatch", "findall", "finditer", "split"}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
        # attribute docstrings: a string statement right after an assignment
        for field in ("body", "orelse"):
            statements = getattr(node, field, None)
            if isinstance(statements, list):
                for statement in statements:
                    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                        ids.add(id(statement.value))
    return ids


def _regex_arguments(tree: ast.AST) -> set[int]:
    """Patterns handed to ``re`` (they are not messages)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REGEX_CALLS:
            if node.args and isinstance(node.func.value, ast.Name) and node.func.value.id == "re":
                ids.update(id(sub) for sub in ast.walk(node.args[0]))
    return ids


def _render(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
        else:
            parts.append(PLACEHOLDER)
    return "".join(parts)


def _reads_like_a_sentence(text: str) -> bool:
    return " " in text.strip() and len(re.findall(r"[A-Za-z]{2,}", text)) >= 2


def sdk_messages() -> dict[str, str]:
    """Every sentence-like string in the package, keyed by where it is (``path:line``)."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = _docstrings(tree) | _regex_arguments(tree)
        inside_fstrings = {
            id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in ast.walk(node)
        } - {id(node) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)}
        for node in ast.walk(tree):
            if id(node) in skip or id(node) in inside_fstrings:
                continue
            if isinstance(node, ast.JoinedStr):
                text = _render(node)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            if _reads_like_a_sentence(text):
                found[f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"] = text
    return found


MESSAGES = sdk_messages()


def registry() -> SecretRegistry:
    """A registry that knows some secrets, as one does after a client was made."""
    secrets = SecretRegistry()
    secrets.add("eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InUxIn0.c2lnbmF0dXJlMTIz", "refresh-9f8e7d6c5b4a")
    secrets.add_cookie(
        "cna=Zk3mQ9wLxP2vRt; ssxmod_itna=Qm7Yx0e1RkVhZ2Lw; " + PREFERENCE_COOKIES  # a browser's cookie jar
    )
    return secrets


PREFERENCE_COOKIES = "x-ap=ap-southeast-1; theme=system; language=en-US; timezone=Asia/Shanghai; xlly=1"
"""Cookie entries that are settings, not credentials: words that also occur in ordinary messages."""


def test_the_scan_finds_the_messages_users_see() -> None:
    texts = "\n".join(MESSAGES.values())
    assert len(MESSAGES) > 300
    assert "no Qwen token: pass Qwen(api_key=...) or set QWEN_AUTH_TOKEN" in texts
    assert "or give the client a refresh token (refresh_token= or" in texts
    assert "this client is closed" in texts and "create a new client" in texts


@pytest.mark.parametrize("where", sorted(MESSAGES))
def test_a_message_without_a_secret_comes_out_unchanged(where: str) -> None:
    message = MESSAGES[where]
    assert registry().redact(message) == message


def test_the_first_errors_a_user_sees_are_intact() -> None:
    from qwen_api._config import _MISSING_TOKEN

    error = QwenAuthenticationError(_MISSING_TOKEN)
    assert str(error).startswith("no Qwen token: pass Qwen(api_key=...) or set QWEN_AUTH_TOKEN")
    assert REDACTED not in str(error)


def test_the_expired_token_message_keeps_its_words(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import json

    from qwen_api import Qwen

    monkeypatch.delenv("QWEN_REFRESH_TOKEN", raising=False)
    claims = base64.urlsafe_b64encode(json.dumps({"id": "u1", "exp": 1}).encode()).decode().rstrip("=")
    with Qwen(
        api_key=f"eyJhbGciOiJIUzI1NiJ9.{claims}.c2lnbmF0dXJl", cookie="", base_url="http://127.0.0.1:9"
    ) as client:
        with pytest.raises(QwenAuthenticationError) as info:
            client.models.list()
    text = str(info.value)
    assert "the Qwen token expired at" in text
    assert "(refresh_token= or QWEN_REFRESH_TOKEN, or a cookie with refresh_token=) so it renews" in text
    assert REDACTED not in text


SECRET_SHAPES = [
    ("Authorization: Bearer {s}", "Zm9vYmFyMTIzNDU2"),
    ("Cookie: token={s}; cna=abc", "tok3n-v4lue-5f1c2a"),
    ('{{"token": "{s}"}}', "s3cr3t-json-token"),
    ("{{'refresh_token': '{s}'}}", "r3fresh-abcdefgh"),
    ("https://bucket.oss.example.com/f.png?x-oss-signature={s}&x-oss-date=1", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
    ("x-oss-security-token: {s}", "CAIS9wN1q6Ft5B2yfSjIr5bSEsv"),
    ("access_key_secret={s}", "AbCdEfGhIjKlMnOpQrSt"),
    ("AccessKeySecret: {s}", "Zyxwvutsrqponmlk"),
    ("security_token = {s}", "STS.NUCmpL3v9VnwSzm"),
    ("signature: {s}", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"),
    ("access_token={s}", "abcdefghijklmnop"),
    ("failed with {s} inside", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"),
]


@pytest.mark.parametrize(("template", "secret"), SECRET_SHAPES)
def test_a_secret_in_any_of_its_shapes_is_removed(template: str, secret: str) -> None:
    text = template.format(s=secret)
    redacted = SecretRegistry().redact(text)
    assert secret not in redacted
    assert REDACTED in redacted


def test_known_secrets_are_removed_wherever_they_appear() -> None:
    secrets = registry()
    text = "saw Zk3mQ9wLxP2vRt and refresh-9f8e7d6c5b4a in a sentence"
    assert secrets.redact(text) == f"saw {REDACTED} and {REDACTED} in a sentence"


def test_cookie_preferences_are_not_secrets_so_messages_keep_their_words() -> None:
    """With a region and a theme in the cookie, "oss-ap-southeast-1" and "role system" used to come
    out as ``oss-<redacted>`` and ``role <redacted>``: every cookie value was a secret."""
    secrets = SecretRegistry()
    secrets.add_cookie("x-ap=ap-southeast-1; theme=system")
    message = "upload to oss-ap-southeast-1 failed; role system"
    assert secrets.redact(message) == message


def test_the_sdk_error_keeps_its_words_with_the_issue_cookie() -> None:
    from qwen_api import Qwen
    from qwen_api.core.exceptions import QwenAPIError

    with Qwen(api_key="tok-1234567890", cookie="x-ap=ap-southeast-1; theme=system", base_url="http://127.0.0.1:9"):
        text = str(QwenAPIError("upload to oss-ap-southeast-1 failed; role system"))
    assert text == "upload to oss-ap-southeast-1 failed; role system"


@pytest.mark.parametrize(
    ("cookie", "secret"),
    [
        ("cna=x1y2z3", "x1y2z3"),  # secret by name, however short (down to 6 characters)
        ("ssxmod_itna=echoed-cookie-value-123", "echoed-cookie-value-123"),  # by name, even made of words
        ("token=abcdefgh", "abcdefgh"),
        ("tfstk=shortish1", "shortish1"),
        ("isg=BAcDeFgH12", "BAcDeFgH12"),
        ("acw_tc=0a1b2c3d4e", "0a1b2c3d4e"),
        ("x5sec=7b22617070", "7b22617070"),
        ("JSESSIONID=ABCDEF1234", "ABCDEF1234"),  # a name that says it is a session
        ("my_auth=qwerty123", "qwerty123"),
        ("prefs=Zk3mQ9wLxP2vRtYb", "Zk3mQ9wLxP2vRtYb"),  # another name, but a credential's shape
        ("_ga=GA1.1.1234567.1700000000", "GA1.1.1234567.1700000000"),
        ("device=04a8a0eb-c914-4bf2-9831-dd0973a12f6e", "04a8a0eb-c914-4bf2-9831-dd0973a12f6e"),
    ],
)
def test_cookie_credentials_are_still_removed_wherever_they_appear(cookie: str, secret: str) -> None:
    secrets = SecretRegistry()
    secrets.add_cookie(f"theme=system; {cookie}; x-ap=ap-southeast-1")
    assert secrets.redact(f"saw {secret} here") == f"saw {REDACTED} here"


@pytest.mark.parametrize(
    "cookie",
    [
        "x-ap=ap-southeast-1",
        "theme=system",
        "language=en-US",
        "region=cn-hangzhou-finance",  # 19 characters, but words
        "timezone=Asia/Shanghai",
        "xlly_x=1",
        "mode=abc",  # under six characters: never scrubbed from a whole text
    ],
)
def test_cookie_settings_are_never_scrubbed_from_messages(cookie: str) -> None:
    secrets = SecretRegistry()
    secrets.add_cookie(cookie)
    value = cookie.partition("=")[2]
    assert secrets.redact(f"the {value} in a message") == f"the {value} in a message"


def test_oss_authorization_headers_are_removed() -> None:
    secrets = SecretRegistry()
    v4 = "OSS4-HMAC-SHA256 Credential=STS.abc/20261205/cn/oss/aliyun_v4_request,Signature=0123abcd"
    assert "0123abcd" not in secrets.redact(v4)
    assert "Zm9vYmFy" not in secrets.redact("Authorization: OSS STS.abc:Zm9vYmFyMTIzNDU2Nzg5MGFiY2RlZg==")
