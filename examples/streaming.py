from qwen_api.client import Qwen

client = Qwen()

# Create a streaming completion
stream = client.completion.create(
    model="qwen-max",
    prompt="Write a long story about a magical forest",
    stream=True
)

# Process the stream
for chunk in stream:
    print(chunk.choices[0].delta.content, end="", flush=True)
