from qwen_api.client import Qwen
from qwen_api.core.exceptions import QwenAPIError

try:
    client = Qwen()
    response = client.completion.create(
        model="qwen-max",
        prompt="This is a test request"
    )
except QwenAPIError as e:
    print(f"An API error occurred: {e}")
    print(f"Status code: {e.status_code}")
    print(f"Response body: {e.body}")
except Exception as e:
    print(f"An unexpected error occurred: {e}")
