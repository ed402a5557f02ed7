"""Resources: the attributes of a client (``client.chat``, ``client.completion``...)."""
