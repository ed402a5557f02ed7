"""Signing uses UTC whatever the process's time zone, and the server's verifier is not the signer.

The local server recomputes signatures with ``qwen_api.testing.oss_signatures``, written apart from
``qwen_api._oss_signing``; the two must agree with each other and with the official vectors. A signer
that stamped local time would still pass in a UTC process, so uploads also run in child processes
whose clock is hours away from UTC, both signature versions, against a server in this process.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from qwen_api._oss_signing import OssCredentials, sign_v1, sign_v4, v1_signature, v4_signature
from qwen_api.testing import RunningServer, serve
from qwen_api.testing.oss_signatures import expected_v1_signature, expected_v4_signature
from tests.e2e.test_upload import png_bytes

UPLOAD = """
import sys
from qwen_api import Qwen
with Qwen(max_retries=0) as client:
    result = client.chat.upload_file(base64_data="data:image/png;base64," + sys.argv[1], signature_version=sys.argv[2])
    print(result.file_path)
"""


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


@pytest.mark.parametrize("zone", ["Asia/Kathmandu", "America/Los_Angeles", "Pacific/Kiritimati"])
@pytest.mark.parametrize("version", ["v4", "v1"])
def test_uploads_from_a_process_far_from_utc_verify(server: RunningServer, zone: str, version: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("QWEN_")}
    env.update(TZ=zone, QWEN_AUTH_TOKEN="tz-test-token-123456", QWEN_BASE_URL=server.url)
    encoded = base64.b64encode(png_bytes()).decode()
    result = subprocess.run(
        [sys.executable, "-c", UPLOAD, encoded, version], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert server.state.uploads[result.stdout.strip()].verdict == "ok"


CREDENTIALS = OssCredentials("STS.NTest", "secret-for-tests", "token-for-tests")


@pytest.mark.parametrize("offset_hours", [-11, -3.5, 0, 5.75, 14])
def test_the_same_instant_in_any_zone_signs_the_same(offset_hours: float) -> None:
    instant = datetime(2026, 12, 31, 23, 30, 5, tzinfo=UTC)  # a day, month and year boundary away in most zones
    local = instant.astimezone(timezone(timedelta(hours=offset_hours)))
    for sign in (sign_v4, sign_v1):
        kwargs = {"region": "oss-ap-southeast-1"} if sign is sign_v4 else {}
        args = {"method": "PUT", "bucket": "b", "key": "k/x.png", "headers": {}, "credentials": CREDENTIALS}
        assert sign(**args, now=local, **kwargs) == sign(**args, now=instant, **kwargs)  # type: ignore[operator]
    signed = sign_v4(method="PUT", bucket="b", key="k", headers={}, credentials=CREDENTIALS, region="r", now=local)
    assert signed["x-oss-date"] == "20261231T233005Z"


@pytest.mark.parametrize(
    "headers",
    [
        {"x-oss-date": "20260914T101500Z", "x-oss-content-sha256": "UNSIGNED-PAYLOAD", "Content-Type": "image/png"},
        {
            "X-OSS-Date": "20260914T101500Z",
            "x-oss-content-sha256": "UNSIGNED-PAYLOAD",
            "x-oss-security-token": " tok ",
            "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==",
            "host": "bucket.example",
            "x-unsigned": "",
        },
    ],
)
@pytest.mark.parametrize("key", ["a/b c.png", "ü/(1)+~.pdf", "x"])
@pytest.mark.parametrize("query", [{}, {"uploadId": "7", "partNumber": "1"}, {"acl": ""}])
def test_the_verifier_and_the_signer_agree(headers: dict[str, str], key: str, query: dict[str, str]) -> None:
    additional = ("host", "x-unsigned")
    ours = v4_signature(
        method="PUT", bucket="bkt", key=key, query=query, headers=headers, secret="s3cr3t", region="oss-cn-x",
        additional_headers=additional,
    )  # fmt: skip
    theirs = expected_v4_signature(
        method="PUT", bucket="bkt", key=key, query=query, headers=headers, additional=additional, secret="s3cr3t",
        region="oss-cn-x",
    )  # fmt: skip
    assert ours == theirs
    v1 = {**headers, "Date": "Mon, 14 Sep 2026 10:15:00 GMT"}
    assert v1_signature(method="PUT", bucket="bkt", key=key, headers=v1, secret="s3cr3t") == expected_v1_signature(
        method="PUT", bucket="bkt", key=key, headers=v1, secret="s3cr3t"
    )
