"""``qwen auth import-har`` (HAR in, private ``.env`` out, no secret shown) and ``qwen auth status``."""

from __future__ import annotations

import base64
import json
import re
import socket
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from qwen_api.cli._auth import expiry_text, jwt_claims
from qwen_api.cli._har import HarError, merge_env, read_har, render_entry
from qwen_api.testing import RunningServer

from .conftest import Cli

USER_ID = "8f7e6d5c-0000-4000-8000-123456789abc"


def fake_jwt(exp: float, iat: float | None = None, **claims: Any) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    payload = {"id": USER_ID, "exp": int(exp), "iat": int(iat if iat is not None else exp - 900), **claims}
    return f"{part({'alg': 'HS256', 'typ': 'JWT', 'kid': 'legacy'})}.{part(payload)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"


NOW = time.time()
OLD_TOKEN = fake_jwt(NOW - 3600)
TOKEN = fake_jwt(NOW + 14 * 60, type="access_token")
COOKIE_TOKEN = fake_jwt(NOW + 10 * 60)
REFRESH = "refresh-secret-5f1e0c9a7b"
BX_UA = "231!fakeBxUaValue+with/odd=chars$and'quote"
BX_UMID = "T2gAfakeUmidToken0123456789"
CNA = "cna-secret-value-42"
ITNA = "ssxmod-secret-value-77"
SECRETS = [TOKEN, OLD_TOKEN, COOKIE_TOKEN, REFRESH, BX_UA, BX_UMID, CNA, ITNA, "secret-of-another-site"]


def entry(
    url: str,
    when: str,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    set_cookies: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "startedDateTime": when,
        "request": {
            "method": "GET",
            "url": url,
            "httpVersion": "h2",
            "headers": [{"name": k, "value": v} for k, v in (headers or {}).items()],
            "cookies": [{"name": k, "value": v} for k, v in (cookies or {}).items()],
        },
        "response": {"status": 200, "headers": [], "cookies": set_cookies or []},
    }


def sample_har() -> dict[str, Any]:
    """A browser session: an older token, a newer one, cookies that change, another site's cookies."""
    entries = [
        # listed out of order on purpose: the newest request must win by startedDateTime
        entry(
            "https://chat.qwen.ai/api/v2/chats/?page=1",
            "2026-10-01T10:05:00.000Z",
            headers={"authorization": f"Bearer {TOKEN}", "bx-ua": BX_UA, "bx-umidtoken": BX_UMID, "version": "0.3.12"},
            cookies={"token": COOKIE_TOKEN, "cna": CNA, "ssxmod_itna": ITNA, "refresh_token": REFRESH},
        ),
        entry(
            "https://chat.qwen.ai/api/v2/models/",
            "2026-10-01T10:00:00.000Z",
            headers={"Authorization": f"Bearer {OLD_TOKEN}", "bx-ua": "231!old", "Version": "0.3.11"},
            cookies={"token": OLD_TOKEN, "cna": "old-cna", "acw_tc": "stale-acw"},
        ),
        entry(
            "https://chat.qwen.ai/c/new-chat",  # a page load, not /api/: its Authorization never counts
            "2026-10-01T10:06:00.000Z",
            headers={"authorization": "Bearer undefined"},
            cookies={"cna": CNA},
            set_cookies=[{"name": "acw_tc", "value": ""}],  # the server deleted this cookie
        ),
        entry(
            "https://g.alicdn.com/sd/baxia.js",
            "2026-10-01T10:07:00.000Z",
            cookies={"isg": "secret-of-another-site"},
        ),
    ]
    return {"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "131"}, "entries": entries}}


def write_har(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


# -- import-har through the CLI ------------------------------------------------------------------------


def test_import_har_writes_a_private_env_and_prints_no_secret(cli: Cli, tmp_path: Path) -> None:
    write_har(tmp_path / "session.har", sample_har())
    (tmp_path / ".env").write_text("# mine\nOTHER_SETTING=keep me\nQWEN_AUTH_TOKEN=stale\nQWEN_MODEL=qwen3.5-plus\n")
    result = cli("auth", "import-har", "session.har", QWEN_AUTH_TOKEN="")
    assert result.returncode == 0, result.stderr

    env_file = tmp_path / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    values = dotenv_values(env_file)
    assert values == {
        "OTHER_SETTING": "keep me",
        "QWEN_AUTH_TOKEN": TOKEN,
        "QWEN_COOKIE": f"cna={CNA}; ssxmod_itna={ITNA}; refresh_token={REFRESH}",
        "QWEN_REFRESH_TOKEN": REFRESH,
        "QWEN_BX_UA": BX_UA,
        "QWEN_BX_UMIDTOKEN": BX_UMID,
        "QWEN_FRONTEND_VERSION": "0.3.12",
        "QWEN_MODEL": "qwen3.5-plus",
    }
    assert env_file.read_text().startswith("# mine\nOTHER_SETTING=keep me\nQWEN_AUTH_TOKEN=")

    shown = result.stdout + result.stderr
    for secret in SECRETS:
        assert secret not in shown
    # the token was minted at import time with 14 minutes to live; a long suite may have used some
    assert "Authorization header" in shown and re.search(r"\(in (1[0-4]|[1-9]) minutes?\)", shown)
    assert "cna, ssxmod_itna, refresh_token" in shown  # names only
    assert "0.3.12" in shown


def test_the_written_env_is_what_the_sdk_reads(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_har(tmp_path / "session.har", sample_har())
    assert cli("auth", "import-har", "session.har", "--output", "conf/qwen.env").returncode == 0
    assert stat.S_IMODE((tmp_path / "conf" / "qwen.env").stat().st_mode) == 0o600
    (tmp_path / "conf" / "qwen.env").rename(tmp_path / ".env")
    monkeypatch.chdir(tmp_path)  # the SDK reads the .env in the working directory (never a parent's)

    from qwen_api._config import resolve_config

    config = resolve_config(
        api_key=None,
        cookie=None,
        base_url=None,
        auth_base_url=None,
        timeout=None,
        max_retries=None,
        default_headers=None,
        refresh_token=None,
        environ={},  # nothing from the real environment: every value must come from .env
    )
    assert config.api_key == TOKEN
    assert config.bx_ua == BX_UA and config.bx_umidtoken == BX_UMID
    assert config.refresh_token == REFRESH and config.frontend_version == "0.3.12"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON"),
        ({"log": {}}, "no log.entries"),
        ({"log": {"entries": []}}, "no requests"),
        (
            {"log": {"entries": [entry("https://example.com/", "2026-10-01T10:00:00Z", cookies={"a": "b"})]}},
            "no requests to chat.qwen.ai",
        ),
        (  # a sanitised export: the requests are there, the credentials are not
            {"log": {"entries": [entry("https://chat.qwen.ai/api/v2/chats/", "2026-10-01T10:00:00Z")]}},
            "with sensitive data",
        ),
    ],
    ids=["not-json", "not-har", "empty", "other-site", "sanitised"],
)
def test_a_bad_har_is_a_usage_error(cli: Cli, tmp_path: Path, content: Any, message: str) -> None:
    write_har(tmp_path / "bad.har", content)
    result = cli("auth", "import-har", "bad.har")
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / ".env").exists()


