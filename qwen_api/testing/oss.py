"""An OSS-compatible object endpoint that verifies signatures the way Alibaba OSS does.

The SDK uploads with the STS grant from ``getstsToken`` (whose ``endpoint`` points back here), so
this is where its signer meets an independent verifier (oss-upload.md §5 and §7): the key is taken
from the *decoded* path and canonicalized again, the access key id and security token must belong
to a live grant, the date must be within 15 minutes, and the signature is recomputed with the
secret the server issued by :mod:`.oss_signatures` (which shares no code with the SDK's signer) and
compared in constant time. Failures answer
like OSS: an XML ``<Error>`` with ``application/xml`` and ``x-oss-request-id``. Bodies arrive by
Content-Length or chunked, are counted and hashed while streaming, and are written to disk only
when the server has a ``storage_dir``.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

import attrs
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from .oss_signatures import (
    bare_region_of,
    expected_v1_signature,
    expected_v4_signature,
    parse_v4_authorization,
    v4_canonical_request_text,
    v4_string_to_sign_text,
)
from .state import OssRequest, ServerState, StsGrant, Upload

__all__ = [
    "BUCKET",
    "MAX_SKEW_SECONDS",
    "REGION",
    "OssError",
    "Verdict",
    "handle_get",
    "handle_put",
    "split_object_path",
    "verify_request",
]

BUCKET = "qwen-webui-prod"
REGION = "oss-ap-southeast-1"
MAX_SKEW_SECONDS = 15 * 60
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_DRAIN_LIMIT = 512 * 1024 * 1024
_HOST_ID = f"{BUCKET}.oss-accelerate.aliyuncs.com"

_MESSAGES = {
    "AccessDenied": "You have no right to access this object because of bucket acl.",
    "InvalidAccessKeyId": "The OSS Access Key Id you provided does not exist in our records.",
    "InvalidSecurityToken": "The security token you provided is invalid.",
    "SecurityTokenExpired": "The security token you provided has expired.",
    "SignatureDoesNotMatch": "The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method.",
    "RequestTimeTooSkewed": "The difference between the request time and the current time is too large.",
    "InvalidDigest": "The Content-MD5 or x-oss-content-sha256 you specified did not match what we received.",
    "InvalidArgument": "Authorization header is invalid.",
    "NoSuchBucket": "The specified bucket does not exist.",
    "NoSuchKey": "The specified key does not exist.",
}
_STATUS = {"InvalidDigest": 400, "InvalidArgument": 400, "NoSuchBucket": 404, "NoSuchKey": 404}


@attrs.frozen
class OssError:
    """An OSS error answer: code, optional message override and extra XML elements."""

    code: str
    message: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def status(self) -> int:
        return _STATUS.get(self.code, 403)

    def response(self, request_id: str) -> Response:
        """The storage error as OSS answers it (XML, with its request id)."""
        elements = [
            ("Code", self.code),
            ("Message", self.message or _MESSAGES.get(self.code, self.code)),
            ("RequestId", request_id),
            ("HostId", _HOST_ID),
            *self.extra,
        ]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n'
            + "".join(f"  <{name}>{escape(value)}</{name}>\n" for name, value in elements)
            + "</Error>\n"
        )
        headers = {"x-oss-request-id": request_id, "server": "AliyunOSS"}
        return Response(body.encode("utf-8"), status_code=self.status, headers=headers, media_type="application/xml")


@attrs.frozen
class Verdict:
    """What the verifier decided about a request's credentials (before the body is read)."""

    error: OssError | None
    grant: StsGrant | None
    signature_version: str | None


def new_request_id() -> str:
    """A request id in the storage service's format."""
    return secrets.token_hex(12).upper()


def split_object_path(raw_path: str) -> tuple[str, str]:
    """``/bucket/percent-encoded/key`` -> (bucket, decoded key); decoding happens after the split."""
    bucket, _, encoded_key = raw_path.lstrip("/").partition("/")
    return unquote(bucket), unquote(encoded_key, encoding="utf-8", errors="strict")


def _parse_x_oss_date(value: str) -> float | None:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def _skew_error(request_time: float, now: float, shown: str) -> OssError | None:
    if abs(now - request_time) <= MAX_SKEW_SECONDS:
        return None
    server_time = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return OssError("RequestTimeTooSkewed", extra=(("RequestTime", shown), ("ServerTime", server_time)))


def _grant_error(grant: StsGrant | None, headers: Mapping[str, str], bucket: str, key: str) -> OssError | None:
    if grant is None:
        return OssError("InvalidAccessKeyId")
    token = headers.get("x-oss-security-token")
    if token is None:
        # An STS key id without its token is unknown to OSS as a plain key.
        return OssError("InvalidAccessKeyId", extra=(("OSSAccessKeyId", grant.access_key_id),))
    if not hmac.compare_digest(token.encode(), grant.security_token.encode()):
        return OssError("InvalidSecurityToken")
    if grant.expired:
        return OssError("SecurityTokenExpired")
    if bucket != grant.bucket or key != grant.file_path:
        return OssError("AccessDenied", "The STS grant does not cover this object: " + f"/{bucket}/{key}")
    return None


