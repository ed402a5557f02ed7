"""``--fixtures DIR``: a HAR's exchanges become test fixtures in the layout of tests/fixtures/qwen-wire,
with every secret replaced; no secret of the HAR appears in any output of the doctor."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote

import attrs

from qwen_api.doctor import Exchange, Spec, har_document
from qwen_api.doctor._fixtures import FixtureLeakError, write_fixtures
from qwen_api.doctor._offline import check_har
from qwen_api.doctor._redact import FAKE_JWT, PLACEHOLDER_USER_ID, Redactor
from tests.cli.conftest import Cli

from .har_synth import synthesize_exchanges


def _jwt(**claims: object) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.U2lnbmF0dXJlT2ZUaGVUb2tlbjEyMw"


USER_ID = "9c1d7e52-4b3a-4f1e-8d2c-6a5b4c3d2e1f"
EMAIL = "jane.doe.secret@corp-mail.example"
NAME = "Jane Secretname"
ACCESS = _jwt(id=USER_ID, type="access_token", iat=1790356319, exp=1790357219)
COOKIE_TOKEN = _jwt(id=USER_ID, exp=1790357999, email=EMAIL)
SECRETS = {
    "bearer token": ACCESS,
    "token cookie": COOKIE_TOKEN,
    "ssxmod cookie": "ssxmodSecretCookieValue0042",
    "cna cookie": "cnaSecretCookieValue77",
    "refresh token cookie": "refreshSecretValue-5f1e0c9a7b",
    "bx-ua": "234!bxUaSecretFingerprint+/=abc",
    "bx-umidtoken": "T2gAumidSecretToken0123456789",
    "sts key id": "STS.NUgkSecretKeyId9876",
    "sts key secret": "StsKeySecretValue/abc+123",
    "sts security token": "CAISsecurityTokenValueSecret==",
    "oss signature": "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa99887766554433221100",
    "image url key": _jwt(purpose="image", exp=1790399999),
    "x5secdata": "x5SecDataChallengeSecret123",
    "user id": USER_ID,
    "e-mail": EMAIL,
    "name": NAME,
}


def _seeded() -> list[Exchange]:
    """A browser session carrying every kind of secret, plus one protocol change (a new field)."""
    s = SECRETS
    browser = (
        ("Authorization", f"Bearer {s['bearer token']}"),
        (
            "Cookie",
            f"token={s['token cookie']}; ssxmod_itna={s['ssxmod cookie']}; cna={s['cna cookie']}; "
            f"refresh_token={s['refresh token cookie']}; tiny=1",
        ),
        ("bx-ua", s["bx-ua"]),
        ("bx-umidtoken", s["bx-umidtoken"]),
        ("source", "web"),
        ("Version", "0.3.11"),
        ("Content-Type", "application/json"),
    )
    json_answer = (("content-type", "application/json"), ("x-actual-status-code", "200"))
    file_path = f"{USER_ID}/04a8a0eb-c914-4bf2-9831-dd0973a12f6e_notes.txt"
    file_url = (
        f"https://qwen-webui-prod.oss-accelerate.aliyuncs.com/{file_path}?x-oss-security-token="
        f"{quote(s['sts security token'], safe='')}&x-oss-date=20261001T100000Z&x-oss-expires=300"
        f"&x-oss-credential={quote(s['sts key id'], safe='')}%2F20261001%2Fap-southeast-1%2Foss%2Faliyun_v4_request"
        f"&x-oss-signature={s['oss signature']}"
    )
    grant = {
        "success": True,
        "request_id": "f0b30cd4-31ab-4fe1-b2ec-8504741c4b6a",
        "data": {
            "access_key_id": s["sts key id"],
            "access_key_secret": s["sts key secret"],
            "security_token": s["sts security token"],
            "file_url": file_url,
            "file_path": file_path,
            "file_id": "04a8a0eb-c914-4bf2-9831-dd0973a12f6e",
            "bucketname": "qwen-webui-prod",
            "region": "oss-ap-southeast-1",
            "endpoint": "oss-accelerate.aliyuncs.com",
        },
    }
    image = f"https://cdn.qwenlm.ai/output/{USER_ID}/t2i/x.png?key={s['image url key']}"
    events = [
        {"response.created": {"chat_id": "c1", "parent_id": None, "response_id": "r1"}},
        {
            "choices": [{"delta": {"role": "assistant", "content": image, "phase": "image_gen", "status": "typing"}}],
            "response_id": "r1",
            "brand_new_field": 1,
        },
    ]
    waf = {
        "ret": ["FAIL_SYS_USER_VALIDATE", "RGV587_ERROR::SM::busy"],
        "data": {
            "url": f"https://chat.qwen.ai:443//api/v2/chat/completions/_____tmd_____/punish?x5secdata="
            f"{s['x5secdata']}__bx__chat.qwen.ai:443/api/v2/chat/completions&action=captcha"
        },
    }
    user = {"id": USER_ID, "email": EMAIL, "name": NAME, "role": "user", "token": s["bearer token"]}
    return [
        Exchange(
            index=1,
            method="GET",
            url="https://chat.qwen.ai/api/v1/auths/",
            request_headers=browser,
            status=200,
            response_headers=(
                ("content-type", "application/json"),
                ("set-cookie", f"refresh_token={s['refresh token cookie']}; Path=/; HttpOnly"),
            ),
            response_body=json.dumps(user),
            started="2026-10-01T10:00:00.000Z",
        ),
        Exchange(
            index=2,
            method="POST",
            url="https://chat.qwen.ai/api/v2/files/getstsToken",
            request_headers=browser,
            request_body=json.dumps({"filename": "notes.txt", "filesize": "12", "filetype": "file"}),
            status=200,
            response_headers=json_answer,
            response_body=json.dumps(grant),
            started="2026-10-01T10:00:01.000Z",
        ),
        Exchange(
            index=3,
            method="POST",
            url="https://chat.qwen.ai/api/v2/chat/completions?chat_id=c1",
            request_headers=(*browser, ("X-Accel-Buffering", "no")),
            request_body=json.dumps({"stream": True, "chat_id": "c1", "model": "qwen3.7-plus", "messages": []}),
            status=200,
            response_headers=(("content-type", "text/event-stream; charset=utf-8"),),
            response_body="".join(f"data: {json.dumps(e)}\n\n" for e in events),
            started="2026-10-01T10:00:02.000Z",
        ),
        Exchange(
            index=4,
            method="POST",
            url="https://chat.qwen.ai/api/v2/chat/completions?chat_id=c1",
            request_headers=browser,
            request_body=json.dumps({"stream": True, "chat_id": "c1", "model": "qwen3.7-plus", "messages": []}),
            status=200,
            response_headers=json_answer,
            response_body=json.dumps(waf),
            started="2026-10-01T10:00:03.000Z",
        ),
        Exchange(  # another site: ignored by the check, but its secrets are still learned
            index=5,
            method="PUT",
            url=file_url,
            request_headers=(("Authorization", f"OSS4-HMAC-SHA256 Credential={s['sts key id']},Signature=ab"),),
            status=200,
        ),
    ]


def _texts(root: Path) -> dict[str, str]:
    return {str(path): path.read_text(encoding="utf-8") for path in root.rglob("*") if path.is_file()}


def _assert_no_secret(texts: dict[str, str]) -> None:
    for where, text in texts.items():
        for kind, secret in SECRETS.items():
            for form in {secret, quote(secret, safe=""), json.dumps(secret)[1:-1]}:
                assert form not in text, f"{kind} leaked into {where}"


def test_no_secret_reaches_the_report_or_the_fixtures(cli: Cli, tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    har.write_text(json.dumps(har_document(_seeded())), encoding="utf-8")
    out = tmp_path / "captured"
    text = cli("doctor", "--har", str(har), "--fixtures", str(out))
    as_json = cli("doctor", "--har", str(har), "--json")
    assert text.returncode == as_json.returncode == 1, text.stdout + text.stderr  # the seeded new field
    assert "brand_new_field" in text.stdout and "anti bot block" in text.stdout
    outputs = {
        "stdout": text.stdout,
        "stderr": text.stderr,
        "json stdout": as_json.stdout,
        "json stderr": as_json.stderr,
    }
    written = _texts(out)
    assert len(written) >= 4 * 4  # four Qwen exchanges, each with headers + bodies + sidecars
    _assert_no_secret({**outputs, **written})
    everything = "".join(written.values())
    assert FAKE_JWT in everything and PLACEHOLDER_USER_ID in everything and "STS.REDACTED" in everything
    assert "user@example.com" in everything and "ssxmod_itna=REDACTED" in everything


def test_fixtures_follow_the_recorded_layout_and_name_the_capture_date(spec: Spec, tmp_path: Path) -> None:
    exchanges = _seeded()
    redactor = Redactor().learn(exchanges)
    files = write_fixtures(spec, exchanges[1:3], tmp_path, source_name="session.har", redactor=redactor)
    names = sorted(path.name for path in files)
    assert names == sorted(
        [
            "get_sts_token_2026-10-01_002_exchange.headers.json",
            "get_sts_token_2026-10-01_002_exchange.meta.json",
            "get_sts_token_2026-10-01_002_request.json",
            "get_sts_token_2026-10-01_002_request.meta.json",
            "get_sts_token_2026-10-01_002_response.json",
            "get_sts_token_2026-10-01_002_response.meta.json",
            "create_completion_2026-10-01_003_exchange.headers.json",
            "create_completion_2026-10-01_003_exchange.meta.json",
            "create_completion_2026-10-01_003_request.json",
            "create_completion_2026-10-01_003_request.meta.json",
            "create_completion_2026-10-01_003.sse",
            "create_completion_2026-10-01_003.meta.json",
        ]
    )
    meta = json.loads((tmp_path / "create_completion_2026-10-01_003.meta.json").read_text())
    assert meta["date_of_capture_or_commit"] == "2026-10-01T10:00:02.000Z"
    assert meta["source_path"] == "session.har" and meta["kind"].startswith("sse-stream: POST /api/v2/chat/completions")
    for key in ("source_repo", "what_it_shows", "synthesized_parts", "fidelity", "redactions", "http"):
        assert meta[key]
    headers = json.loads((tmp_path / "get_sts_token_2026-10-01_002_exchange.headers.json").read_text())
    assert set(headers) == {"method", "url", "status", "request_headers", "response_headers"}
    assert ["Authorization", f"Bearer {FAKE_JWT}"] in headers["request_headers"]
    grant = json.loads((tmp_path / "get_sts_token_2026-10-01_002_response.json").read_text())["data"]
    assert grant["access_key_id"] == "STS.REDACTED" and grant["access_key_secret"] == "REDACTED"
    assert grant["file_path"].startswith(PLACEHOLDER_USER_ID + "/")


def test_written_fixtures_become_a_clean_har_again(spec: Spec, tmp_path: Path) -> None:
    """The round trip a maintainer relies on: recorded fixtures -> HAR -> --fixtures -> HAR: still no drift."""
    recorded = synthesize_exchanges()
    check_har(spec, recorded, source_name="recorded.har", fixtures_dir=tmp_path)
    again = synthesize_exchanges(tmp_path)
    assert len(again) == len(recorded)
    report = check_har(spec, again, source_name="again.har")
    assert report.findings == []


def test_a_secret_that_survives_redaction_stops_the_writer(spec: Spec, tmp_path: Path) -> None:
    exchange = _seeded()[1]
    redactor = Redactor().learn([exchange])
    redactor.secrets.add("filetype")  # pretend a word of the body were a credential nobody replaces
    redactor.scrub = lambda text: text  # type: ignore[method-assign]
    try:
        write_fixtures(spec, [exchange], tmp_path, source_name="x.har", redactor=redactor)
    except FixtureLeakError as exc:
        assert "would still contain a credential" in str(exc)
    else:
        raise AssertionError("the leak was written")
    assert list(tmp_path.iterdir()) == []


def test_short_cookie_values_are_replaced_in_place_only() -> None:
    redactor = Redactor().learn([attrs.evolve(_seeded()[0], response_body='{"id": "x", "count": 1}')])
    assert redactor.scrub('{"count": 1}') == '{"count": 1}'
    [(_, cookie)] = redactor.scrub_headers([("Cookie", "tiny=1; cna=abc")])
    assert cookie == "tiny=REDACTED; cna=REDACTED"


def test_cookie_settings_are_replaced_in_the_cookie_only_not_throughout_the_capture() -> None:
    """A region or a theme in the cookie jar is not a credential: replacing it everywhere turned the
    grant's ``"region": "oss-ap-southeast-1"`` into ``oss-REDACTED``. Credentials still go everywhere."""
    browser = (("Cookie", "x-ap=ap-southeast-1; theme=system; cna=cnaSecretCookieValue77"),)
    exchange = attrs.evolve(_seeded()[1], request_headers=browser, response_headers=())
    redactor = Redactor().learn([exchange])
    body = '{"region": "oss-ap-southeast-1", "role": "system", "seen": "cnaSecretCookieValue77"}'
    assert redactor.scrub(body) == '{"region": "oss-ap-southeast-1", "role": "system", "seen": "REDACTED"}'
    [(_, cookie)] = redactor.scrub_headers(browser)
    assert cookie == "x-ap=REDACTED; theme=REDACTED; cna=REDACTED"  # in the header itself, every value
    assert redactor.leaks(body) == ["a credential"] and redactor.leaks(redactor.scrub(body)) == []
