"""The local server's signature checker against the official vectors, directly (issue 21, item 4).

``qwen_api.testing.oss_signatures`` recomputes upload signatures without ``qwen_api._oss_signing``
(import-linter forbids ``qwen_api.testing`` from importing it). Agreement between the two is tested
elsewhere; here the checker answers the official alibabacloud-oss-python-sdk-v2 vectors on its own,
so a bug common to both could not hide behind their agreement.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qwen_api.testing.oss_signatures import expected_v1_signature, expected_v4_signature
from tests.upload.test_oss_signing import VECTOR_HEADERS, VECTOR_KEY, VECTOR_QUERY


@pytest.mark.parametrize(
    ("timestamp", "token", "expected"),
    [
        (1702743657, None, "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"),
        (1702784856, "token", "b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea"),
    ],
    ids=["test_auth_header", "test_auth_header_with_token"],
)
def test_the_checker_answers_the_official_v4_vectors(timestamp: int, token: str | None, expected: str) -> None:
    headers = {**VECTOR_HEADERS, "x-oss-date": datetime.fromtimestamp(timestamp, UTC).strftime("%Y%m%dT%H%M%SZ")}
    if token is not None:
        headers["x-oss-security-token"] = token
    signature = expected_v4_signature(
        method="PUT",
        bucket="bucket",
        key=VECTOR_KEY,
        query=VECTOR_QUERY,
        headers=headers,
        additional=(),
        secret="sk",
        region="cn-hangzhou",
    )
    assert signature == expected


@pytest.mark.parametrize(
    "additional",
    [("ZAbc", "abc"), ("x-oss-no-exist", "ZAbc", "x-oss-head1", "abc")],
    ids=["plain", "with_default_signed_and_absent_names"],
)
def test_the_checker_answers_the_official_v4_vector_with_additional_headers(additional: tuple[str, ...]) -> None:
    signature = expected_v4_signature(
        method="PUT",
        bucket="bucket",
        key=VECTOR_KEY,
        query=VECTOR_QUERY,
        headers={**VECTOR_HEADERS, "x-oss-date": "20231216T172512Z"},
        additional=additional,
        secret="sk",
        region="oss-cn-hangzhou",  # the endpoint form: the checker strips "oss-" like the service does
    )
    assert signature == "4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f"


def test_the_checker_answers_the_official_v1_vector() -> None:
    headers = {
        "Content-MD5": "eB5eJF1ptWaXm4bijSPyxw==",
        "Content-Type": "text/html",
        "x-oss-meta-author": "alice",
        "x-oss-meta-magic": "abracadabra",
        "x-oss-date": "Wed, 28 Dec 2022 10:27:41 GMT",
    }
    signature = expected_v1_signature(method="PUT", bucket="examplebucket", key="nelson", headers=headers, secret="sk")
    assert signature == "kSHKmLxlyEAKtZPkJhG9bZb5k7M="