def test_a_missing_har_is_a_usage_error(cli: Cli) -> None:
    result = cli("auth", "import-har", "nowhere.har")
    assert result.returncode == 2 and "no such file" in result.stderr


# -- status --------------------------------------------------------------------------------------------


def test_status_shows_the_user_and_the_expiry(cli: Cli) -> None:
    token = fake_jwt(time.time() + 14 * 60 + 20)
    result = cli("auth", "status", QWEN_AUTH_TOKEN=token, QWEN_COOKIE="cna=abc123456; x=1")
    assert result.returncode == 0, result.stderr
    assert "Local Tester <user@example.com>" in result.stdout
    assert "(in 14 minutes)" in result.stdout and USER_ID in result.stdout
    assert "2: cna, x" in result.stdout
    assert token not in result.stdout + result.stderr and "abc123456" not in result.stdout

    body = json.loads(cli("auth", "status", "--json", QWEN_AUTH_TOKEN=token).stdout)
    assert body["signed_in"] is True and body["user"]["name"] == "Local Tester"
    assert body["token"]["expires_at"] == jwt_claims(token)["exp"]  # type: ignore[index]
    assert body["token"]["expired"] is False


def test_status_reads_the_env_file_option(cli: Cli, tmp_path: Path) -> None:
    write_har(tmp_path / "session.har", sample_har())
    assert cli("auth", "import-har", "session.har", "-o", "elsewhere/.env").returncode == 0
    result = cli("auth", "status", "--env-file", "elsewhere/.env", QWEN_AUTH_TOKEN="")
    assert result.returncode == 0, result.stderr
    assert "refresh token      stored" in result.stdout and "set / set" in result.stdout


def test_status_exits_1_when_the_service_refuses(cli: Cli) -> None:
    token = fake_jwt(time.time() + 600)
    result = cli("auth", "status", QWEN_AUTH_TOKEN=token, headers={"x-qwen-mock-fault": "envelope_unauthorized"})
    assert result.returncode == 1
    assert "(the service refused the token)" in result.stdout
    assert result.stderr.startswith("qwen: QwenAuthenticationError: ")
    assert token not in result.stdout + result.stderr


