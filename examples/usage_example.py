from qwen_api import Qwen
from qwen_api.types.chat import ChatMessage

# Initialize the Qwen client with API credentials
client = Qwen(api_key="your_api_key")

# Create a chat message from the user
messages = [ChatMessage(
    role="user",
    content="What is the capital of Indonesia?"
)]

# Get a response from the API
try:
    response = client.chat.create(
        messages=messages,
        model="qwen-max-latest"
    )
    # Print the successful response
    print("Model response:", response.choices[0].message.content)

except QwenAPIError as e:
    print(f"API error occurred: {e}")
    print(f"Status code: {e.status_code}")
    print(f"Error details: {e.body}")
