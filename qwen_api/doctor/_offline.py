"""The offline check: every Qwen API exchange of a browser HAR export against the spec, sending nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ._exchange import Exchange
from ._findings import merge_findings
from ._fixtures import write_fixtures
from ._redact import Redactor
from ._report import Report
from ._spec import Spec
from ._validate import diagnose, is_qwen_exchange, validate_exchange

__all__ = ["check_har"]


def check_har(
    spec: Spec,
    exchanges: Sequence[Exchange],
    *,
    source_name: str,
    extra_hosts: frozenset[str] = frozenset(),
    fixtures_dir: str | Path | None = None,
    redactor: Redactor | None = None,
) -> Report:
    """Validate the Qwen API calls among ``exchanges`` (requests too) and, when asked, write them as fixtures.

    ``redactor`` should have learned *all* of ``exchanges`` (also the ones that are not checked),
    so that a secret seen anywhere in the HAR is replaced everywhere.
    """
    hosts = spec.hosts | extra_hosts
    selected = [exchange for exchange in exchanges if is_qwen_exchange(spec, exchange, hosts)]
    report = Report(mode="har", spec=spec.source, target=source_name)
    report.checked = len(selected)
    report.ignored = len(exchanges) - len(selected)
    findings = []
    for exchange in selected:
        findings.extend(validate_exchange(spec, exchange))
        problem = diagnose(exchange)
        if problem is not None:
            report.problems.append(problem)
    report.findings = merge_findings(findings)
    if fixtures_dir is not None:
        redactor = redactor or Redactor().learn(exchanges)
        written = write_fixtures(spec, selected, fixtures_dir, source_name=source_name, redactor=redactor)
        report.fixtures = [str(path) for path in written]
        report.fixtures_dir = str(fixtures_dir)
    return report
