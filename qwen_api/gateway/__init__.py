"""``qwen serve``: an OpenAI- and Anthropic-compatible HTTP gateway to Qwen Chat, built on the public
``qwen_api`` API only (never its private modules).

Parts, each with one job: the protocol adapters (:mod:`.openai_adapter`, :mod:`.anthropic_adapter`;
pure functions, no I/O), the conversation map (:mod:`.conversations`), the account pool
(:mod:`.accounts`), the chat service that ties them to the SDK (:mod:`.chat`), the HTTP layer
(:mod:`.core`, :mod:`.openai_routes`, :mod:`.anthropic_routes`, :mod:`.app`), metrics
(:mod:`.metrics`) and the uvicorn runner (:mod:`.server`). Needs the ``gateway`` extra (Starlette,
uvicorn, prometheus-client)::

    from qwen_api.gateway.server import ServeOptions, serve

    with serve(ServeOptions(port=0)) as gateway:
        ...  # openai.OpenAI(base_url=gateway.base_url, api_key="unused")
"""
