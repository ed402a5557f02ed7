"""A client library for accessing Qwen Chat web API: request builders and models, no I/O.

Each operation module under ``api/`` has ``build_request(...)`` and, for a JSON answer, ``parse_response(data)``;
the models are in ``models``, the shared request type and query rule in ``types``
(template: spec/templates/package_init.py.jinja)."""
