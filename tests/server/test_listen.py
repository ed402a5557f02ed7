"""The servers bind before uvicorn starts: a port in use is an ``OSError`` for the caller, not a dead thread."""

from __future__ import annotations

import errno
import threading

import httpx
import pytest

from qwen_api.listen import ListenError, listen
from qwen_api.testing import serve


def _server_threads() -> int:
    return sum(thread.name == "qwen-test-server" for thread in threading.enumerate())


def test_serve_on_a_port_in_use_raises_at_once_and_starts_no_thread(busy_port: int) -> None:
    threads = _server_threads()
    with pytest.raises(OSError) as caught, serve(port=busy_port):
        pytest.fail("the server started on a port in use")
    assert isinstance(caught.value, ListenError)
    assert caught.value.errno == errno.EADDRINUSE
    assert str(caught.value) == f"cannot listen on 127.0.0.1:{busy_port}: address already in use"
    assert _server_threads() == threads


def test_a_port_just_freed_can_be_served_again() -> None:
    with httpx.Client() as client:
        with serve() as first:
            port = int(first.url.rsplit(":", 1)[1])
            assert client.get(first.url + "/api/models").status_code == 200
        # the server closed the kept-alive connection first: its side waits in TIME_WAIT, which
        # SO_REUSEADDR (uvicorn's own binding set it too) lets a new listener ignore
    with serve(port=port) as second:
        assert httpx.get(second.url + "/api/models").status_code == 200


@pytest.mark.parametrize("port", [-1, 65536])
def test_a_port_out_of_range_is_a_value_error(port: int) -> None:
    with pytest.raises(ValueError, match="port must be between 0 and 65535"):
        listen("127.0.0.1", port)


def test_a_host_that_does_not_resolve_is_a_listen_error() -> None:
    with pytest.raises(ListenError, match=r"^cannot listen on 256\.1\.1\.1:0: "):
        listen("256.1.1.1", 0)


def test_an_ipv6_host_is_shown_in_brackets() -> None:
    assert str(ListenError("::1", 80, "address already in use")) == "cannot listen on [::1]:80: address already in use"


def test_all_interfaces_share_one_free_port() -> None:
    sockets = listen("", 0)
    try:
        assert {sock.getsockname()[1] for sock in sockets} == {sockets[0].getsockname()[1]}
    finally:
        for sock in sockets:
            sock.close()
