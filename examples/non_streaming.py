from qwen_api.client import Qwen

client = Qwen()

# Create a non-streaming completion
response = client.completion.create(
    model="qwen-max",
    prompt="Write a short poem about springtime"
)

# Process the complete response
print(response.choices[0].text)
