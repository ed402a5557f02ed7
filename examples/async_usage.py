import asyncio
from qwen_api.client import Qwen

async def main():
    # Create an async client instance
    client = Qwen()

    # Make an async completion request
    response = await client.completion.acreate(
        model="qwen-max",
        prompt="Hello, how can I help you today?"
    )

    # Print the response
    print(response.choices[0].text)

# Run the async function
asyncio.run(main())
