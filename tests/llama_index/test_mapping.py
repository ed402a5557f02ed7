"""LlamaIndex messages onto ours: roles, content blocks, and what cannot be sent (no server needed)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from llama_index.core.base.llms.types import (
    AudioBlock,
    CacheControl,
    CachePoint,
    ChatMessage,
    CitationBlock,
    DocumentBlock,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
    VideoBlock,
)

from qwen_api.llama_index import to_qwen_messages
from qwen_api.types import chat as ours

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (MessageRole.SYSTEM, "system"),
        (MessageRole.DEVELOPER, "developer"),
        (MessageRole.USER, "user"),
        (MessageRole.ASSISTANT, "assistant"),
        (MessageRole.FUNCTION, "function"),
        (MessageRole.TOOL, "tool"),
        (MessageRole.CHATBOT, "assistant"),
        (MessageRole.MODEL, "assistant"),
    ],
)
def test_every_role_maps(role: MessageRole, expected: str) -> None:
    converted = to_qwen_messages([ChatMessage(role=role, content="x"), ChatMessage(role="user", content="q")])
    assert converted[0].role == expected
    assert converted[1].role == "user"


def test_text_blocks_keep_their_order() -> None:
    [message] = to_qwen_messages([ChatMessage(role="user", blocks=[TextBlock(text="one"), TextBlock(text="two")])])
    assert message.blocks == [ours.TextBlock(text="one"), ours.TextBlock(text="two")]
    assert message.text == "one\ntwo"


def test_image_url_path_and_bytes(tmp_path: Path) -> None:
    picture = tmp_path / "cat.png"
    picture.write_bytes(PNG)
    [message] = to_qwen_messages(
        [
            ChatMessage(
                role="user",
                blocks=[
                    TextBlock(text="compare"),
                    ImageBlock(url="https://example.com/cat.png"),
                    ImageBlock(path=picture),
                    ImageBlock(image=PNG),
                    ImageBlock(url="data:image/png;base64," + base64.b64encode(PNG).decode()),
                ],
            )
        ]
    )
    text, by_url, by_path, by_bytes, by_data_url = message.blocks
    assert text == ours.TextBlock(text="compare")
    assert isinstance(by_url, ours.ImageBlock) and by_url.url == "https://example.com/cat.png"
    assert by_url.path is None and by_url.image is None
    assert isinstance(by_path, ours.ImageBlock) and by_path.path == str(picture) and by_path.url is None
    # LlamaIndex keeps bytes base64-encoded; ours wants the image itself.
    assert isinstance(by_bytes, ours.ImageBlock) and by_bytes.image == PNG and by_bytes.image_mimetype == "image/png"
    # A data: URL is content, not an address the service could fetch.
    assert isinstance(by_data_url, ours.ImageBlock) and by_data_url.image == PNG and by_data_url.url is None


def test_documents_audio_and_video_map_onto_our_blocks(tmp_path: Path) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("hello", encoding="utf-8")
    [message] = to_qwen_messages(
        [
            ChatMessage(
                role="user",
                blocks=[
                    DocumentBlock(path=doc, title="notes"),
                    DocumentBlock(data=b"inline document"),
                    AudioBlock(url="https://example.com/a.mp3"),
                    VideoBlock(url="https://example.com/v.mp4"),
                ],
            )
        ]
    )
    by_path, by_data, audio, video = message.blocks
    assert isinstance(by_path, ours.DocumentBlock) and by_path.path == str(doc) and by_path.title == "notes"
    assert isinstance(by_data, ours.DocumentBlock) and by_data.data == b"inline document"
    assert isinstance(audio, ours.AudioBlock) and audio.url == "https://example.com/a.mp3"
    assert isinstance(video, ours.VideoBlock) and video.url == "https://example.com/v.mp4"


def test_reasoning_and_cache_markers_are_not_sent() -> None:
    messages = [
        ChatMessage(role="user", content="hi"),
        ChatMessage(
            role="assistant",
            blocks=[
                ThinkingBlock(content="my earlier reasoning"),
                TextBlock(text="hello"),
                CachePoint(cache_control=CacheControl(type="ephemeral")),
            ],
        ),
        ChatMessage(role="user", content="bye"),
    ]
    converted = to_qwen_messages(messages)
    assert converted[1].blocks == [ours.TextBlock(text="hello")]


@pytest.mark.parametrize(
    "block",
    [
        ToolCallBlock(tool_name="search", tool_kwargs={"q": "x"}),
        CitationBlock(
            cited_content=TextBlock(text="quote"), source="https://example.com", title="t", additional_location_info={}
        ),
    ],
)
def test_blocks_we_cannot_send_are_a_clear_value_error(block: object) -> None:
    message = ChatMessage(role="user", blocks=[TextBlock(text="look"), block])
    with pytest.raises(ValueError, match=r"messages\[0\]\.blocks\[1\].*cannot send"):
        to_qwen_messages([message])


def test_empty_earlier_messages_are_skipped_but_an_empty_last_one_is_not_hidden() -> None:
    converted = to_qwen_messages([ChatMessage(role="system", content=""), ChatMessage(role="user", content="q")])
    assert [m.role for m in converted] == ["user"]
    # The last message is passed on as it is, so the client's own "no text" error names it.
    [last] = to_qwen_messages([ChatMessage(role="user", content="")])
    assert last.text == ""


def test_messages_must_be_a_sequence_of_llama_index_messages() -> None:
    with pytest.raises(TypeError):
        to_qwen_messages(ChatMessage(role="user", content="not a list"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_qwen_messages([{"role": "user", "content": "a dict"}])  # type: ignore[list-item]
