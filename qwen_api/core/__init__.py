"""Compatibility namespace kept from the older SDK (``qwen_api.core.exceptions``, ``qwen_api.core.types``)."""
