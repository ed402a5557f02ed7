"""The account pool: which upstream account answers a request, and what happens when one fails.

Selection is least-busy first (fewest answers in flight, then least recently used), under a
per-account concurrency cap; a request waits for a free slot rather than overloading an account.
An account that hits a rate limit, a daily cap or an anti-bot block cools down for as long as the
service's retry hint says (a default otherwise) and is skipped meanwhile; a refused credential
takes it out for longer. The caller fails over to another account as long as nothing has been sent
to its client yet. Each account has its own ``Qwen`` client, which renews its access token itself;
renewed tokens are written back to the accounts file (atomically, mode 0600).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from qwen_api import Qwen, QwenAntiBotError, QwenAPIError, QwenAuthenticationError, QwenPermissionError, RateLimitError

from .errors import GatewayError

logger: logging.Logger = logging.getLogger("qwen_api.gateway")

__all__ = ["Account", "AccountFileError", "AccountPool", "AccountSpec", "load_accounts_file", "save_accounts_file"]

RATE_LIMIT_COOLDOWN = 60.0
BLOCK_COOLDOWN = 300.0
AUTH_COOLDOWN = 900.0
MAX_COOLDOWN = 24 * 3600.0


class AccountFileError(ValueError):
    """The accounts file is missing, not JSON, or not a list of accounts."""


@attrs.define
class AccountSpec:
    """One entry of the accounts file (``raw`` keeps fields we do not know, so a rewrite keeps them)."""

    name: str
    auth_token: str
    refresh_token: str | None = None
    cookie: str | None = None
    headers: dict[str, str] = attrs.field(factory=dict, repr=False)
    """Extra request headers of this account (``bx-ua``/``bx-umidtoken`` belong to one browser session)."""
    raw: dict[str, Any] = attrs.field(factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"AccountSpec(name={self.name!r}, auth_token=<redacted>)"

    def to_json(self) -> dict[str, Any]:
        """The entry as the accounts file stores it: its unknown keys kept, the (renewed) tokens updated."""
        data = dict(self.raw)
        data.update({"name": self.name, "auth_token": self.auth_token})
        for key, value in (("refresh_token", self.refresh_token), ("cookie", self.cookie)):
            if value is not None:
                data[key] = value
        return data


def _optional(entry: Mapping[str, Any], key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise AccountFileError(f"{where}.{key} must be a non-empty string")
    return value.strip()


_KNOWN_KEYS = ("name", "auth_token", "refresh_token", "cookie", "headers")


def parse_accounts(data: Any, source: str) -> list[AccountSpec]:
    """The accounts of a decoded accounts file (``source`` names it in errors).

    Raises:
        AccountFileError: not a non-empty list of objects with ``name`` and ``auth_token``, or a name twice.
    """
    if not isinstance(data, list) or not data:
        raise AccountFileError(f"{source}: expected a non-empty JSON list of accounts")
    specs: list[AccountSpec] = []
    for index, entry in enumerate(data):
        where = f"{source}[{index}]"
        if not isinstance(entry, dict):
            raise AccountFileError(f"{where} must be an object with name and auth_token")
        name = _optional(entry, "name", where)
        token = _optional(entry, "auth_token", where)
        if name is None or token is None:
            raise AccountFileError(f"{where} needs a name and an auth_token")
        if any(spec.name == name for spec in specs):
            raise AccountFileError(f"{where}: the account name {name!r} is used twice")
        headers = entry.get("headers", {})
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise AccountFileError(f"{where}.headers must map header names to strings")
        unknown = sorted(str(key) for key in entry if key not in _KNOWN_KEYS)
        if unknown:  # kept in the file (a rewrite keeps them), but a misspelt key should not pass unseen
            logger.warning(
                "%s: unknown key%s %s ignored (an account has %s)",
                where,
                "s" if len(unknown) > 1 else "",
                ", ".join(repr(key[:40]) for key in unknown),
                ", ".join(_KNOWN_KEYS),
            )
        specs.append(
            AccountSpec(
                name,
                token,
                _optional(entry, "refresh_token", where),
                _optional(entry, "cookie", where),
                dict(headers),
                dict(entry),
            )
        )
    return specs


def load_accounts_file(path: str | Path) -> list[AccountSpec]:
    """Read and parse an accounts file (``qwen serve --accounts FILE``).

    Raises:
        AccountFileError: the file cannot be read, is not JSON, or has a bad entry.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise AccountFileError(f"{path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AccountFileError(f"{path}: not valid JSON ({exc})") from None
    return parse_accounts(data, str(path))


def save_accounts_file(path: str | Path, specs: Iterable[AccountSpec]) -> None:
    """Replace the file atomically: a new file (mode 0600) in the same folder, fsynced, renamed over it."""
    target = Path(path)
    text = json.dumps([spec.to_json() for spec in specs], indent=2, ensure_ascii=False) + "\n"
    handle, temp = tempfile.mkstemp(prefix=".accounts-", suffix=".tmp", dir=str(target.parent))
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@attrs.define(eq=False)
class Account:
    """One upstream account and its live state."""

    name: str
    client: Qwen
    in_flight: int = 0
    cooldown_until: float = 0.0
    cooldown_reason: str | None = None
    last_used: float = 0.0
    served: int = 0

    def cooling(self, now: float) -> bool:
        """Whether the account rests at ``now`` (``time.monotonic``) after a rate limit or refusal."""
        return self.cooldown_until > now

    def state(self, now: float) -> str:
        """``"ready"``, ``"cooldown"`` or ``"unauthorized"`` at ``now``, as ``/healthz`` reports it."""
        if not self.cooling(now):
            return "ready"
        return "unauthorized" if self.cooldown_reason == "auth" else "cooldown"


def cooldown_for(error: QwenAPIError) -> tuple[str, float] | None:
    """(reason, seconds) when ``error`` is about this account rather than the request or the service."""
    hint = error.retry_after if error.retry_after is not None and error.retry_after > 0 else None
    if isinstance(error, RateLimitError):
        reason = "daily_cap" if (error.code or "") == "RateLimited" else "rate_limit"
        return reason, min(hint or RATE_LIMIT_COOLDOWN, MAX_COOLDOWN)
    if isinstance(error, (QwenAntiBotError, QwenPermissionError)):
        return "blocked", min(hint or BLOCK_COOLDOWN, MAX_COOLDOWN)
    if isinstance(error, QwenAuthenticationError):
        return "auth", AUTH_COOLDOWN
    return None


class AccountPool:
    """Least-busy selection with a per-account cap, cooldowns, and failover bookkeeping."""

    def __init__(
        self,
        accounts: list[Account],
        *,
        max_concurrency: int | None = None,
        wait_timeout: float = 60.0,
        on_cooldown: Callable[[Account, str], None] | None = None,
    ) -> None:
        if not accounts:
            raise ValueError("the pool needs at least one account")
        self.accounts = accounts
        self.max_concurrency = max_concurrency
        self.wait_timeout = wait_timeout
        self.prefer_wait: float = min(10.0, wait_timeout)
        self.on_cooldown = on_cooldown
        self._changed: asyncio.Event | None = None

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def by_name(self, name: str) -> Account | None:
        """The account called ``name``, or None."""
        return next((account for account in self.accounts if account.name == name), None)

    def usable(self, name: str) -> bool:
        """Whether ``name`` is an account that is not resting now."""
        account = self.by_name(name)
        return account is not None and not account.cooling(time.monotonic())

    def has_fallback(self, account: Account, exclude: frozenset[str] | set[str]) -> bool:
        """Whether another account, outside ``exclude`` and not resting, could take over from ``account``."""
        now = time.monotonic()
        return any(a is not account and a.name not in exclude and not a.cooling(now) for a in self.accounts)

    def _pick(self, exclude: frozenset[str] | set[str], prefer: str | None) -> Account | None:
        now = time.monotonic()
        cap = self.max_concurrency
        best: Account | None = None
        for account in self.accounts:
            if account.name in exclude or account.cooling(now) or (cap is not None and account.in_flight >= cap):
                continue
            if account.name == prefer:
                return account
            if best is None or (account.in_flight, account.last_used) < (best.in_flight, best.last_used):
                best = account
        return best

    def unavailable(self, exclude: frozenset[str] | set[str] = frozenset()) -> GatewayError:
        """Why no account can answer now (429 when all are rate limited, else 503), with a retry hint."""
        return self._unavailable(exclude) or GatewayError(
            503, "every upstream account is busy; retry shortly", "upstream_error", "accounts_busy", None, 1.0
        )

    def _unavailable(self, exclude: frozenset[str] | set[str]) -> GatewayError | None:
        """The error to answer when no account outside ``exclude`` can ever take the request now."""
        now = time.monotonic()
        left = [a for a in self.accounts if a.name not in exclude]
        if left and any(not a.cooling(now) for a in left):
            return None  # only busy: worth waiting
        waits = [a.cooldown_until - now for a in left if a.cooling(now)]
        retry = min(waits) if waits else 30.0
        if left and all(a.cooldown_reason in ("rate_limit", "daily_cap") for a in left):
            return GatewayError(
                429,
                "every upstream account is rate limited; retry later",
                "rate_limit_error",
                "rate_limit_exceeded",
                None,
                retry,
            )
        return GatewayError(
            503,
            "no upstream account is available right now (all are cooling down or failed)",
            "upstream_error",
            "accounts_unavailable",
            None,
            retry,
        )

    async def acquire(
        self,
        *,
        exclude: frozenset[str] | set[str] = frozenset(),
        prefer: str | None = None,
        wait_for_prefer: bool = False,
    ) -> Account:
        """A slot on the least busy usable account (``prefer`` when it has one); waits while all are busy.

        With ``wait_for_prefer`` it waits for ``prefer`` (the account owning a conversation's chat) for
        up to :attr:`prefer_wait` seconds, then takes any account (the caller then starts a new chat)."""
        now = time.monotonic()
        deadline = now + self.wait_timeout
        prefer_deadline = now + self.prefer_wait
        while True:
            if wait_for_prefer and prefer is not None:
                preferred = self.by_name(prefer)
                if (
                    preferred is None
                    or preferred.cooling(time.monotonic())
                    or preferred.name in exclude
                    or time.monotonic() >= prefer_deadline
                ):
                    wait_for_prefer = False  # the chat's account is out or too busy: any account will do
                    prefer = None
                    continue
                account = preferred if self._has_slot(preferred) else None
            else:
                account = self._pick(exclude, prefer)
            if account is not None:
                account.in_flight += 1
                account.last_used = time.monotonic()
                account.served += 1
                return account
            failure = self._unavailable(exclude)
            if failure is not None and not wait_for_prefer:
                raise failure
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise GatewayError(
                    503, "every upstream account is busy; retry shortly", "upstream_error", "accounts_busy", None, 1.0
                )
            event = self._event()
            event.clear()
            if wait_for_prefer:
                remaining = min(remaining, prefer_deadline - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), max(0.0, min(remaining, 1.0)))

    def _has_slot(self, account: Account) -> bool:
        return self.max_concurrency is None or account.in_flight < self.max_concurrency

    def release(self, account: Account) -> None:
        """A request on ``account`` ended: free its slot and wake a request waiting for one."""
        account.in_flight -= 1
        if self._changed is not None:
            self._changed.set()

    def penalize(self, account: Account, error: QwenAPIError) -> bool:
        """Cool the account down when ``error`` is its own; True means: fail over to another account."""
        verdict = cooldown_for(error)
        if verdict is None:
            return False
        reason, seconds = verdict
        account.cooldown_until = max(account.cooldown_until, time.monotonic() + seconds)
        account.cooldown_reason = reason
        if self.on_cooldown is not None:
            self.on_cooldown(account, reason)
        return True

    def snapshot(self) -> list[dict[str, Any]]:
        """Each account's name, state, requests in flight and cooldown, for ``/healthz``."""
        now = time.monotonic()
        return [
            {
                "name": a.name,
                "state": a.state(now),
                "in_flight": a.in_flight,
                "cooldown_seconds": max(0.0, a.cooldown_until - now),
                "cooldown_reason": a.cooldown_reason if a.cooling(now) else None,
            }
            for a in self.accounts
        ]

    async def aclose(self) -> None:
        """Close every account's client (and its connection pool)."""
        for account in self.accounts:
            await account.client.aclose()


class TokenWriter:
    """``on_token_refresh`` for the accounts of one file: updates the entry and rewrites the file."""

    def __init__(self, path: Path, specs: list[AccountSpec]) -> None:
        self._path = path
        self._specs = specs
        self._lock = threading.Lock()
        self.writes = 0
        self.last_error: str | None = None

    def callback(self, name: str) -> Callable[[str, str | None], None]:
        """The ``on_token_refresh`` of account ``name``: stores its renewed tokens in the file."""

        def renewed(access_token: str, refresh_token: str | None) -> None:
            with self._lock:
                for spec in self._specs:
                    if spec.name == name:
                        spec.auth_token = access_token
                        if refresh_token:
                            spec.refresh_token = refresh_token
                try:
                    save_accounts_file(self._path, self._specs)
                    self.writes += 1
                except OSError as exc:
                    self.last_error = f"{self._path}: {exc.strerror or exc}"

        return renewed