def test_status_of_an_expired_token_does_not_blame_the_service(cli: Cli, server: RunningServer) -> None:
    """The SDK refuses a token past its expiry without sending it: the service refused nothing."""
    token = fake_jwt(time.time() - 300)
    before = len(server.state.requests)
    result = cli("auth", "status", QWEN_AUTH_TOKEN=token)
    assert result.returncode == 1
    assert "expired 5 minutes ago" in result.stdout and "(the token has expired)" in result.stdout
    assert "refused" not in result.stdout
    assert len(server.state.requests) == before
    assert token not in result.stdout + result.stderr


def _closed_port() -> int:
    with socket.socket() as probe:  # bound, then closed: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_status_on_a_connection_failure_says_the_service_could_not_be_reached(cli: Cli) -> None:
    token = fake_jwt(time.time() + 600)
    unreachable = f"http://127.0.0.1:{_closed_port()}"
    result = cli("--max-retries", "0", "auth", "status", QWEN_AUTH_TOKEN=token, QWEN_BASE_URL=unreachable)
    assert result.returncode == 1  # the API-error code
    assert "signed in as       - (the service could not be reached)" in result.stdout
    assert "refused" not in result.stdout
    assert result.stderr.startswith("qwen: QwenConnectionError: ")
    body = json.loads(
        cli("--max-retries", "0", "auth", "status", "--json", QWEN_AUTH_TOKEN=token, QWEN_BASE_URL=unreachable).stdout
    )
    assert body["signed_in"] is False
    assert body["check_failed"] == {"error": "QwenConnectionError", "cause": "the service could not be reached"}


def test_status_on_a_timeout_or_a_block_names_that_cause(cli: Cli) -> None:
    token = fake_jwt(time.time() + 600)
    for fault, cause, error in (
        ("stall_before_headers; seconds=5", "the service did not answer in time", "QwenTimeoutError"),
        ("waf_html", "the service's anti-bot check blocked the request", "QwenAntiBotError"),
    ):
        result = cli(
            "--max-retries", "0", "--timeout", "0.5", "auth", "status", QWEN_AUTH_TOKEN=token,
            headers={"x-qwen-mock-fault": fault},
        )  # fmt: skip
        assert result.returncode == 1, fault
        assert f"signed in as       - ({cause})" in result.stdout, result.stdout
        assert result.stderr.startswith(f"qwen: {error}: "), result.stderr


# -- the pieces, in process ----------------------------------------------------------------------------


def test_cookie_header_is_used_when_the_cookie_list_is_missing(tmp_path: Path) -> None:
    document = {
        "log": {
            "entries": [
                entry(
                    "https://chat.qwen.ai/api/v1/auths/",
                    "2026-10-01T10:00:00Z",
                    headers={"Cookie": f"token={COOKIE_TOKEN}; cna={CNA}"},
                )
            ]
        }
    }
    found = read_har(write_har(tmp_path / "h.har", document))
    assert found.token == COOKIE_TOKEN and found.token_source == "token cookie"
    assert found.cookies == {"cna": CNA}
    assert TOKEN not in repr(found) and CNA not in repr(found)


def test_refresh_token_set_by_the_auth_host_is_found(tmp_path: Path) -> None:
    document = {
        "log": {
            "entries": [
                entry(
                    "https://chat.qwen.ai/api/v2/chats/",
                    "2026-10-01T10:00:00Z",
                    headers={"authorization": f"Bearer {TOKEN}"},
                ),
                entry(
                    "https://auth.qwen.ai/api/v2/auths/refresh",
                    "2026-10-01T10:01:00Z",
                    set_cookies=[{"name": "refresh_token", "value": REFRESH, "domain": "auth.qwen.ai"}],
                ),
            ]
        }
    }
    found = read_har(write_har(tmp_path / "h.har", document))
    assert found.refresh_token == REFRESH
    assert "refresh_token" not in found.cookies  # not the chat host's cookie


def test_merge_keeps_other_entries_and_drops_stale_managed_ones() -> None:
    existing = 'A=1\n# comment\nQWEN_BX_UA="old"\nexport QWEN_REFRESH_TOKEN=old\nMULTI="line one\nline two"\n'
    text, dropped = merge_env(existing, {"QWEN_AUTH_TOKEN": "t0ken.value", "QWEN_BX_UA": "new"})
    assert dropped == ["QWEN_REFRESH_TOKEN"]
    assert text == "A=1\n# comment\nQWEN_AUTH_TOKEN='t0ken.value'\nQWEN_BX_UA='new'\nMULTI=\"line one\nline two\"\n"


