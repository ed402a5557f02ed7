"""Uploads and media: STS grants pointing back at this server, document parse jobs, generated files.

A grant's ``endpoint`` is this server's own host, bare as in the recorded grant, so the SDK's OSS PUT lands on
:mod:`.oss`, which verifies it with the secret remembered here. Parse jobs answer ``running``
``parse_polls`` times, then ``success``. ``/output/...`` serves a tiny valid PNG (and a stub MP4) so
image URLs in t2i answers resolve.
"""

from __future__ import annotations

import secrets
import struct
import time
import uuid
import zlib
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import oss
from .context import BadRequest, Ctx, json_response
from .state import ParseJob, StsGrant

__all__ = ["PNG_BYTES", "get_sts_token", "get_sts_token_v1", "list_library", "output", "parse_file", "parse_status"]


def _grant_for(ctx: Ctx) -> StsGrant:
    body = ctx.body_dict()
    filename, filetype, filesize = body.get("filename"), body.get("filetype"), body.get("filesize")
    if not isinstance(filename, str) or not filename.strip() or not isinstance(filetype, str) or not filetype.strip():
        raise BadRequest("Invalid file information!")
    size: int | None = None
    if isinstance(filesize, int) and not isinstance(filesize, bool):
        size = filesize
    elif isinstance(filesize, str) and filesize.strip().isdigit():
        size = int(filesize.strip())
    file_id = str(uuid.uuid4())
    safe_name = filename.replace("/", "_").replace("\\", "_")
    grant = StsGrant(
        access_key_id="STS." + secrets.token_urlsafe(18),
        access_key_secret=secrets.token_urlsafe(30),
        security_token="CAIS" + secrets.token_urlsafe(90),
        bucket=oss.BUCKET,
        region=oss.REGION,
        file_id=file_id,
        file_path=f"{ctx.config.user_id}/{file_id}_{safe_name}",
        filename=filename,
        filetype=filetype,
        filesize=size,
        expires_at=time.time() + ctx.config.sts_lifetime,
    )
    ctx.state.grants[grant.access_key_id] = grant
    return grant


def _grant_payload(ctx: Ctx, grant: StsGrant) -> dict[str, Any]:
    base = ctx.runtime.base_url(ctx.request)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    credential = quote(f"{grant.access_key_id}/{stamp[:8]}/ap-southeast-1/oss/aliyun_v4_request", safe="")
    presign = (
        f"x-oss-security-token={quote(grant.security_token, safe='')}&x-oss-date={stamp}&x-oss-expires=300"
        f"&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential={credential}&x-oss-signature={secrets.token_hex(32)}"
    )
    return {
        "access_key_id": grant.access_key_id,
        "access_key_secret": grant.access_key_secret,
        "security_token": grant.security_token,
        "file_url": f"{base}/{grant.bucket}/{quote(grant.file_path)}?{presign}",
        "file_path": grant.file_path,
        "file_id": grant.file_id,
        "bucketname": grant.bucket,
        "region": grant.region,
        "endpoint": urlsplit(base).netloc,  # a bare host, as in the recorded grant
        "expiration": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(grant.expires_at)),
    }


async def get_sts_token(ctx: Ctx) -> Response:
    """``POST /api/v2/files/getstsToken``: short-lived storage credentials for one upload."""
    return ctx.envelope(_grant_payload(ctx, _grant_for(ctx)))


async def get_sts_token_v1(ctx: Ctx) -> Response:
    # Older deployments answered the grant flat (read by Qwen2API/Qwen2API_Go as body.get("data", body)).
    """``POST /api/v1/files/getstsToken``: the older path, a flat grant."""
    return json_response(_grant_payload(ctx, _grant_for(ctx)), request_id=ctx.request_id)


async def list_library(ctx: Ctx) -> Response:
    """The recorded answer of an empty library: uploads made for chats do not appear there."""
    return ctx.envelope({"has_more": False, "items": [], "cursor": None})


async def parse_file(ctx: Ctx) -> Response:
    """``POST /api/v2/files/parse``: start parsing an uploaded document."""
    file_id = ctx.body_dict().get("file_id")
    if not isinstance(file_id, str) or not file_id:
        raise BadRequest("Invalid file information!")
    ctx.state.parse_jobs[file_id] = ParseJob(file_id=file_id, polls_left=ctx.config.parse_polls)
    return ctx.envelope({"file_id": file_id})


async def parse_status(ctx: Ctx) -> Response:
    """``POST /api/v2/files/parse/status``: how far the parsing of documents got."""
    ids = ctx.body_dict().get("file_id_list")
    if not isinstance(ids, list):
        raise BadRequest("file_id_list must be a list")
    items = []
    for file_id in ids:
        job = ctx.state.parse_jobs.get(file_id) if isinstance(file_id, str) else None
        if job is None:
            items.append(
                {
                    "file_id": str(file_id),
                    "status": "failed",
                    "error_msg": "File not found",
                    "error_code": "Not_Found",
                    "retry": 0,
                }
            )
            continue
        status = "running" if job.polls_left > 0 else "success"
        job.polls_left = max(0, job.polls_left - 1)
        items.append({"file_id": file_id, "status": status, "error_msg": "", "error_code": "", "retry": 0})
    return ctx.envelope(items)


def _tiny_png() -> bytes:
    """A valid 1x1 PNG, built here so no binary file ships with the package."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x4f\x7c\xd9")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG_BYTES = _tiny_png()


async def output(request: Request) -> Response:
    """``GET /output/...``: the generated media (images) the answers point to."""
    path = request.path_params["path"]
    if path.endswith(".png"):
        return Response(PNG_BYTES, media_type="image/png")
    if path.endswith(".mp4"):
        return Response(b"\x00\x00\x00\x18ftypmp42", media_type="video/mp4")
    return JSONResponse({"detail": "Not Found"}, status_code=404)