def verify_request(
    *,
    method: str,
    bucket: str,
    key: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    grants: Mapping[str, StsGrant],
    now: float | None = None,
) -> Verdict:
    """Check an OSS request's credentials and signature (V4 ``OSS4-HMAC-SHA256`` or V1 ``OSS ak:sig``).

    ``headers`` must have lower-case names; ``key`` and ``query`` are decoded. Pure: no I/O.
    """
    now = time.time() if now is None else now
    authorization = headers.get("authorization", "").strip()
    if not authorization:
        return Verdict(OssError("AccessDenied"), None, None)
    if authorization.startswith("OSS4-HMAC-SHA256"):
        return _verify_v4(method, bucket, key, query, headers, grants, now, authorization)
    if authorization.startswith("OSS "):
        return _verify_v1(method, bucket, key, headers, grants, now, authorization)
    return Verdict(OssError("InvalidArgument"), None, None)


def _verify_v4(
    method: str,
    bucket: str,
    key: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    grants: Mapping[str, StsGrant],
    now: float,
    authorization: str,
) -> Verdict:
    try:
        access_key_id, date, region, service, additional, signature = parse_v4_authorization(authorization)
    except ValueError as exc:
        return Verdict(OssError("InvalidArgument", f"Authorization header is invalid: {exc}"), None, "v4")
    grant = grants.get(access_key_id)
    error = _grant_error(grant, headers, bucket, key)
    if error is not None or grant is None:
        return Verdict(error, grant, "v4")
    stamp = headers.get("x-oss-date", "")
    request_time = _parse_x_oss_date(stamp)
    if request_time is None:
        return Verdict(OssError("InvalidArgument", "x-oss-date is missing or malformed."), grant, "v4")
    skew = _skew_error(request_time, now, stamp)
    if skew is not None:
        return Verdict(skew, grant, "v4")
    if "x-oss-content-sha256" not in headers:
        return Verdict(OssError("InvalidArgument", "x-oss-content-sha256 is required."), grant, "v4")
    canonical = v4_canonical_request_text(method, bucket, key, query, headers, additional)
    string_to_sign = v4_string_to_sign_text(canonical, stamp, region)
    scope_ok = service == "oss" and region == bare_region_of(grant.region) and date == stamp[:8]
    expected = expected_v4_signature(
        method=method,
        bucket=bucket,
        key=key,
        query=query,
        headers=headers,
        additional=additional,
        secret=grant.access_key_secret,
        region=grant.region,
    )
    if not scope_ok or not hmac.compare_digest(expected.encode(), signature.encode()):
        extra = (
            ("OSSAccessKeyId", access_key_id),
            ("SignatureProvided", signature),
            ("StringToSign", string_to_sign),
            ("CanonicalRequest", canonical),
        )
        return Verdict(OssError("SignatureDoesNotMatch", extra=extra), grant, "v4")
    return Verdict(None, grant, "v4")


def _verify_v1(
    method: str,
    bucket: str,
    key: str,
    headers: Mapping[str, str],
    grants: Mapping[str, StsGrant],
    now: float,
    authorization: str,
) -> Verdict:
    access_key_id, sep, signature = authorization[4:].strip().rpartition(":")
    if not sep or not access_key_id or not signature:
        return Verdict(OssError("InvalidArgument"), None, "v1")
    grant = grants.get(access_key_id)
    error = _grant_error(grant, headers, bucket, key)
    if error is not None or grant is None:
        return Verdict(error, grant, "v1")
    shown = headers.get("date") or headers.get("x-oss-date", "")
    request_time: float | None
    if "date" in headers:
        try:
            request_time = email.utils.parsedate_to_datetime(headers["date"]).timestamp()
        except (TypeError, ValueError):
            request_time = None
    else:
        request_time = _parse_x_oss_date(shown)
    if request_time is None:
        return Verdict(OssError("AccessDenied", "The Date header is missing or malformed."), grant, "v1")
    skew = _skew_error(request_time, now, shown)
    if skew is not None:
        return Verdict(skew, grant, "v1")
    expected = expected_v1_signature(
        method=method, bucket=bucket, key=key, headers=headers, secret=grant.access_key_secret
    )
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return Verdict(
            OssError(
                "SignatureDoesNotMatch", extra=(("OSSAccessKeyId", access_key_id), ("SignatureProvided", signature))
            ),
            grant,
            "v1",
        )
    return Verdict(None, grant, "v1")


