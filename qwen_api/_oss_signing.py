"""Alibaba OSS request signing, V4 (``OSS4-HMAC-SHA256``) and legacy V1 (``OSS ak:sig``), as pure functions.

Why a signer of our own rather than ``alibabacloud-oss-v2`` or ``oss2``: the upload is one PutObject, and
those SDKs bring a second HTTP stack (requests, aiohttp), ~25-45 MB of dependencies, and known defects
(v2 drops ``x-oss-security-token`` under V1; oss2 has no async and warns on Python 3.12+). See
``oss-upload.md`` in the design references.

The module is shared by two sides, so it has no I/O and never reads the clock itself:

* the uploader calls :func:`sign_v4` / :func:`sign_v1` to add auth headers to a request it is about to send;
* tests call :func:`v4_signature` / :func:`v1_signature` to check them against the official vectors
  (the local test server checks uploads with its own ``qwen_api.testing.oss_signatures``).

Header lookups are case-insensitive everywhere; if a mapping holds the same name in two casings, the
later one wins. The V4 algorithm was checked against the official alibabacloud-oss-python-sdk-v2 vectors
and cross-checked against that SDK's ``SignerV4`` for random keys (``tests/upload/test_oss_signing.py``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import quote

import attrs

__all__ = [
    "UNSIGNED_PAYLOAD",
    "V4_ALGORITHM",
    "OssCredentials",
    "canonical_uri",
    "region_id",
    "sign_v1",
    "sign_v4",
    "v1_signature",
    "v1_string_to_sign",
    "v4_canonical_request",
    "v4_signature",
    "v4_string_to_sign",
]

V4_ALGORITHM = "OSS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_V4_TERMINATOR = "aliyun_v4_request"
_SERVICE = "oss"
_X_OSS_DATE = re.compile(r"[0-9]{8}T[0-9]{6}Z")
_HEX64 = re.compile(r"[0-9a-f]{64}")
# RFC 1123 names, spelled out so the Date header does not depend on the process locale (strftime %a/%b do).
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_id(value: str) -> str:
    # The key id is not secret, but a shortened form is enough to tell grants apart in logs.
    return repr(value if len(value) <= 6 else value[:6] + "…")


def _redacted(value: str | None) -> str:
    return "None" if value is None else "<redacted>"


@attrs.frozen
class OssCredentials:
    """The temporary STS grant from ``getstsToken``; ``repr`` never shows the secret or the token."""

    access_key_id: str = attrs.field(repr=_short_id)
    access_key_secret: str = attrs.field(repr=_redacted)
    security_token: str | None = attrs.field(default=None, repr=_redacted)


def region_id(region: str) -> str:
    """``"oss-ap-southeast-1"`` -> ``"ap-southeast-1"``.

    The service returns the region with the ``oss-`` endpoint prefix, but the V4 scope needs the bare
    region; signing with the prefix makes every request fail with SignatureDoesNotMatch. Stripping is
    idempotent for real region names, so both signers apply it to whatever they are given.
    """
    return region.removeprefix("oss-")


def canonical_uri(bucket: str, key: str) -> str:
    """The V4 canonical URI: ``/bucket/key``, UTF-8 percent-encoded except ``A-Za-z0-9-_.~`` and ``/``.

    It is built from the *decoded* key, never from the path on the wire: HTTP clients disagree on how
    they escape ``(``, ``)`` or ``/`` inside a key, and OSS canonicalizes the key itself.
    """
    path = "/" + bucket + "/" + key
    return _quote(path, safe="/")  # pragma: no mutate (letters are always safe: "XX/XX" is "/")


def _quote(value: str, *, safe: str) -> str:
    # urllib's quote: UTF-8, uppercase hex, and "A-Za-z0-9_.-~" always unescaped -- the OSS rule exactly.
    return quote(
        value,
        safe=safe,
        encoding="utf-8",  # pragma: no mutate (quote's default restated: None, "UTF-8" or no argument is UTF-8)
        errors="strict",  # pragma: no mutate (quote's default restated: None or no argument is "strict")
    )


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _is_v4_default_signed(name: str) -> bool:
    return name.startswith("x-oss-") or name in ("content-type", "content-md5")


def _v4_additional(lower: Mapping[str, str], additional_headers: Sequence[str]) -> list[str]:
    # Same rule as the official SDK: names already signed by default, and absent or empty headers,
    # are dropped from the list (OSS rejects an empty AdditionalHeaders= or a trailing ";").
    names = {name.lower() for name in additional_headers}
    return sorted(name for name in names if not _is_v4_default_signed(name) and lower.get(name, "") != "")


def _require(lower: Mapping[str, str], name: str) -> str:
    try:
        return lower[name].strip()
    except KeyError:
        raise ValueError(f"the {name} header is required for V4 signing") from None


def _v4_date(lower: Mapping[str, str]) -> str:
    stamp = _require(lower, "x-oss-date")
    if not _X_OSS_DATE.fullmatch(stamp):
        raise ValueError(f"x-oss-date must be YYYYMMDDTHHMMSSZ, got {stamp!r}")
    return stamp


def v4_canonical_request(
    *,
    method: str,
    bucket: str,
    key: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    additional_headers: Sequence[str] = (),
) -> str:
    """The V4 CanonicalRequest; public so a verifier can show it when a signature does not match."""
    lower = _lower_keys(headers)
    additional = _v4_additional(lower, additional_headers)
    encoded_query = sorted(
        (_quote(name, safe=""), _quote(value, safe=""))  # pragma: no mutate (letters are always safe: safe="abc" is "")
        for name, value in query.items()
    )
    canonical_query = "&".join(f"{name}={value}" if value else name for name, value in encoded_query)
    signed = sorted(
        (name, value.strip()) for name, value in lower.items() if _is_v4_default_signed(name) or name in additional
    )
    canonical_headers = "".join(f"{name}:{value}\n" for name, value in signed)
    return "\n".join(
        [
            method,
            canonical_uri(bucket, key),
            canonical_query,
            canonical_headers,
            ";".join(additional),
            _require(lower, "x-oss-content-sha256"),
        ]
    )


def _v4_scope(date: str, region: str) -> str:
    return f"{date}/{region_id(region)}/{_SERVICE}/{_V4_TERMINATOR}"


def v4_string_to_sign(*, canonical_request: str, x_oss_date: str, region: str) -> str:
    """The V4 StringToSign for an already built canonical request (the scope date is x-oss-date's day)."""
    request_bytes = canonical_request.encode("utf-8")  # pragma: no mutate (codec names ignore case: "UTF-8" is "utf-8")
    digest = hashlib.sha256(request_bytes).hexdigest()
    return "\n".join([V4_ALGORITHM, x_oss_date, _v4_scope(x_oss_date[:8], region), digest])


def _hmac256(key: bytes, message: str) -> bytes:
    message_bytes = message.encode("utf-8")  # pragma: no mutate (codec names ignore case: "UTF-8" is "utf-8")
    return hmac.new(key, message_bytes, hashlib.sha256).digest()


def v4_signature(
    *,
    method: str,
    bucket: str,
    key: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    secret: str,
    region: str,
    additional_headers: Sequence[str] = (),
) -> str:
    """The V4 signature (64 lowercase hex) of a request whose headers already carry ``x-oss-date`` and
    ``x-oss-content-sha256``.

    ``key`` is the decoded object key (``unquote`` the path yourself) and ``query`` the decoded query
    parameters (``dict(parse_qsl(query, keep_blank_values=True))``). The scope date is
    taken from ``x-oss-date``; a verifier should still check that it matches the Credential's date.
    Raises ValueError when either required header is missing or x-oss-date is malformed.
    """
    lower = _lower_keys(headers)
    stamp = _v4_date(lower)
    canonical = v4_canonical_request(
        method=method, bucket=bucket, key=key, query=query, headers=lower, additional_headers=additional_headers
    )
    string_to_sign = v4_string_to_sign(canonical_request=canonical, x_oss_date=stamp, region=region)
    prefixed_secret = "aliyun_v4" + secret
    signing_key = prefixed_secret.encode("utf-8")  # pragma: no mutate (codec names ignore case: "UTF-8" is "utf-8")
    for part in (stamp[:8], region_id(region), _SERVICE, _V4_TERMINATOR):
        signing_key = _hmac256(signing_key, part)
    message = string_to_sign.encode("utf-8")  # pragma: no mutate (codec names ignore case: "UTF-8" is "utf-8")
    return hmac.new(signing_key, message, hashlib.sha256).hexdigest()


def _utc(now: datetime) -> datetime:
    # A naive datetime is ambiguous (the official SDK reads it as local time); refuse it rather than guess.
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now.astimezone(UTC)


def _replaced(headers: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    # Drop any casing of the headers we are about to set, so the result never carries two copies.
    return {name: value for name, value in headers.items() if name.lower() not in names}


def sign_v4(
    *,
    method: str,
    bucket: str,
    key: str,
    headers: Mapping[str, str],
    credentials: OssCredentials,
    region: str,
    now: datetime,
    query: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Return a new header dict: ``headers`` plus x-oss-date, x-oss-content-sha256, the STS token, Authorization.

    The payload is left unsigned (``UNSIGNED-PAYLOAD``) unless the caller already set
    ``x-oss-content-sha256``: hashing first would mean reading a large file twice. Call again on every
    retry, since OSS rejects a request more than 15 minutes away from its x-oss-date.
    """
    stamp = _utc(now).strftime("%Y%m%dT%H%M%SZ")
    managed = ["x-oss-date", "authorization"]
    if credentials.security_token is not None:
        managed.append("x-oss-security-token")
    signed = _replaced(headers, managed)
    signed["x-oss-date"] = stamp
    if "x-oss-content-sha256" not in _lower_keys(signed):
        signed["x-oss-content-sha256"] = UNSIGNED_PAYLOAD
    if credentials.security_token is not None:
        signed["x-oss-security-token"] = credentials.security_token
    signature = v4_signature(
        method=method,
        bucket=bucket,
        key=key,
        query=query or {},
        headers=signed,
        secret=credentials.access_key_secret,
        region=region,
    )
    scope = _v4_scope(stamp[:8], region)
    signed["Authorization"] = f"{V4_ALGORITHM} Credential={credentials.access_key_id}/{scope},Signature={signature}"
    return signed


def v1_string_to_sign(*, method: str, bucket: str, key: str, headers: Mapping[str, str]) -> str:
    """The V1 StringToSign. The resource is the RAW key (not percent-encoded), unlike V4's canonical URI.

    ``Date`` is signed when present, else ``x-oss-date`` (which the v2 SDK sends); no sub-resources,
    since PutObject has none.
    """
    lower = _lower_keys(headers)
    date = lower["date"] if "date" in lower else lower.get("x-oss-date", "")
    oss_headers = sorted((name, value.strip()) for name, value in lower.items() if name.startswith("x-oss-"))
    canonical_headers = "".join(f"{name}:{value}\n" for name, value in oss_headers)
    content_md5 = lower.get("content-md5", "")
    content_type = lower.get("content-type", "")
    return f"{method}\n{content_md5}\n{content_type}\n{date}\n{canonical_headers}/{bucket}/{key}"


def v1_signature(*, method: str, bucket: str, key: str, headers: Mapping[str, str], secret: str) -> str:
    """The V1 signature: base64 HMAC-SHA1 of :func:`v1_string_to_sign` (legacy; OSS is phasing V1 out)."""
    string_to_sign = v1_string_to_sign(method=method, bucket=bucket, key=key, headers=headers)
    key_bytes = secret.encode("utf-8")  # pragma: no mutate (codec names ignore case: "UTF-8" is "utf-8")
    message = string_to_sign.encode("utf-8")  # pragma: no mutate (codec names ignore case: "UTF-8" is "utf-8")
    digest = hmac.new(key_bytes, message, hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")  # pragma: no mutate (codec names ignore case: "ASCII" is "ascii")


def _rfc1123(moment: datetime) -> str:
    return (
        f"{_WEEKDAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year:04d} "
        f"{moment:%H:%M:%S} GMT"
    )


def sign_v1(
    *,
    method: str,
    bucket: str,
    key: str,
    headers: Mapping[str, str],
    credentials: OssCredentials,
    now: datetime,
) -> dict[str, str]:
    """Return a new header dict: ``headers`` plus Date (RFC 1123), the STS token and ``Authorization: OSS ak:sig``.

    Kept for buckets and accounts that still accept V1; V4 is the default. Unlike the v2 SDK, the token
    goes out as ``x-oss-security-token`` and is signed, which is what OSS requires for STS keys.
    """
    managed = ["date", "authorization"]
    if credentials.security_token is not None:
        managed.append("x-oss-security-token")
    signed = _replaced(headers, managed)
    signed["Date"] = _rfc1123(_utc(now))
    if credentials.security_token is not None:
        signed["x-oss-security-token"] = credentials.security_token
    signature = v1_signature(
        method=method, bucket=bucket, key=key, headers=signed, secret=credentials.access_key_secret
    )
    signed["Authorization"] = f"OSS {credentials.access_key_id}:{signature}"
    return signed
