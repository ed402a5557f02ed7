"""The doctor's verdict: findings, problems and steps, rendered for a terminal or as JSON.

Exit statuses (same scheme as every ``qwen`` command): 0 when nothing drifted and nothing failed,
1 when the spec and the wire differ or, live, a call failed (an API error), 2 for a usage error (a missing
file, a bad option) -- the CLI decides that last one before a report exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ._findings import Finding
from ._validate import CAUSES, Problem

__all__ = ["Report", "Step"]

#: Failures that drift found in the same run explains better than they do themselves.
_EXPLAINED_BY_DRIFT = ("network", "sdk_error")

EXIT_OK = 0
EXIT_DRIFT_OR_ERROR = 1

#: Drift found in a HAR is a maintainer's to-do, not a user's: the advice says how to act on it.
HAR_DRIFT_ADVICE = (
    "the capture differs from the spec: for each finding, update spec/qwen-chat.openapi.yaml (say where and "
    "when it was seen), run `make generate`, and keep the exchange as a test fixture (`--fixtures DIR`); "
    "docs/contributing.md walks through it"
)


@attrs.frozen
class Step:
    """One live check (token, account, models, completion, chat deletion, upload grant)."""

    name: str
    ok: bool
    detail: str
    skipped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.define
class Report:
    mode: str
    """``live`` or ``har``."""
    spec: str
    target: str
    """The service URL (live) or the HAR file's name."""
    checked: int = 0
    ignored: int = 0
    findings: list[Finding] = attrs.Factory(list)
    problems: list[Problem] = attrs.Factory(list)
    steps: list[Step] = attrs.Factory(list)
    fixtures: list[str] = attrs.Factory(list)
    fixtures_dir: str | None = None

    @property
    def ok(self) -> bool:
        """No drift; live, also no failed call. A HAR's failed answers are the service's own (recorded
        errors are part of the protocol, and the recorded fixtures hold some), so they are listed with
        their likely cause but do not make a capture drift."""
        if self.mode == "har":
            return not self.findings
        return not self.findings and not self.problems and all(step.ok or step.skipped for step in self.steps)

    @property
    def causes(self) -> list[str]:
        """The likely causes, most specific first: the problems' own, then drift when any was found."""
        causes: list[str] = []
        for problem in self.problems:
            if problem.cause not in causes:
                causes.append(problem.cause)
        if self.findings and "protocol_drift" not in causes:
            # drift explains an SDK failure, or a stream cut short (read as a network failure), better
            # than the failure itself
            at = min((causes.index(c) for c in _EXPLAINED_BY_DRIFT if c in causes), default=len(causes))
            causes.insert(at, "protocol_drift")
        return causes

    def advice(self, cause: str) -> str:
        if cause == "protocol_drift" and self.mode == "har":
            return HAR_DRIFT_ADVICE
        return CAUSES[cause]

    @property
    def exit_status(self) -> int:
        return EXIT_OK if self.ok else EXIT_DRIFT_OR_ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "mode": self.mode,
            "spec": self.spec,
            "target": self.target,
            "exchanges_checked": self.checked,
            "exchanges_ignored": self.ignored,
            "steps": [step.to_dict() for step in self.steps],
            "findings": [finding.to_dict() for finding in self.findings],
            "problems": [problem.to_dict() for problem in self.problems],
            "causes": [{"cause": cause, "advice": self.advice(cause)} for cause in self.causes],
            "fixtures_written": self.fixtures,
        }

    def render(self, scrub: Callable[[str], str] = lambda text: text) -> str:
        lines: list[str] = []
        if self.mode == "har":
            lines.append(
                f"qwen doctor: {self.checked} Qwen API exchanges in {self.target} checked against {self.spec}"
                + (f" ({self.ignored} other entries ignored)" if self.ignored else "")
            )
        else:
            lines.append(f"qwen doctor: {self.target} checked against {self.spec}")
            width = max((len(step.name) for step in self.steps), default=0)
            for step in self.steps:
                mark = "skip" if step.skipped else ("ok" if step.ok else "FAIL")
                lines.append(f"  {step.name.ljust(width)}  {mark:<4}  {step.detail}")
            lines.append(f"  {self.checked} exchanges validated")
        if self.findings:
            lines.append("")
            plural = "s" if len(self.findings) != 1 else ""
            breaking = sum(finding.breaking for finding in self.findings)
            lines.append(
                f"DRIFT: {len(self.findings)} difference{plural} from the spec "
                f"({breaking} may break the SDK, {len(self.findings) - breaking} additive)"
            )
            by_exchange: dict[str, list[Finding]] = {}
            for finding in self.findings:
                by_exchange.setdefault(finding.exchange, []).append(finding)
            for exchange, findings in by_exchange.items():
                operation = findings[0].operation
                lines.append(f"  {exchange}" + (f" ({operation})" if operation else ""))
                for finding in findings:
                    where = f"{'!' if finding.breaking else ' '} {finding.location} {finding.kind}"
                    extra = []
                    if finding.first_event is not None:
                        extra.append(f"first at event {finding.first_event}")
                    if finding.count > 1:
                        extra.append(f"{finding.count} times")
                    tail = f" [{', '.join(extra)}]" if extra else ""
                    lines.append(f"    {where}: {finding.message}{tail}")
        if self.problems:
            lines.append("")
            plural = "s" if len(self.problems) != 1 else ""
            label = "ERROR ANSWERS" if self.mode == "har" else "FAILED"
            lines.append(f"{label}: {len(self.problems)} call{plural} failed")
            for problem in self.problems:
                lines.append(f"  {problem.exchange}: {problem.cause.replace('_', ' ')}: {problem.detail}")
        if self.fixtures:
            lines.append("")
            lines.append(
                f"Wrote {len(self.fixtures)} fixture files into {self.fixtures_dir} "
                "(secrets replaced; read them before committing)"
            )
        lines.append("")
        if self.ok and self.problems:  # a HAR with error answers: nothing drifted, and it says so once
            plural = "s" if len(self.problems) != 1 else ""
            lines.append(
                f"OK: no drift from the spec ({len(self.problems)} recorded call{plural} failed, listed above)"
            )
        elif self.ok:
            lines.append("OK: no drift from the spec" + ("" if self.mode == "har" else ", every call succeeded"))
        elif not self.findings and self.problems:  # the verdict is not OK, but say that nothing drifted
            plural = "s" if len(self.problems) != 1 else ""
            lines.append(f"NOT OK: {len(self.problems)} call{plural} failed (no drift from the spec)")
        if not self.ok or self.problems:
            for cause in self.causes:
                lines.append(f"Likely cause: {cause.replace('_', ' ')}. What to do: {self.advice(cause)}.")
        return scrub("\n".join(lines)) + "\n"
