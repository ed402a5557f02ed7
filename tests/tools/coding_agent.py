"""A coding agent's tool set, in the shape such agents send (file system, shell, search, todos, web).

Written to be as demanding as the real ones: long descriptions, nested objects and arrays
(``edit`` takes a list of edits, ``todo_write`` a list of todo objects with enums), ``oneOf``,
``$defs``/``$ref``, numeric bounds, ``additionalProperties: false`` and patterns.
"""

from __future__ import annotations

from typing import Any

_TODO = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "content": {"type": "string", "minLength": 1},
        "status": {"type": "string", "enum": ["pending", "in_progress", "completed"]},
        "priority": {"type": "string", "enum": ["high", "medium", "low"]},
    },
    "required": ["id", "content", "status"],
    "additionalProperties": False,
}


def _tool(name: str, description: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": description, "parameters": parameters}}


CODING_AGENT_TOOLS: list[dict[str, Any]] = [
    _tool(
        "read_file",
        "Read a file from the local file system. Lines are numbered from 1; use offset and limit for large files.",
        {
            "type": "object",
            "properties": {
                "file_path": {"type": "string", "description": "Absolute path of the file."},
                "offset": {"type": "integer", "minimum": 1},
                "limit": {"type": "integer", "minimum": 1, "maximum": 5000},
            },
            "required": ["file_path"],
            "additionalProperties": False,
        },
    ),
    _tool(
        "write_file",
        "Create or overwrite a file with the given content.",
        {
            "type": "object",
            "properties": {"file_path": {"type": "string"}, "content": {"type": "string"}},
            "required": ["file_path", "content"],
            "additionalProperties": False,
        },
    ),
    _tool(
        "edit",
        "Apply several exact string replacements to one file, in order. Each old_string must match exactly once "
        "unless replace_all is true.",
        {
            "type": "object",
            "properties": {
                "file_path": {"type": "string"},
                "edits": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {
                            "old_string": {"type": "string"},
                            "new_string": {"type": "string"},
                            "replace_all": {"type": "boolean", "default": False},
                        },
                        "required": ["old_string", "new_string"],
                        "additionalProperties": False,
                    },
                },
            },
            "required": ["file_path", "edits"],
            "additionalProperties": False,
        },
    ),
    _tool(
        "bash",
        "Run a shell command in a persistent session. Quote paths with spaces. Output over 30000 characters is cut.",
        {
            "type": "object",
            "properties": {
                "command": {"type": "string"},
                "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": 600000},
                "description": {"type": "string", "maxLength": 200},
                "run_in_background": {"type": "boolean"},
            },
            "required": ["command"],
            "additionalProperties": False,
        },
    ),
    _tool(
        "glob",
        "Find files by glob pattern, sorted by modification time.",
        {
            "type": "object",
            "properties": {"pattern": {"type": "string"}, "path": {"type": "string"}},
            "required": ["pattern"],
        },
    ),
    _tool(
        "grep",
        "Search file contents with a regular expression (ripgrep syntax).",
        {
            "type": "object",
            "properties": {
                "pattern": {"type": "string"},
                "path": {"type": "string"},
                "glob": {"type": "string"},
                "output_mode": {"type": "string", "enum": ["content", "files_with_matches", "count"]},
                "-i": {"type": "boolean"},
                "-n": {"type": "boolean"},
                "context": {"type": "integer", "minimum": 0},
                "head_limit": {"type": "integer", "minimum": 1},
            },
            "required": ["pattern"],
            "additionalProperties": False,
        },
    ),
    _tool(
        "list_directory",
        "List the entries of a directory, optionally ignoring glob patterns.",
        {
            "type": "object",
            "properties": {"path": {"type": "string"}, "ignore": {"type": "array", "items": {"type": "string"}}},
            "required": ["path"],
        },
    ),
    _tool(
        "todo_write",
        "Replace the session's todo list. Keep exactly one item in_progress while working.",
        {
            "type": "object",
            "$defs": {"todo": _TODO},
            "properties": {"todos": {"type": "array", "items": {"$ref": "#/$defs/todo"}}},
            "required": ["todos"],
            "additionalProperties": False,
        },
    ),
    _tool(
        "web_fetch",
        "Fetch a URL and answer a prompt about its content.",
        {
            "type": "object",
            "properties": {
                "url": {"type": "string", "pattern": "^https?://"},
                "prompt": {"type": "string"},
            },
            "required": ["url", "prompt"],
        },
    ),
    _tool(
        "notebook_edit",
        "Edit one cell of a Jupyter notebook.",
        {
            "type": "object",
            "properties": {
                "notebook_path": {"type": "string"},
                "cell": {
                    "oneOf": [
                        {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
                        {"type": "object", "properties": {"index": {"type": "integer"}}, "required": ["index"]},
                    ]
                },
                "new_source": {"type": "string"},
                "cell_type": {"type": "string", "enum": ["code", "markdown"]},
                "edit_mode": {"type": "string", "enum": ["replace", "insert", "delete"]},
            },
            "required": ["notebook_path", "cell", "new_source"],
        },
    ),
    _tool(
        "task",
        "Start a sub-agent for a self-contained task and return its final report.",
        {
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "prompt": {"type": "string"},
                "subagent_type": {"type": "string"},
                "tools": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            },
            "required": ["description", "prompt"],
        },
    ),
    _tool(
        "ask_user",
        "Ask the user a question with suggested answers.",
        {
            "type": "object",
            "properties": {
                "question": {"type": "string"},
                "options": {
                    "type": "array",
                    "maxItems": 4,
                    "items": {
                        "type": "object",
                        "properties": {"label": {"type": "string"}, "description": {"type": "string"}},
                        "required": ["label"],
                    },
                },
            },
            "required": ["question"],
        },
    ),
]

EDIT_ARGUMENTS = {
    "file_path": "/repo/src/app.py",
    "edits": [
        {"old_string": "def main():\n    pass", "new_string": 'def main():\n    print("hi")'},
        {"old_string": "DEBUG = True", "new_string": "DEBUG = False", "replace_all": True},
    ],
}
TODO_ARGUMENTS = {
    "todos": [
        {"id": "1", "content": "Read the failing test", "status": "completed", "priority": "high"},
        {"id": "2", "content": "Fix the parser", "status": "in_progress"},
        {"id": "3", "content": "Run `make test`", "status": "pending", "priority": "low"},
    ]
}
