"""Edges of ``qwen_api._oss_signing`` that the official vectors do not reach (issue 21's survivors).

Each test pins one behaviour a mutation of the signer left unnoticed: signing in UTC when the process
clock is not UTC, refusing a time zone that has no offset, the V1 token header replaced in any
casing, how much of a key id a repr shows, and the typed error for a key UTF-8 cannot encode.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo

import pytest

from qwen_api._oss_signing import OssCredentials, canonical_uri, sign_v1, sign_v4, v4_canonical_request
from qwen_api.testing.oss_signatures import expected_v1_signature, expected_v4_signature, v4_canonical_request_text

NOW = datetime(2026, 12, 31, 23, 30, 5, tzinfo=UTC)  # a day, month and year boundary away in most zones
CREDS = OssCredentials("STS.NTest", "secret-for-tests", "token-for-tests")


@pytest.fixture(params=["Asia/Kathmandu", "America/Los_Angeles"])
def local_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The process's local time zone (TZ + tzset) set hours away from UTC for the test."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    try:
        assert time.localtime(NOW.timestamp()).tm_gmtoff != 0
        yield request.param
    finally:
        monkeypatch.undo()
        time.tzset()


def test_v4_stamps_utc_when_the_process_is_not_in_utc(local_zone: str) -> None:
    headers = sign_v4(
        method="PUT", bucket="b", key="k", headers={}, credentials=CREDS, region="oss-ap-southeast-1", now=NOW
    )
    assert headers["x-oss-date"] == "20261231T233005Z"
    assert "/20261231/ap-southeast-1/oss/aliyun_v4_request," in headers["Authorization"]
    expected = expected_v4_signature(
        method="PUT",
        bucket="b",
        key="k",
        query={},
        headers=headers,
        additional=(),
        secret="secret-for-tests",
        region="ap-southeast-1",
    )
    assert headers["Authorization"].endswith(f",Signature={expected}")


def test_v1_dates_in_utc_when_the_process_is_not_in_utc(local_zone: str) -> None:
    headers = sign_v1(method="PUT", bucket="b", key="k", headers={}, credentials=CREDS, now=NOW)
    assert headers["Date"] == "Thu, 31 Dec 2026 23:30:05 GMT"
    expected = expected_v1_signature(method="PUT", bucket="b", key="k", headers=headers, secret="secret-for-tests")
    assert headers["Authorization"] == f"OSS STS.NTest:{expected}"


class _NoOffset(tzinfo):
    """A tzinfo that does not know its offset: the datetime is as ambiguous as a naive one."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


@pytest.mark.parametrize(
    "now", [datetime(2026, 12, 31, 23, 30, 5), datetime(2026, 12, 31, 23, 30, 5, tzinfo=_NoOffset())], ids=str
)
def test_a_time_without_an_offset_is_refused(now: datetime) -> None:
    with pytest.raises(ValueError, match=r"^now must be a timezone-aware datetime$"):
        sign_v4(method="PUT", bucket="b", key="k", headers={}, credentials=CREDS, region="r", now=now)
    with pytest.raises(ValueError, match=r"^now must be a timezone-aware datetime$"):
        sign_v1(method="PUT", bucket="b", key="k", headers={}, credentials=CREDS, now=now)


def test_v1_replaces_a_stale_token_header_in_any_casing() -> None:
    stale = {"X-OSS-Security-Token": "stale-token", "Content-Type": "image/png"}
    signed = sign_v1(method="PUT", bucket="b", key="k", headers=stale, credentials=CREDS, now=NOW)
    tokens = {name: value for name, value in signed.items() if name.lower() == "x-oss-security-token"}
    assert tokens == {"x-oss-security-token": "token-for-tests"}
    expected = expected_v1_signature(method="PUT", bucket="b", key="k", headers=signed, secret="secret-for-tests")
    assert signed["Authorization"] == f"OSS STS.NTest:{expected}"


def test_v1_without_a_token_keeps_the_callers_token_header() -> None:
    given = {"X-OSS-Security-Token": "caller-token"}
    signed = sign_v1(method="PUT", bucket="b", key="k", headers=given, credentials=OssCredentials("ak", "sk"), now=NOW)
    assert signed["X-OSS-Security-Token"] == "caller-token"
    assert "x-oss-security-token" not in signed


@pytest.mark.parametrize(
    ("key_id", "shown"),
    [("abcde", "'abcde'"), ("abcdef", "'abcdef'"), ("abcdefg", "'abcdef…'"), ("STS.NTest", "'STS.NT…'")],
)
def test_a_repr_shows_key_ids_of_up_to_six_characters_whole(key_id: str, shown: str) -> None:
    assert repr(OssCredentials(key_id, "sk")).startswith(f"OssCredentials(access_key_id={shown}, ")


def test_a_slash_in_the_query_is_escaped_but_not_in_the_key() -> None:
    query = {"prefix/name": "a/b", "plain": ""}
    headers = {"x-oss-content-sha256": "UNSIGNED-PAYLOAD"}
    canonical = v4_canonical_request(method="GET", bucket="b", key="dir/k", query=query, headers=headers)
    assert canonical.split("\n")[1:3] == ["/b/dir/k", "plain&prefix%2Fname=a%2Fb"]
    assert canonical == v4_canonical_request_text("GET", "b", "dir/k", query, headers, ())


def test_a_key_utf8_cannot_encode_is_a_value_error() -> None:
    with pytest.raises(UnicodeEncodeError):
        canonical_uri("bucket", "half-a-pair-\ud800.png")
