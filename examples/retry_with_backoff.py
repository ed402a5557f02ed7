import time
from qwen_api.client import Qwen
from qwen_api.core.exceptions import QwenAPIError

MAX_RETRIES = 3
INITIAL_RETRY_DELAY = 1

for attempt in range(MAX_RETRIES):
    try:
        client = Qwen()
        response = client.completion.create(
            model="qwen-max",
            prompt="This is a test request"
        )
        break  # Success, exit retry loop
    except QwenAPIError as e:
        if attempt < MAX_RETRIES - 1:
            retry_delay = INITIAL_RETRY_DELAY * (attempt + 1)
            print(f"Attempt {attempt + 1} failed. Retrying in {retry_delay} seconds...")
            time.sleep(retry_delay)
        else:
            print(f"All attempts failed. Final error: {e}")

import time
from qwen_api.client import Qwen
from qwen_api.core.exceptions import QwenAPIError

for attempt in range(MAX_RETRIES):
    try:
        client = Qwen()
        response = client.completion.create(
            model="qwen-max",
            prompt="This is a test request"
        )
        break
    except QwenAPIError as e:
        if e.status_code == 429:  # Rate limit exceeded
            retry_after = getattr(e, 'retry_after', INITIAL_RETRY_DELAY * (attempt + 1))
            print(f"Rate limit exceeded. Retrying after {retry_after} seconds...")
            time.sleep(retry_after)
        elif attempt < MAX_RETRIES - 1:
            print(f"Attempt {attempt + 1} failed. Retrying...")
            time.sleep(INITIAL_RETRY_DELAY * (attempt + 1))
        else:
            print(f"Final error: {e}")
