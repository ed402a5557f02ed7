"""List the service's models with their capabilities; documentation ids resolve to current models."""

from qwen_api import Qwen

with Qwen() as client:
    for model in client.models.list():
        caps = model.capabilities
        flags = [name for name in ("vision", "document", "audio", "video", "thinking", "search") if getattr(caps, name)]
        print(f"{model.id:24} context={model.max_context_length} {','.join(flags)}")
    print("qwen-max-latest ->", client.models.retrieve("qwen-max-latest").id)
