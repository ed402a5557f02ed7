"""Reasoning arrives apart from the answer; web search results arrive on their own."""

from qwen_api import Qwen
from qwen_api.types.chat import ChatMessage

with Qwen() as client:
    stream = client.chat.create(
        messages=[ChatMessage(role="user", content="Why is the sky blue?", thinking=True, web_search=True)],
        model="qwen-plus-latest",
        stream=True,
        thinking_mode="thinking",
    )
    with stream:
        for chunk in stream:
            delta = chunk.choices[0].delta
            if delta.reasoning_content:
                print(f"\033[2m{delta.reasoning_content}\033[0m", end="", flush=True)
            print(delta.content, end="", flush=True)
    answer = stream.final_response()
    print("\n\nsources:")
    for source in answer.choices[0].message.web_search_info:
        print(f"  {source.title}: {source.url}")
    print("usage:", answer.usage)
