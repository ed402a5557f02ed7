from qwen_api.client import Qwen

client = Qwen()