def carries_chat_credentials(headers: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
    """A storage request must never carry the chat login: a Bearer token, a ``token`` cookie or ``bx-*``."""
    if headers.get("authorization", "").lower().startswith("bearer"):
        return True
    if "token" in cookies:
        return True
    return any(name.startswith("bx-") for name in headers)


def _storage_file(storage_dir: Path, bucket: str, key: str) -> Path:
    # One flat, escaped file name per key: no traversal, no collisions, readable enough.
    name = "o_" + quote(key, safe="")
    if len(name) > 200:
        name = name[:150] + "-" + hashlib.sha1(key.encode()).hexdigest()
    return storage_dir / bucket / name


def _digest_error(headers: Mapping[str, str], md5: bytes, sha256_hex: str) -> OssError | None:
    content_md5 = headers.get("content-md5")
    if content_md5 is not None:
        try:
            claimed = base64.b64decode(content_md5, validate=True)
        except (binascii.Error, ValueError):
            claimed = b""
        if not hmac.compare_digest(claimed, md5):
            return OssError("InvalidDigest")
    claimed_sha = headers.get("x-oss-content-sha256")
    if claimed_sha not in (None, UNSIGNED_PAYLOAD) and not hmac.compare_digest(
        claimed_sha.lower().encode(), sha256_hex.encode()
    ):
        return OssError("InvalidDigest")
    return None


async def handle_put(request: Request, state: ServerState, storage_dir: Path | None) -> Response:
    """PutObject, path-style: verify, stream the body (count, hash, maybe store), answer like OSS."""
    request_id = new_request_id()
    headers = {name.lower(): value for name, value in request.headers.items()}
    raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1").partition("?")[0]
    try:
        bucket, key = split_object_path(raw_path)
    except UnicodeDecodeError:
        bucket, key = BUCKET, ""
    query = dict(request.query_params.multi_items())
    saw_credentials = carries_chat_credentials(headers, request.cookies)
    record = OssRequest(
        method=request.method,
        bucket=bucket,
        key=key,
        headers=headers,
        verdict="pending",
        signature_version=None,
        saw_chat_credentials=saw_credentials,
    )
    state.record_oss(record)
    if bucket != BUCKET:
        verdict = Verdict(OssError("NoSuchBucket"), None, None)
    else:
        verdict = verify_request(
            method=request.method, bucket=bucket, key=key, query=query, headers=headers, grants=state.grants
        )
    record.signature_version = verdict.signature_version

    md5 = hashlib.md5()
    sha256 = hashlib.sha256()
    size = 0
    target: Path | None = None
    handle: BinaryIO | None = None
    if verdict.error is None and storage_dir is not None:
        target = _storage_file(storage_dir, bucket, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = target.open("wb")
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if verdict.error is not None:
                # Drain a rejected body so the client reads our 403 instead of a broken pipe.
                if size > _DRAIN_LIMIT:
                    break
                continue
            md5.update(chunk)
            sha256.update(chunk)
            if handle is not None:
                handle.write(chunk)
    finally:
        if handle is not None:
            handle.close()
    record.size = size

    error = verdict.error or _digest_error(headers, md5.digest(), sha256.hexdigest())
    if error is not None:
        record.verdict = error.code
        if target is not None:
            target.unlink(missing_ok=True)
        return error.response(request_id)

    record.verdict = "ok"
    grant = verdict.grant
    content_type = headers.get("content-type", "")
    state.uploads[key] = Upload(
        bucket=bucket,
        key=key,
        size=size,
        md5=md5.hexdigest(),
        content_type=content_type,
        verdict="ok",
        declared_size=None if grant is None else grant.filesize,
        path=None if target is None else str(target),
    )
    response_headers = {
        "etag": f'"{md5.hexdigest().upper()}"',
        "content-md5": base64.b64encode(md5.digest()).decode("ascii"),
        "x-oss-request-id": request_id,
        "server": "AliyunOSS",
    }
    return Response(b"", status_code=200, headers=response_headers)


async def handle_get(request: Request, state: ServerState) -> Response:
    """Anonymous GET/HEAD of a stored object (the grant's ``file_url``); 404 NoSuchKey otherwise."""
    request_id = new_request_id()
    raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1").partition("?")[0]
    try:
        bucket, key = split_object_path(raw_path)
    except UnicodeDecodeError:
        return OssError("NoSuchKey").response(request_id)
    if bucket != BUCKET:
        return OssError("NoSuchBucket").response(request_id)
    upload = state.uploads.get(key)
    if upload is None or upload.path is None or not Path(upload.path).exists():
        message = None if upload is None else "The object was uploaded, but the server keeps no bytes (no storage_dir)."
        return OssError("NoSuchKey", message).response(request_id)
    headers = {"x-oss-request-id": request_id, "etag": f'"{upload.md5.upper()}"', "server": "AliyunOSS"}
    return FileResponse(upload.path, media_type=upload.content_type or "application/octet-stream", headers=headers)
