"""One ``Qwen`` shared by threads that each run their own event loops, and by sync callers at once.

Each ``asyncio.run`` gets its own async pool; no loop may close a pool another loop is still using
(before, about 40 % of such calls failed with a closed pool).
"""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Iterator

import pytest

from qwen_api import Qwen
from qwen_api.testing import RunningServer, expected_answer, serve
from tests.e2e.test_upload import png_bytes

TOKEN = "threads-and-loops-token-1234567890"
THREADS = 3
RUNS = 4
CALLS = 3
PICTURE = base64.b64encode(png_bytes()).decode()


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


def test_threads_each_running_event_loops_and_sync_calls_all_succeed(server: RunningServer) -> None:
    client = Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10)
    failures: list[BaseException] = []
    answers: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS + 1)

    async def one_run(worker: int, run: int) -> list[str]:  # CALLS chat calls and one upload at once
        async def ask(index: int) -> str:
            prompt = f"w{worker} r{run} c{index}"
            if index % 2:
                stream = await client.chat.acreate([{"role": "user", "content": prompt}], stream=True)
                text = "".join([chunk.choices[0].delta.content async for chunk in stream])
            else:
                response = await client.chat.acreate([{"role": "user", "content": prompt}])
                text = response.choices[0].message.content
            assert text == expected_answer(prompt)
            return text

        async def upload() -> str:
            uploaded = await client.chat.async_upload_file(base64_data=PICTURE, filename=f"w{worker}r{run}.png")
            assert server.state.uploads[uploaded.file_path].verdict == "ok"
            return uploaded.file_path

        *texts, _ = await asyncio.gather(*(ask(index) for index in range(CALLS)), upload())
        return texts

    def async_worker(worker: int) -> None:
        start.wait()
        for run in range(RUNS):
            try:
                texts = asyncio.run(one_run(worker, run))
            except BaseException as error:  # every failure is reported, not just the first
                with lock:
                    failures.append(error)
            else:
                with lock:
                    answers.extend(texts)

    def sync_worker() -> None:
        start.wait()
        for index in range(RUNS * CALLS):
            prompt = f"sync {index}"
            try:
                response = client.chat.create([{"role": "user", "content": prompt}])
                assert response.choices[0].message.content == expected_answer(prompt)
            except BaseException as error:
                with lock:
                    failures.append(error)
            else:
                with lock:
                    answers.append(prompt)

    threads = [threading.Thread(target=async_worker, args=(n,)) for n in range(THREADS - 1)]
    threads.append(threading.Thread(target=sync_worker))
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join()
    client.close()
    assert failures == []
    assert len(answers) == (THREADS - 1) * RUNS * CALLS + RUNS * CALLS
