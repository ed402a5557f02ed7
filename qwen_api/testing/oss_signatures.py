"""The signatures the local OSS endpoint expects, computed without the SDK's signer.

The server used to check uploads with ``qwen_api._oss_signing``, the module that signs them, so a
signing bug would have been approved by its own copy. This module derives the expected V4 and V1
signatures again from the rules in Alibaba Cloud's OSS documentation ("Add signatures to the
Authorization header" for V4, "Include signatures in the Authorization header" for V1), written out
step by step and sharing no code with the signer. The recorded official vectors in
``tests/upload/test_oss_signing.py`` check both implementations against the official SDK.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import string
from collections.abc import Iterable, Mapping
from datetime import datetime

__all__ = [
    "bare_region_of",
    "expected_v1_signature",
    "expected_v4_signature",
    "parse_v4_authorization",
    "v4_canonical_request_text",
    "v4_string_to_sign_text",
]

_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-_.~")
_V4_ALGORITHM = "OSS4-HMAC-SHA256"
_V4_TERMINATOR = "aliyun_v4_request"
_HEX64_RE = re.compile(r"[0-9a-f]{64}")


def _percent_encode(text: str, keep_slash: bool) -> str:
    """RFC 3986 encoding of UTF-8 bytes with upper-case hex, as OSS V4 specifies."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in _UNRESERVED or (keep_slash and char == "/"):
            out.append(char)
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _signed_by_default(name: str) -> bool:
    return name in ("content-type", "content-md5") or name.startswith("x-oss-")


def v4_canonical_request_text(
    method: str, bucket: str, key: str, query: Mapping[str, str], headers: Mapping[str, str], additional: Iterable[str]
) -> str:
    """CanonicalRequest = method, URI, query, headers, additional header names, payload hash (one per line)."""
    lowered = {name.lower(): value.strip() for name, value in headers.items()}
    extra_names = sorted(
        {name.lower() for name in additional if not _signed_by_default(name.lower()) and lowered.get(name.lower())}
    )
    pairs = sorted((_percent_encode(k, False), _percent_encode(v, False)) for k, v in query.items())
    query_text = "&".join(k + ("=" + v if v else "") for k, v in pairs)
    header_lines = [
        f"{name}:{lowered[name]}\n" for name in sorted(lowered) if _signed_by_default(name) or name in extra_names
    ]
    return "\n".join(
        (
            method.upper(),
            _percent_encode(f"/{bucket}/{key}", True),
            query_text,
            "".join(header_lines),
            ";".join(extra_names),
            lowered.get("x-oss-content-sha256", ""),
        )
    )


def bare_region_of(region: str) -> str:
    """The V4 scope names the region without the endpoint's ``oss-`` prefix."""
    return region[4:] if region.startswith("oss-") else region


def _x_oss_date(headers: Mapping[str, str]) -> str:
    return next((value.strip() for name, value in headers.items() if name.lower() == "x-oss-date"), "")


def v4_string_to_sign_text(canonical: str, stamp: str, region: str) -> str:
    """StringToSign = algorithm, x-oss-date, scope (day/region/oss/aliyun_v4_request), SHA-256 of the request."""
    scope = f"{stamp[:8]}/{bare_region_of(region)}/oss/aliyun_v4_request"
    return f"OSS4-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def expected_v4_signature(
    *,
    method: str,
    bucket: str,
    key: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    additional: Iterable[str],
    secret: str,
    region: str,
) -> str:
    """Hex HMAC-SHA256 of the StringToSign under the key derived from secret, day, region and service."""
    stamp = _x_oss_date(headers)
    canonical = v4_canonical_request_text(method, bucket, key, query, headers, additional)
    to_sign = v4_string_to_sign_text(canonical, stamp, region)
    day, bare_region = stamp[:8], bare_region_of(region)
    key_bytes = f"aliyun_v4{secret}".encode()
    for step in (day, bare_region, "oss", "aliyun_v4_request"):
        key_bytes = hmac.digest(key_bytes, step.encode(), "sha256")
    return hmac.new(key_bytes, to_sign.encode(), "sha256").hexdigest()


def expected_v1_signature(*, method: str, bucket: str, key: str, headers: Mapping[str, str], secret: str) -> str:
    """Base64 HMAC-SHA1 of VERB, Content-MD5, Content-Type, Date, the x-oss-* headers and /bucket/key."""
    lowered = {name.lower(): value for name, value in headers.items()}
    date = lowered.get("date", lowered.get("x-oss-date", ""))
    oss_lines = "".join(f"{name}:{lowered[name].strip()}\n" for name in sorted(lowered) if name.startswith("x-oss-"))
    to_sign = "\n".join(
        (method.upper(), lowered.get("content-md5", ""), lowered.get("content-type", ""), date, oss_lines)
    )
    to_sign += f"/{bucket}/{key}"  # the raw key, right after the last header line
    return base64.b64encode(hmac.digest(secret.encode(), to_sign.encode(), "sha1")).decode("ascii")


def parse_v4_authorization(value: str) -> tuple[str, str, str, str, tuple[str, ...], str]:
    """Split a V4 Authorization header into (access_key_id, yyyymmdd, region, service, additional_headers, signature).

    Accepts "," and ", " between fields (the v2 SDK and oss2 differ), in the documented order
    Credential, [AdditionalHeaders], Signature. Anything else raises ValueError, so a verifier can
    answer 403 instead of crashing; nothing is checked against a secret here.
    """
    text = value.strip()
    prefix = _V4_ALGORITHM + " "
    if not text.startswith(prefix):
        raise ValueError(f"authorization does not start with {prefix!r}")
    fields = re.split(r", ?", text[len(prefix) :])
    names = [field.partition("=")[0] for field in fields]
    if names not in (["Credential", "Signature"], ["Credential", "AdditionalHeaders", "Signature"]):
        raise ValueError(f"authorization fields must be Credential,[AdditionalHeaders,]Signature, got {names}")
    values = [field.partition("=")[2] for field in fields]

    scope = values[0].split("/")
    if len(scope) != 5 or not all(scope) or scope[4] != _V4_TERMINATOR:
        raise ValueError(f"Credential must be <ak>/<yyyymmdd>/<region>/<service>/{_V4_TERMINATOR}")
    access_key_id, date, region, service, _ = scope
    if not re.fullmatch(r"[0-9]{8}", date):
        raise ValueError(f"Credential date must be YYYYMMDD, got {date!r}")
    try:
        datetime.strptime(date, "%Y%m%d")
    except ValueError:
        raise ValueError(f"Credential date is not a calendar date: {date!r}") from None

    additional: tuple[str, ...] = ()
    if len(values) == 3:
        additional = tuple(values[1].split(";"))
        if not all(name and not any(c.isspace() for c in name) for name in additional):
            raise ValueError("AdditionalHeaders must be non-empty header names separated by ';'")

    signature = values[-1]
    if not _HEX64_RE.fullmatch(signature):
        raise ValueError("Signature must be 64 lowercase hex digits")
    return access_key_id, date, region, service, additional, signature
