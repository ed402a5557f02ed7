"""File upload: STS credentials, a signed and streamed OSS PUT, then document parsing.

The plan is shared by sync and async (see ``_engine``). The PUT goes through a *separate* storage
HTTP client, so the chat token, cookie and browser headers never reach the storage host; each
attempt is re-signed (OSS rejects stale dates), and an expired grant fetches a new one.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import attrs
from qwen_api_client.api.files import get_parse_status, get_sts_token, get_sts_token_v1, parse_file
from qwen_api_client.models import (
    ParseRequest,
    ParseStatusItem,
    ParseStatusRequest,
    StsToken,
    StsTokenEnvelope,
    StsTokenRequest,
)
from qwen_api_client.types import Unset

from ._engine import Plan, RawResponse, Sleep, StoragePut, json_call, with_retries
from ._exceptions import (
    QwenAPIError,
    QwenInputTypeError,
    QwenInputValueError,
    QwenInvalidRequestError,
    QwenNotFoundError,
    QwenUploadError,
)
from ._files import UploadSource, aprepare_path, prepare_base64, prepare_bytes, prepare_fileobj, prepare_path
from ._logging import logger
from ._oss_signing import OssCredentials, canonical_uri, region_id, sign_v1, sign_v4
from ._redaction import secrets
from ._request_specs import request_spec
from ._turns import Turn
from .types.chat import AudioBlock, DocumentBlock, ImageBlock, VideoBlock
from .types.files import FileResult

if TYPE_CHECKING:
    from ._runtime import Runtime

PARSE_POLL_LIMIT = 60
PARSE_POLL_MAX_DELAY = 3.0
_NO_PARSE = ("text/plain",)
_XML_CODE = re.compile(rb"<Code>([^<]+)</Code>")
_XML_MESSAGE = re.compile(rb"<Message>([^<]*)</Message>")


@attrs.frozen
class UploadOptions:
    progress: Callable[[int, int], None] | None = None
    signature_version: str = "v4"
    parse_documents: bool = True


def _parse_sts(body: Any) -> StsToken:
    """Accept the v2 envelope and the flat legacy v1 grant (the v1 path's answer schema has both)."""
    parsed = get_sts_token_v1.parse_response(body)
    token = parsed.data if isinstance(parsed, StsTokenEnvelope) else parsed
    if isinstance(token, Unset):
        raise ValueError("getstsToken answered no grant")
    secrets.add(token.access_key_secret, token.security_token)
    return token


def sts_plan(runtime: Runtime, source: UploadSource) -> Plan[StsToken]:
    config, headers = runtime.config, runtime.headers
    body = StsTokenRequest(filename=source.filename, filesize=str(source.size), filetype=source.filetype)
    request = get_sts_token.build_request(body=body)
    spec = request_spec(request, config.base_url, headers.for_request("/"), "files.getstsToken")
    try:
        return (yield from json_call(spec, _parse_sts, runtime.policy))
    except QwenNotFoundError:
        logger.debug("getstsToken v2 not found; trying the v1 alias")
        request = get_sts_token_v1.build_request(body=body)
        legacy = request_spec(request, config.base_url, headers.for_request("/"), "files.getstsToken.v1")
        return (yield from json_call(legacy, _parse_sts, runtime.policy))


_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")
_BARE_HOST = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_STORAGE_DOMAIN = ".aliyuncs.com"


def _untrusted(what: str) -> QwenUploadError:
    return QwenUploadError(
        f"the upload grant names {what}; the file and its storage credentials go only to an https "
        f"*{_STORAGE_DOMAIN} endpoint, the host of base_url, or QWEN_OSS_ENDPOINT, so nothing was sent",
        code="untrusted_storage_endpoint",
    )


def storage_target(sts: StsToken, override: str | None, base_url: str | None = None) -> tuple[str, str]:
    """(URL to PUT to, bucket), or a refusal before any byte is sent.

    The grant comes from the chat service, which a proxy or a hostile server may impersonate, so what
    it names is checked: upload bytes and STS tokens go only to an https ``*.aliyuncs.com`` endpoint
    (virtual-hosted, as the recording shows: a bare host), to the host of ``base_url`` (the local
    server, path style, over base_url's own scheme), or to the endpoint the user configured.
    """
    bucket = sts.bucketname
    if not isinstance(bucket, str) or not _BUCKET_NAME.fullmatch(bucket):
        raise _untrusted("a bucket that is not a valid bucket name")
    key_path = canonical_uri(bucket, sts.file_path)  # "/bucket/key", percent-encoded
    key_only = key_path[len(bucket) + 1 :]
    if override:  # configured by the user: trusted as given
        endpoint = override.rstrip("/")
        if endpoint.startswith(("http://", "https://")):
            return endpoint + key_path, bucket
        return f"https://{bucket}.{endpoint}{key_only}", bucket
    if sts.endpoint is not None and not isinstance(sts.endpoint, str):  # the parser keeps what the JSON held
        raise _untrusted("an endpoint that is not text")
    endpoint = (sts.endpoint or "").strip().rstrip("/")
    base = urllib.parse.urlsplit(base_url) if base_url else None
    if "://" in endpoint:
        try:
            parts = urllib.parse.urlsplit(endpoint)
            port = parts.port
        except ValueError:
            raise _untrusted("an endpoint that is not a valid URL") from None
        if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
            raise _untrusted("an endpoint with credentials or a query")
        if parts.path not in ("", "/"):
            raise _untrusted("an endpoint with a path")
        if base is not None and parts.scheme == base.scheme and parts.netloc.lower() == base.netloc.lower():
            return base_url.rstrip("/") + key_path, bucket  # type: ignore[union-attr]
        host = (parts.hostname or "").lower()
        if parts.scheme == "https" and port is None and _is_storage_host(host):
            return f"https://{host}{key_path}", bucket
        raise _untrusted("an endpoint outside the storage service")
    if base is not None and endpoint.lower() == base.netloc.lower():
        return base_url.rstrip("/") + key_path, bucket  # type: ignore[union-attr]
    if _is_storage_host(endpoint.lower()):
        return f"https://{bucket}.{endpoint.lower()}{key_only}", bucket
    raise _untrusted("an endpoint outside the storage service")


def _is_storage_host(host: str) -> bool:
    return host.endswith(_STORAGE_DOMAIN) and _BARE_HOST.fullmatch(host) is not None


_XML_SECRET_ELEMENTS = re.compile(
    rb"<(StringToSign|StringToSignBytes|CanonicalRequest|SignatureProvided|SecurityToken|AccessKeyId)>.*?</\1>",
    re.DOTALL,
)


def _public_storage_error(content: bytes) -> str:
    """The storage error XML without the elements that echo the request's credentials back."""
    return _XML_SECRET_ELEMENTS.sub(rb"<\1>(redacted)</\1>", content[:4000]).decode("utf-8", "replace")[:1000]


def _storage_error(response: RawResponse) -> QwenUploadError:
    code_match = _XML_CODE.search(response.content)
    message_match = _XML_MESSAGE.search(response.content)
    code = code_match.group(1).decode("utf-8", "replace") if code_match else None
    detail = message_match.group(1).decode("utf-8", "replace") if message_match else ""
    request_id = {k.lower(): v for k, v in response.headers.items()}.get("x-oss-request-id")
    url = response.url.split("?", 1)[0]
    return QwenUploadError(
        f"storage PUT failed: HTTP {response.status} {code or ''} {detail}".strip(),
        status_code=response.status,
        code=code,
        method="PUT",
        url=url,
        request_id=request_id,
        body=_public_storage_error(response.content),
    )


def put_plan(runtime: Runtime, source: UploadSource, options: UploadOptions) -> Plan[StsToken]:
    """One upload attempt: a fresh grant, then the signed PUT."""
    sts = yield from sts_plan(runtime, source)
    url, bucket = storage_target(sts, runtime.config.oss_endpoint, runtime.config.base_url)
    credentials = OssCredentials(sts.access_key_id, sts.access_key_secret, sts.security_token)
    base_headers = {"Content-Type": source.mimetype, "Content-Length": str(source.size)}
    now = datetime.now(UTC)
    if options.signature_version == "v1":
        signed = sign_v1(
            method="PUT", bucket=bucket, key=sts.file_path, headers=base_headers, credentials=credentials, now=now
        )
    else:
        signed = sign_v4(
            method="PUT",
            bucket=bucket,
            key=sts.file_path,
            headers=base_headers,
            credentials=credentials,
            region=region_id(sts.region or "oss-ap-southeast-1"),
            now=now,
        )
    response: RawResponse = yield StoragePut(url, signed, source, options.progress)
    if response.status >= 300:
        raise _storage_error(response)
    return sts


def _text(value: str | Unset | None) -> str | None:
    return value if isinstance(value, str) else None


def _parse_status(body: Any) -> list[ParseStatusItem]:
    items = get_parse_status.parse_response(body).data
    return [] if isinstance(items, Unset) else items


def parse_plan(runtime: Runtime, file_id: str) -> Plan[str]:
    """Ask the service to parse a document, then poll (bounded, with backoff) until it is ready."""
    config, headers = runtime.config, runtime.headers
    request = parse_file.build_request(body=ParseRequest(file_id=file_id))
    start = request_spec(request, config.base_url, headers.for_request("/"), "files.parse")
    yield from json_call(start, lambda body: body, runtime.policy)
    request = get_parse_status.build_request(body=ParseStatusRequest(file_id_list=[file_id]))
    status_spec = request_spec(request, config.base_url, headers.for_request("/"), "files.parse.status")
    delay = 0.2
    for _ in range(PARSE_POLL_LIMIT):
        items = yield from json_call(status_spec, _parse_status, runtime.policy)
        item = next((i for i in items if i.file_id == file_id), items[0] if items else None)
        status = None if item is None or isinstance(item.status, Unset) else item.status
        if status == "success":
            return "success"
        if item is not None and status not in (None, "running", "pending", "processing", "queued"):
            raise QwenUploadError(
                f"the service could not parse the document: {_text(item.error_msg) or status}",
                code=_text(item.error_code) or str(status),
                body=item.to_dict(),
            )
        yield Sleep(delay)
        delay = min(delay * 1.6, PARSE_POLL_MAX_DELAY)
    raise QwenUploadError(f"document parsing did not finish after {PARSE_POLL_LIMIT} polls", code="parse_timeout")


def upload_plan(runtime: Runtime, source: UploadSource, options: UploadOptions) -> Plan[FileResult]:
    sts = yield from with_retries(lambda _: put_plan(runtime, source, options), runtime.policy, "upload")
    parse_status = None
    if source.filetype == "file" and options.parse_documents and source.mimetype not in _NO_PARSE:
        parse_status = yield from parse_plan(runtime, sts.file_id or "")
    user_id = sts.file_path.split("/", 1)[0] if "/" in sts.file_path else None
    return FileResult(
        file_url=sts.file_url or "",
        file_id=sts.file_id or "",
        file_path=sts.file_path,
        filename=source.filename,
        size=source.size,
        mimetype=source.mimetype,
        file_type=source.filetype,
        file_class=source.file_class,
        user_id=user_id,
        parse_status=parse_status,
        created_at=int(time.time() * 1000),
    )


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


@attrs.frozen
class UploadCall:
    """One ``upload_file`` call's arguments, checked before anything is read or sent."""

    file_path: Any
    base64_data: str | None
    file: Any
    filename: str | None
    options: UploadOptions


def upload_call(
    file_path: object,
    base64_data: object,
    file: object,
    filename: object,
    progress: object,
    signature_version: object,
    parse_documents: object,
) -> UploadCall:
    """Exactly one source, of the right kind, and usable options; local mistakes are ``QwenInputError``s."""
    given = [
        name
        for name, value in (("file_path", file_path), ("base64_data", base64_data), ("file", file))
        if value is not None
    ]
    if len(given) != 1:
        raise QwenInputTypeError(
            f"upload_file() needs exactly one of file_path=, base64_data= or file= (got {given or 'none'})"
        )
    if base64_data is not None and not isinstance(base64_data, str):
        raise QwenInputTypeError(f"base64_data must be a string, got {type(base64_data).__name__}")
    if file is not None and not hasattr(file, "read"):
        raise QwenInputTypeError(
            f"file: expected a binary file object (open(path, 'rb') or io.BytesIO), got {type(file).__name__}"
        )
    if filename is not None and not isinstance(filename, str):
        raise QwenInputTypeError(f"filename must be a string, got {type(filename).__name__}")
    if progress is not None and not callable(progress):
        raise QwenInputTypeError("progress must be a callable taking (sent, total)")
    if signature_version not in ("v1", "v4"):
        raise QwenInputValueError(f"signature_version must be 'v4' or 'v1', got {signature_version!r}")
    options = UploadOptions(progress, str(signature_version), bool(parse_documents))
    return UploadCall(file_path, base64_data, file, filename, options)


def _prepared(call: UploadCall) -> UploadSource | None:
    """The source when it can be prepared without touching the disk on the caller's behalf."""
    if call.base64_data is not None:
        return prepare_base64(call.base64_data, call.filename)
    if call.file is not None:
        return prepare_fileobj(call.file, call.filename, argument="file")
    return None


def upload_sync(runtime: Runtime, call: UploadCall) -> FileResult:
    source = _prepared(call) or prepare_path(call.file_path)
    return runtime.recent_uploads.add(runtime.run(upload_plan(runtime, source, call.options)))


async def upload_async(runtime: Runtime, call: UploadCall) -> FileResult:
    source = _prepared(call) or await aprepare_path(call.file_path)
    return runtime.recent_uploads.add(await runtime.arun(upload_plan(runtime, source, call.options)))


def _block_source(block: Any) -> UploadSource:
    path = getattr(block, "path", None)
    if path is not None:
        return prepare_path(path, argument=f"{type(block).__name__}.path")
    data = (
        getattr(block, "image", None)
        if isinstance(block, ImageBlock)
        else getattr(block, "data", None)
        if isinstance(block, DocumentBlock)
        else getattr(block, "audio", None)
        if isinstance(block, AudioBlock)
        else getattr(block, "video", None)
        if isinstance(block, VideoBlock)
        else None
    )
    if data is None:
        raise QwenInvalidRequestError(f"{type(block).__name__} has nothing to upload")
    return prepare_bytes(data, argument=type(block).__name__)


def _with_refs(turn: Turn, results: list[FileResult]) -> Turn:
    refs = tuple(turn.options.files) + tuple(result.to_file_ref() for result in results)
    return attrs.evolve(turn, options=attrs.evolve(turn.options, files=refs))


def attach_uploads_sync(runtime: Runtime, turn: Turn, blocks: list[Any]) -> Turn:
    """Blocks given as a local path or bytes are uploaded before the turn is sent."""
    sources = [_block_source(block) for block in blocks]  # validate everything before any upload
    results = [runtime.run(upload_plan(runtime, source, UploadOptions())) for source in sources]
    return _with_refs(turn, results)


async def attach_uploads_async(runtime: Runtime, turn: Turn, blocks: list[Any]) -> Turn:
    sources = []
    for block in blocks:
        if getattr(block, "path", None) is not None:
            sources.append(await aprepare_path(block.path, argument=f"{type(block).__name__}.path"))
        else:
            sources.append(_block_source(block))
    results = [await runtime.arun(upload_plan(runtime, source, UploadOptions())) for source in sources]
    return _with_refs(turn, results)


__all__ = ["QwenAPIError", "upload_async", "upload_sync"]
