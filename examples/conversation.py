"""A conversation that lives on the server: each turn continues the previous one."""

from qwen_api import Qwen

with Qwen() as client:
    conversation = client.chats.new(model="qwen-plus-latest")
    print("chat:", conversation.chat_id)

    first = conversation.send("My name is Ada. Remember it.")
    print("turn 1:", first.choices[0].message.content)

    print("turn 2: ", end="")
    with conversation.send("What is my name?", stream=True) as stream:
        for chunk in stream:
            print(chunk.choices[0].delta.content, end="", flush=True)
    print()

    detail = client.chats.get(conversation.chat_id)
    print("messages on the server:", [message.role for message in detail.messages])
    conversation.delete()
