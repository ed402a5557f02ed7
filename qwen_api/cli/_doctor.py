"""``qwen doctor``: check the credentials and the wire protocol against the spec the SDK was built on.

Live (default): real calls through the SDK with the user's configuration (token, cookie,
``--base-url``...), every answer validated. Offline (``--har FILE``): a browser HAR export of
chat.qwen.ai validated request and answer, nothing sent; ``--fixtures DIR`` also writes its
exchanges as redacted test fixtures. Exit status: 0 OK, 1 drift found (live: or a call failed), 2 usage.
No output line can carry a credential: the report passes through a redactor that knows every
secret of the configuration or the HAR.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ._common import UsageError, write

if TYPE_CHECKING:
    from qwen_api.doctor._report import Report

__all__ = ["add_doctor_command", "cmd_doctor"]

_DESCRIPTION = textwrap.dedent(
    """\
    Find out what changed when the service changes. Without --har: checks the token (its expiry),
    the account, lists the models, runs one tiny completion in a new chat (then deletes the chat) and
    asks for one upload grant, validating every answer and stream event against the spec shipped
    with the SDK. With --har FILE: validates every chat.qwen.ai API request and answer in a browser
    HAR export (headers and bodies) and sends nothing.

    The report says OK, or lists each drift (new endpoint or status, new or missing field, changed
    type, new enum value, new stream phase or event shape, new header) with the exchange and the
    field path, and names the likely cause of a failure (expired token, anti-bot block, protocol
    drift) with what to do. No credential is ever printed.

    exit status: 0 OK, 1 drift found (live: or a call failed), 2 usage error."""
)


def add_doctor_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], parents: list[argparse.ArgumentParser]
) -> None:
    """Register ``qwen doctor`` (called from ``qwen_api.cli._parser.build_parser``)."""
    from ._help import command as _command
    from ._help import epilog as _epilog

    doctor = _command(
        commands,
        "doctor",
        "check credentials and the wire protocol against the spec",
        _DESCRIPTION,
        _epilog(
            "qwen doctor",
            "qwen doctor --json > doctor.json",
            "qwen doctor --har ~/Downloads/chat.qwen.ai.har",
            "qwen doctor --har session.har --fixtures tests/fixtures/captured-2026-11",
        ),
        parents,
    )
    doctor.add_argument("--har", metavar="FILE", help="validate a browser HAR export instead (sends nothing)")
    doctor.add_argument(
        "--fixtures", metavar="DIR", help="with --har: write its exchanges as redacted test fixtures into DIR"
    )
    doctor.add_argument("--spec", metavar="PATH", help="validate against this spec file (default: the packaged one)")
    doctor.add_argument("-m", "--model", help="model for the test completion (default: the first listed)")
    doctor.add_argument("--json", action="store_true", help="the report as one JSON object")


def _emit(report: Report, args: argparse.Namespace, scrub: object) -> None:
    assert callable(scrub)
    if args.json:
        write(scrub(json.dumps(report.to_dict(), ensure_ascii=False)) + "\n")
    else:
        write(report.render(scrub))


def cmd_doctor(args: argparse.Namespace) -> int:
    from qwen_api.doctor import HarFileError, SpecError, load_spec, read_har_exchanges
    from qwen_api.doctor._fixtures import FixtureLeakError
    from qwen_api.doctor._redact import Redactor

    if args.fixtures and not args.har:
        raise UsageError("--fixtures needs --har FILE (fixtures are written from a HAR export)")
    try:
        spec = load_spec(args.spec)
    except SpecError as exc:
        raise UsageError(str(exc)) from None
    if args.har:
        from qwen_api.doctor._offline import check_har

        try:
            exchanges = read_har_exchanges(args.har)
        except HarFileError as exc:
            raise UsageError(str(exc)) from None
        redactor = Redactor().learn(exchanges)
        extra = frozenset({urlsplit(args.base_url).hostname or ""} - {""}) if args.base_url else frozenset()
        try:
            report = check_har(
                spec,
                exchanges,
                source_name=Path(args.har).name,
                extra_hosts=extra,
                fixtures_dir=args.fixtures,
                redactor=redactor,
            )
        except FixtureLeakError as exc:
            raise UsageError(f"--fixtures: {exc}") from None
        if report.checked == 0:
            raise UsageError(
                f"{args.har}: no chat.qwen.ai API requests among {report.ignored} entries "
                "(export the HAR from a chat.qwen.ai tab after sending a message)"
            )
        _emit(report, args, redactor.scrub)
        return report.exit_status

    from qwen_api.doctor._live import config_secrets, run_live

    from ._common import config_from_args, save_renewed_tokens

    config = config_from_args(args)
    redactor = config_secrets(config, Redactor())
    report = run_live(config, spec, model=args.model, on_token_refresh=save_renewed_tokens, redactor=redactor)
    _emit(report, args, redactor.scrub)
    return report.exit_status