@pytest.mark.parametrize("value", ["plain", "with space", "quo'te", 'dq"', "back\\slash", "$HOME", "a#b", "=x="])
def test_rendered_values_read_back_unchanged(value: str, tmp_path: Path) -> None:
    line = render_entry("KEY", value)
    (tmp_path / "e.env").write_text(line + "\n")
    assert dotenv_values(tmp_path / "e.env") == {"KEY": value}


def test_values_dotenv_would_expand_are_refused() -> None:
    with pytest.raises(HarError, match="expand"):
        render_entry("KEY", "a${B}c")


def test_jwt_helpers() -> None:
    assert jwt_claims("not-a-jwt") is None
    assert jwt_claims("a.%%%.c") is None
    assert jwt_claims(fake_jwt(1000.0))["exp"] == 1000  # type: ignore[index]
    assert expiry_text(1000.0, now=1000.0 + 180).endswith("(expired 3 minutes ago)")
    assert expiry_text(1000.0 + 7200, now=1000.0).endswith("(in 2 hours)")
    assert expiry_text(None).startswith("unknown")


# -- renewed tokens are saved --------------------------------------------------------------------------


def _expired_session(server: RunningServer, tmp_path: Path) -> tuple[str, str]:
    expired = fake_jwt(time.time() - 120)
    refresh = server.mint_refresh_token()
    (tmp_path / ".env").write_text(
        f"KEEP=1\nQWEN_AUTH_TOKEN={expired}\n"
        f"QWEN_COOKIE='cna=x1; refresh_token={refresh}'\nQWEN_REFRESH_TOKEN={refresh}\n"
    )
    return expired, refresh


def test_a_renewed_token_is_saved_back_to_the_env_file(cli: Cli, server: RunningServer, tmp_path: Path) -> None:
    expired, refresh = _expired_session(server, tmp_path)
    result = cli("chat", "after expiry", QWEN_AUTH_TOKEN="", QWEN_AUTH_BASE_URL=server.url)
    assert result.returncode == 0, result.stderr
    values = dotenv_values(tmp_path / ".env")
    assert values["KEEP"] == "1"
    assert values["QWEN_AUTH_TOKEN"] not in (expired, None)
    assert values["QWEN_REFRESH_TOKEN"] not in (refresh, None)
    assert values["QWEN_REFRESH_TOKEN"] in server.state.refresh_tokens  # the new one is still valid
    assert values["QWEN_COOKIE"] == f"cna=x1; refresh_token={values['QWEN_REFRESH_TOKEN']}"
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600
    again = cli("chat", "next run", QWEN_AUTH_TOKEN="", QWEN_AUTH_BASE_URL=server.url)
    assert again.returncode == 0, again.stderr


def test_status_renews_an_expired_token(cli: Cli, server: RunningServer, tmp_path: Path) -> None:
    expired, _ = _expired_session(server, tmp_path)
    result = cli("auth", "status", QWEN_AUTH_TOKEN="", QWEN_AUTH_BASE_URL=server.url)
    assert result.returncode == 0, result.stderr
    assert "Local Tester" in result.stdout and "token renewed" in result.stdout
    assert dotenv_values(tmp_path / ".env")["QWEN_AUTH_TOKEN"] != expired


def test_a_token_from_the_environment_is_renewed_but_not_saved(cli: Cli, server: RunningServer) -> None:
    result = cli(
        "chat",
        "env token",
        QWEN_AUTH_TOKEN=fake_jwt(time.time() - 120),
        QWEN_REFRESH_TOKEN=server.mint_refresh_token(),
        QWEN_AUTH_BASE_URL=server.url,
    )
    assert result.returncode == 0, result.stderr
    assert "not saved" in result.stderr


def test_an_env_file_that_is_missing_or_a_directory_is_named_as_such(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    missing = cli("--env-file", "nowhere.env", "models")
    assert missing.returncode == 2 and "--env-file nowhere.env: no such file" in missing.stderr
    folder = cli("--env-file", "folder", "models")
    assert folder.returncode == 2 and "--env-file folder: a directory, not a file" in folder.stderr


def test_an_expired_token_is_explained_to_a_shell_user(cli: Cli) -> None:
    result = cli("chat", "hi", QWEN_AUTH_TOKEN=fake_jwt(time.time() - 60))
    assert result.returncode == 1
    assert "set QWEN_REFRESH_TOKEN (`qwen auth import-har FILE.har` saves both tokens)" in result.stderr
    assert "refresh_token=" not in result.stderr  # the SDK's wording, for Python code
