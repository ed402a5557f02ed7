"""Doctor fixtures: the recorded fixtures as exchanges, the packaged spec, and the CLI runner of tests/cli."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_api.doctor import Exchange, Spec, load_spec
from qwen_api.testing import RunningServer, serve
from tests.cli.conftest import Cli

from .har_synth import synthesize_exchanges


@pytest.fixture(scope="session")
def spec() -> Spec:
    return load_spec()


@pytest.fixture
def recorded() -> list[Exchange]:
    return synthesize_exchanges()


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


@pytest.fixture
def cli(server: RunningServer, tmp_path: Path) -> Cli:
    return Cli(server, tmp_path)
