from qwen_api.client import Qwen

# Create a client instance
client = Qwen()

# Make a basic completion request
response = client.completion.create(
    model="qwen-max",
    prompt="Hello, how can I help you today?"
)

# Print the response
print(response.choices[0].text)
