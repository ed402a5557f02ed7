"""QwenLlamaIndex inside a LlamaIndex pipeline: ``Settings.llm`` + an in-memory index + a query engine.

The embedding model is LlamaIndex's ``MockEmbedding``, so nothing is downloaded; the LLM calls go to
the local server over a socket, whose answers are the deterministic echo of what it received.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from llama_index.core import Document, Settings, VectorStoreIndex
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.memory import ChatMemoryBuffer

from qwen_api.llama_index import QwenLlamaIndex
from qwen_api.testing import expected_answer

FACT = "The Qwen test server answers every prompt by echoing it back."
QUESTION = "How does the test server answer?"

pytestmark = pytest.mark.usefixtures("restore_settings", "llama_index_event_loop")


def last_prompt(server: Any) -> str:
    """The prompt the server received in the latest turn (LlamaIndex builds it from its own template)."""
    chat = next(reversed(server.state.chats.values()))
    prompt: str = chat.turns[-1].prompt
    return prompt


@pytest.fixture
def index(make_llm: Callable[..., QwenLlamaIndex]) -> VectorStoreIndex:
    Settings.llm = make_llm()
    Settings.embed_model = MockEmbedding(embed_dim=8)
    return VectorStoreIndex.from_documents([Document(text=FACT)])


def test_query_engine(index: VectorStoreIndex, server: Any) -> None:
    assert isinstance(Settings.llm, QwenLlamaIndex)
    response = index.as_query_engine().query(QUESTION)
    prompt = last_prompt(server)
    # The question and the retrieved document both reached Qwen, and the answer is the server's echo.
    assert FACT in prompt and QUESTION in prompt
    assert str(response) == expected_answer(prompt)
    assert response.source_nodes and response.source_nodes[0].node.get_content() == FACT


def test_streaming_query_engine(index: VectorStoreIndex, server: Any) -> None:
    response = index.as_query_engine(streaming=True).query(QUESTION)
    tokens = list(response.response_gen)
    assert len(tokens) > 1
    assert "".join(tokens) == expected_answer(last_prompt(server))


async def test_async_query_engine(index: VectorStoreIndex, server: Any) -> None:
    response = await index.as_query_engine().aquery(QUESTION)
    assert str(response) == expected_answer(last_prompt(server))


def test_chat_engine_keeps_the_conversation(index: VectorStoreIndex, server: Any) -> None:
    # LlamaIndex's default Memory keeps an in-memory aiosqlite connection that it never closes (a
    # ResourceWarning at garbage collection, and it has no close()); a plain buffer has no connection.
    engine = index.as_chat_engine(chat_mode="context", memory=ChatMemoryBuffer.from_defaults())
    first = engine.chat("Remember the word pineapple.")
    assert str(first) == expected_answer(last_prompt(server))
    second = engine.chat("Which word?")
    prompt = last_prompt(server)
    # The second turn carries the first exchange as a transcript (roles kept).
    assert "[user]\nRemember the word pineapple." in prompt and "[assistant]\n" + str(first) in prompt
    assert str(second) == expected_answer(prompt)


def test_settings_are_restored_after_a_pipeline_test() -> None:
    assert not isinstance(Settings._llm, QwenLlamaIndex)
