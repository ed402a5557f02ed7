"""``qwen auth import-har`` and ``qwen auth status``. Neither ever prints a secret's value."""

from __future__ import annotations

import argparse
import base64
import json
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import config_from_args, humanize_duration, print_json, write
from ._har import HarError, read_har, update_env_file

if TYPE_CHECKING:
    from qwen_api._config import ClientConfig


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a JWT, decoded without verifying anything; None when it is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def expiry_text(exp: float | None, now: float | None = None) -> str:
    """``2026-11-25 21:35:10 CET (in 14 minutes)`` or ``... (expired 3 minutes ago)``."""
    if exp is None:
        return "unknown (not a JWT with an exp claim)"
    left = exp - (time.time() if now is None else now)
    relative = f"in {humanize_duration(left)}" if left > 0 else f"expired {humanize_duration(left)} ago"
    return f"{_when(exp)} ({relative})"


# -- import-har ----------------------------------------------------------------------------------------


def cmd_import_har(args: argparse.Namespace) -> int:
    found = read_har(args.har, args.host)
    if found.entries == 0:
        raise HarError(f"{args.har}: the HAR has no requests")
    if found.host_requests == 0:
        raise HarError(
            f"{args.har}: no requests to {found.host} in {found.entries} entries "
            "(export the HAR from a chat.qwen.ai tab, after sending a message)"
        )
    if not found.token:
        raise HarError(
            f"{args.har}: no token in {found.host_requests} requests to {found.host}: the export left credentials "
            "out (Chrome: use 'Export HAR (with sensitive data)'), or the session was not signed in"
        )
    output = Path(args.output).expanduser()
    values = found.env_values()
    dropped = update_env_file(output, values)

    claims = jwt_claims(found.token) or {}
    exp = _number(claims.get("exp"))
    rows = [
        ("token", f"from the {found.token_source}; expires {expiry_text(exp)}"),
        ("cookies", f"{len(found.cookies)}: {', '.join(found.cookies) or '-'}" if found.cookies else "none"),
        ("refresh token", "found" if found.refresh_token else "not found"),
        ("bx-ua", "found" if found.bx_ua else "not found"),
        ("bx-umidtoken", "found" if found.bx_umidtoken else "not found"),
        ("version", found.version or "not found"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"Read {found.host_requests} requests to {found.host} from {args.har}"]
    lines += [f"  {name.ljust(width)}  {value}" for name, value in rows]
    lines.append(f"Wrote {output} (mode 0600): {', '.join(values)}")
    if dropped:
        lines.append(f"Removed from {output} (not in this HAR): {', '.join(dropped)}")
    if exp is not None and exp < time.time() and not found.refresh_token:
        lines.append("Warning: the token has expired and there is no refresh token; export a fresh HAR.")
    lines.append("Delete the HAR file now: it holds your session. Check the result with: qwen auth status")
    write("\n".join(lines) + "\n")
    return 0


# -- status --------------------------------------------------------------------------------------------


def session_user(config: ClientConfig) -> dict[str, Any]:
    """``GET /api/v1/auths/`` through the SDK (``client.account``), with exactly these credentials."""
    from qwen_api.client import client_for

    with client_for(config) as client:
        account = client.account.retrieve()
    return {**account.raw, "id": account.id, "email": account.email, "name": account.name, "role": account.role}


def _cookie_names(cookie: str | None) -> list[str]:
    names = []
    for part in (cookie or "").split(";"):
        name, sep, _ = part.strip().partition("=")
        if sep and name:
            names.append(name)
    return names


def cmd_status(args: argparse.Namespace) -> int:
    from qwen_api.core.exceptions import QwenAPIError, QwenAuthenticationError

    try:
        config = config_from_args(args)
    except QwenAuthenticationError:  # no token anywhere: a state to report, not an error (exit 0)
        return _not_signed_in(args)
    renewed: str | None = None
    renew_error: QwenAPIError | None = None
    if _about_to_expire(config.api_key) and config.refresh_token:
        try:
            config, renewed = _renew(args, config)
        except QwenAPIError as exc:
            renew_error = exc
    claims = jwt_claims(config.api_key)
    exp = _number((claims or {}).get("exp"))
    iat = _number((claims or {}).get("iat"))
    local: dict[str, Any] = {
        "base_url": config.base_url,
        "token": {
            "jwt": claims is not None,
            "user_id": (claims or {}).get("id"),
            "issued_at": iat,
            "expires_at": exp,
            "expired": exp is not None and exp <= time.time(),
        },
        "cookie_names": _cookie_names(config.cookie),
        "refresh_token": bool(config.refresh_token),
        "bx_ua": bool(config.bx_ua),
        "bx_umidtoken": bool(config.bx_umidtoken),
        "frontend_version": config.frontend_version,
        "renewed": renewed,
    }
    error: QwenAPIError | None = None
    user: dict[str, Any] | None = None
    try:
        user = session_user(config)
    except QwenAPIError as exc:
        error = exc

    unconfirmed = None if error is None else {"error": type(error).__name__, "cause": _unconfirmed_cause(error)}
    if args.json:
        print_json({"signed_in": user is not None, "user": _public_user(user), **local, "check_failed": unconfirmed})
    else:
        _print_status(local, user, exp, iat, unconfirmed)
    if error is not None:
        raise renew_error or error
    return 0


NOT_SIGNED_IN = "not signed in"


def _not_signed_in(args: argparse.Namespace) -> int:
    from ._common import NO_TOKEN

    reason = NO_TOKEN.removeprefix("no Qwen token: ")
    if args.json:
        print_json({"signed_in": False, "user": None, "token": None, "how_to_sign_in": reason})
    else:
        write(f"{NOT_SIGNED_IN} (no QWEN_AUTH_TOKEN in the environment or a .env file)\nTo sign in: {reason}\n")
    return 0


def _about_to_expire(token: str, margin: float = 60.0) -> bool:
    exp = _number((jwt_claims(token) or {}).get("exp"))
    return exp is not None and exp - margin <= time.time()


def _renew(args: argparse.Namespace, config: ClientConfig) -> tuple[ClientConfig, str | None]:
    """Let the SDK renew an expired token (any authenticated call does), saving the new pair like
    every command does; returns the config with the new token and where it was saved."""
    import attrs

    from ._common import credentials_file, make_client, save_renewed_tokens

    renewed: list[tuple[str, str | None]] = []

    def remember(access_token: str, refresh_token: str | None) -> None:
        renewed.append((access_token, refresh_token))
        save_renewed_tokens(access_token, refresh_token)

    with make_client(args, on_token_refresh=remember) as client:
        client.account.retrieve()
    if not renewed:
        return config, None
    access_token, refresh_token = renewed[-1]
    saved = credentials_file()
    new_config = attrs.evolve(config, api_key=access_token, refresh_token=refresh_token or config.refresh_token)
    return new_config, f"saved to {saved}" if saved is not None else "not saved (it comes from the environment)"


def _unconfirmed_cause(error: Exception) -> str:
    """Why the account could not be confirmed, in words: a refused token is only one of the causes."""
    from qwen_api.core.exceptions import (
        QwenAntiBotError,
        QwenAuthenticationError,
        QwenConnectionError,
        QwenTimeoutError,
    )

    if isinstance(error, QwenConnectionError):
        return "the service could not be reached"
    if isinstance(error, QwenTimeoutError):
        return "the service did not answer in time"
    if isinstance(error, QwenAuthenticationError):
        if error.url is None:  # refused by the SDK itself: the token's own expiry, nothing was sent
            return "the token has expired" if error.code == "Token_Expired" else "the token cannot be used"
        return "the service refused the token"
    if isinstance(error, QwenAntiBotError):
        return "the service's anti-bot check blocked the request"
    return "the service answered with an error"


def _public_user(user: dict[str, Any] | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {key: user.get(key) for key in ("id", "name", "email", "role") if key in user}


def _print_status(
    local: dict[str, Any],
    user: dict[str, Any] | None,
    exp: float | None,
    iat: float | None,
    unconfirmed: dict[str, str] | None,
) -> None:
    rows = []
    if user is not None:
        who = str(user.get("name") or user.get("email") or user.get("id") or "?")
        if user.get("email") and user.get("name"):
            who += f" <{user['email']}>"
        rows.append(("signed in as", who))
    else:
        cause = unconfirmed["cause"] if unconfirmed else "unknown"
        rows.append(("signed in as", f"- ({cause})"))
    token = local["token"]
    if token["user_id"]:
        rows.append(("user id", str(token["user_id"])))
    rows.append(("token expires", expiry_text(exp)))
    if local["renewed"]:
        rows.append(("token renewed", f"just now; {local['renewed']}"))
    if iat is not None:
        rows.append(("token issued", _when(iat)))
    rows.append(("refresh token", "stored" if local["refresh_token"] else "none"))
    cookies = local["cookie_names"]
    rows.append(("cookies", f"{len(cookies)}: {', '.join(cookies)}" if cookies else "none"))
    rows.append(
        ("bx-ua / umidtoken", f"{'set' if local['bx_ua'] else 'unset'} / {'set' if local['bx_umidtoken'] else 'unset'}")
    )
    rows.append(("service", local["base_url"]))
    width = max(len(name) for name, _ in rows)
    write("\n".join(f"{name.ljust(width)}  {value}" for name, value in rows) + "\n")
