"""A Qwen-compatible local server for offline development and tests (extra ``server``)."""
