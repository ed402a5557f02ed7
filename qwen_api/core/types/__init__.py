"""The older SDK's type namespace, kept so that documented imports work."""
