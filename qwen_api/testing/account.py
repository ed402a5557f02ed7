"""Models and account: the catalogue, the session user, the status beacon and the auth host's refresh."""

from __future__ import annotations

import time

from starlette.responses import Response

from .auth import ACCESS_TOKEN, DEFAULT_ACCESS_LIFETIME, REFRESH_LIFETIME, REFRESH_TOKEN
from .context import Ctx, json_response
from .models_catalog import models_payload

__all__ = ["list_models", "list_models_v2", "refresh_tokens", "session_user", "users_status"]


async def list_models(ctx: Ctx) -> Response:
    """``GET /api/models``: the model catalogue (the legacy list, no auth needed)."""
    return json_response({"data": models_payload()}, request_id=ctx.request_id, actual=None)


async def list_models_v2(ctx: Ctx) -> Response:
    """``GET /api/v2/models/``: the model catalogue."""
    return ctx.envelope({"data": models_payload()})


async def session_user(ctx: Ctx) -> Response:
    """``GET /api/v1/auths/``: the signed-in user of the token."""
    exp = (ctx.claims or {}).get("exp")
    user = {
        "id": ctx.config.user_id,
        "email": "user@example.com",
        "name": "Local Tester",
        "role": "user",
        "profile_image_url": "",
        "token_type": "Bearer",
        "expires_at": int(exp) if isinstance(exp, int | float) else None,
    }
    return json_response(user, request_id=ctx.request_id)


async def users_status(ctx: Ctx) -> Response:
    """``POST /api/v2/users/status``: the web client's status ping."""
    return ctx.envelope(True)


async def refresh_tokens(ctx: Ctx) -> Response:
    """``GET /api/v2/auths/refresh``: a new access token for a valid refresh token."""
    old = ctx.request.cookies.get("refresh_token", "")
    claims = ctx.runtime.issuer.decode(old) if old else None
    valid = (
        claims is not None
        and claims.get("type") == REFRESH_TOKEN
        and old in ctx.state.refresh_tokens
        and float(claims.get("exp", 0)) > time.time()
    )
    if not valid:
        return ctx.error("Unauthorized", "Invalid or expired refresh token", 401)
    ctx.state.refresh_tokens.discard(old)
    lifetime = ctx.config.token_lifetime or DEFAULT_ACCESS_LIFETIME
    access = ctx.runtime.issuer.mint(lifetime=lifetime, token_type=ACCESS_TOKEN)
    refresh = ctx.runtime.issuer.mint(lifetime=REFRESH_LIFETIME, token_type=REFRESH_TOKEN)
    ctx.state.refresh_tokens.add(refresh)
    ctx.state.refresh_count += 1
    expires_at = int((ctx.runtime.issuer.decode(access) or {}).get("exp", time.time() + lifetime))
    return ctx.envelope({"access_token": access, "refresh_token": refresh, "expires_at": expires_at})
