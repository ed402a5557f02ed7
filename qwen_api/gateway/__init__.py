"""``qwen serve``: an OpenAI-compatible HTTP gateway to Qwen Chat, built on the public ``qwen_api`` API.

Parts: the protocol adapter (:mod:`.openai_adapter`, pure), the conversation map
(:mod:`.conversations`), the account pool (:mod:`.accounts`), the chat service that ties them to the
SDK (:mod:`.chat`), the HTTP layer (:mod:`.app`), metrics (:mod:`.metrics`) and the uvicorn runner
(:mod:`.server`). Needs the ``gateway`` extra (Starlette, uvicorn, prometheus-client)::

    from qwen_api.gateway.server import ServeOptions, serve

    with serve(ServeOptions(port=0)) as gateway:
        ...  # openai.OpenAI(base_url=gateway.base_url, api_key="unused")
"""
