"""Prometheus metrics of one gateway, in its own registry (several gateways can run in one process).

Requests and latency by endpoint, upstream errors by the service's code, tokens by kind, streams in
flight, conversation turns (continued or new), tool calls and structured answers by outcome, and
the account pool read at scrape time (state, answers in flight, cooldown left and cooldowns so far
by reason).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from .accounts import AccountPool

__all__ = ["CONTENT_TYPE", "GatewayMetrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_STATES = ("ready", "cooldown", "unauthorized")


class _PoolCollector(Collector):
    def __init__(self, pool: AccountPool) -> None:
        self._pool = pool

    def collect(self) -> Iterator[Metric]:
        state = GaugeMetricFamily(
            "qwen_gateway_account_state", "1 for the state each account is in", labels=["account", "state"]
        )
        in_flight = GaugeMetricFamily(
            "qwen_gateway_account_in_flight", "answers in flight per account", labels=["account"]
        )
        cooldown = GaugeMetricFamily(
            "qwen_gateway_account_cooldown_seconds", "cooldown left per account", labels=["account", "reason"]
        )
        for row in self._pool.snapshot():
            for name in _STATES:
                state.add_metric([row["name"], name], 1.0 if row["state"] == name else 0.0)
            in_flight.add_metric([row["name"]], float(row["in_flight"]))
            cooldown.add_metric([row["name"], row["cooldown_reason"] or ""], row["cooldown_seconds"])
        yield state
        yield in_flight
        yield cooldown


class GatewayMetrics:
    """The gateway's Prometheus metrics (``/metrics``): requests, latency, upstream errors, tokens,
    tool calls, streams in progress and the accounts' states, in a registry of its own."""

    def __init__(self, pool: AccountPool) -> None:
        self.registry: CollectorRegistry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests: Counter = Counter(
            "qwen_gateway_requests", "requests answered", ["endpoint", "status"], registry=r
        )
        self.latency: Histogram = Histogram(
            "qwen_gateway_request_duration_seconds",
            "time to the whole answer",
            ["endpoint"],
            registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
        )
        self.upstream_errors: Counter = Counter(
            "qwen_gateway_upstream_errors", "upstream failures by error code", ["code"], registry=r
        )
        self.tokens: Counter = Counter("qwen_gateway_tokens", "tokens reported by the upstream", ["kind"], registry=r)
        self.streams: Gauge = Gauge("qwen_gateway_streams_in_flight", "streamed answers being sent", registry=r)
        self.turns: Counter = Counter(
            "qwen_gateway_conversation_turns", "turns by how they reached the upstream", ["kind"], registry=r
        )
        self.cooldowns: Counter = Counter(
            "qwen_gateway_account_cooldowns",
            "cooldowns started by account and reason",
            ["account", "reason"],
            registry=r,
        )
        self.tool_calls: Counter = Counter(
            "qwen_gateway_tool_calls",
            "tool calls answered, valid or still invalid after repairs",
            ["outcome"],
            registry=r,
        )
        self.formats: Counter = Counter(
            "qwen_gateway_structured_answers", "response_format answers, valid or not", ["outcome"], registry=r
        )
        self.failovers: Counter = Counter("qwen_gateway_failovers", "requests moved to another account", registry=r)
        self.warm_chats: Counter = Counter(
            "qwen_gateway_warm_chats",
            "chats made ahead (--warm-chats): made, used, failed, expired, discarded",
            ["outcome"],
            registry=r,
        )
        r.register(_PoolCollector(pool))

    def render(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
