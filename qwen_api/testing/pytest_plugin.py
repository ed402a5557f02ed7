"""pytest plugin registered through the ``pytest11`` entry point (fixture ``qwen_server``).

It imports nothing heavy at load time, so installing qwen-api without the ``server`` extra
never breaks a user's test run.
"""
