"""Who is signed in, the chats on the server, and stopping an answer half-way."""

from qwen_api import Qwen

with Qwen() as client:
    account = client.account.retrieve()
    print("signed in as:", account.name or account.email or account.id)

    conversation = client.chats.new(model="qwen-plus-latest")
    with conversation.send("Write a very long essay about rivers.", stream=True) as stream:
        first = next(stream)
        print("first words:", first.choices[0].delta.content)
        client.chats.stop(conversation.chat_id, stream.response_id)  # the service stops generating
    print("stopped answer:", stream.response_id)

    later = client.chats.resume(conversation.chat_id, model=conversation.model, parent_id=stream.response_id)
    print("continued:", later.send("Just the title, please.").choices[0].message.content)

    for summary in client.chats.list(page=1):
        print(f"{summary.id}  {summary.title!r}  ({summary.chat_type})")
    client.chats.delete(conversation.chat_id)
