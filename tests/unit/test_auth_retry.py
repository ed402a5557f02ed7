"""The refresh-once-on-refusal rule of the shared retry core, driven without I/O.

Many calls share one token: when a call is refused with a token that another call renewed while the
first was in flight, it retries with the new token without refreshing again, and its own single
refresh stays available. A call refused with the current token refreshes once, then gives up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from qwen_api._engine import Plan, Policy, RefreshToken, with_retries
from qwen_api.core.exceptions import QwenAntiBotError, QwenAuthenticationError, QwenPermissionError


class FakeAuth:
    """What ``with_retries`` reads of a TokenManager; the driver below performs the refreshes."""

    can_refresh = True

    def __init__(self) -> None:
        self.generation = 0
        self.refreshes = 0

    def needs_refresh(self) -> bool:
        return False

    def expired(self) -> bool:
        return False


def drive(plan: Plan[str], auth: FakeAuth) -> str:
    """Run a plan: a RefreshToken renews unless someone already did since its generation."""
    value: Any = None
    while True:
        try:
            effect = plan.send(value)
        except StopIteration as stop:
            return str(stop.value)
        assert isinstance(effect, RefreshToken)
        if effect.generation == auth.generation:
            auth.generation += 1
            auth.refreshes += 1
        value = None


def attempts(outcomes: list[Callable[[FakeAuth], None]], auth: FakeAuth) -> Callable[[int], Plan[str]]:
    """Each attempt runs the next outcome: it may renew the token "elsewhere", then fails or succeeds."""
    queue: Iterator[Callable[[FakeAuth], None]] = iter(outcomes)

    def attempt(_: int) -> Plan[str]:
        next(queue)(auth)
        return "answer"
        yield  # a generator

    return attempt


def refused(auth: FakeAuth) -> None:
    raise QwenAuthenticationError("Token expired", status_code=401)


def renewed_elsewhere_then_refused(auth: FakeAuth) -> None:
    auth.generation += 1  # another call refreshed while this request was in flight with the old token
    auth.refreshes += 1
    raise QwenAuthenticationError("Token expired", status_code=401)


def ok(auth: FakeAuth) -> None:
    return None


def test_refused_with_the_current_token_refreshes_once_and_retries() -> None:
    auth = FakeAuth()
    policy = Policy(max_retries=0, auth=auth)  # type: ignore[arg-type]
    assert drive(with_retries(attempts([refused, ok], auth), policy, "call"), auth) == "answer"
    assert auth.refreshes == 1


def test_refused_twice_with_fresh_tokens_gives_up() -> None:
    auth = FakeAuth()
    policy = Policy(max_retries=0, auth=auth)  # type: ignore[arg-type]
    with pytest.raises(QwenAuthenticationError):
        drive(with_retries(attempts([refused, refused, ok], auth), policy, "call"), auth)
    assert auth.refreshes == 1


def test_refused_with_a_token_renewed_meanwhile_retries_without_refreshing() -> None:
    auth = FakeAuth()
    policy = Policy(max_retries=0, auth=auth)  # type: ignore[arg-type]
    outcomes = [renewed_elsewhere_then_refused, refused, ok]
    assert drive(with_retries(attempts(outcomes, auth), policy, "call"), auth) == "answer"
    assert auth.refreshes == 2  # one elsewhere, and this call's own single refresh


def blocked_by_the_anti_bot_gate(auth: FakeAuth) -> None:
    raise QwenAntiBotError("blocked", status_code=403, code="FAIL_SYS_USER_VALIDATE")


def forbidden(auth: FakeAuth) -> None:
    raise QwenPermissionError("forbidden", status_code=403)


@pytest.mark.parametrize("outcome", [blocked_by_the_anti_bot_gate, forbidden])
def test_a_block_or_a_403_is_raised_at_once_without_spending_the_refresh(outcome: Callable[[FakeAuth], None]) -> None:
    auth = FakeAuth()
    policy = Policy(max_retries=3, auth=auth)  # type: ignore[arg-type]
    with pytest.raises((QwenAntiBotError, QwenPermissionError)):
        drive(with_retries(attempts([outcome, ok], auth), policy, "call"), auth)
    assert auth.refreshes == 0
