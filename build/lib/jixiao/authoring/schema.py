"""The JSON Schema of framework files, generated from the pydantic models.

The repository ships it as ``schema/framework.schema.json`` so that an editor can check a
framework while it is written (VS Code's YAML extension reads the first-line comment
``# yaml-language-server: $schema=../schema/framework.schema.json``). A test compares the
shipped file with :func:`framework_schema`, so it cannot go stale; regenerate it with
``python scripts/make_schema.py``.
"""

from __future__ import annotations

import json
from typing import Any

from jixiao.framework.models import Framework

SCHEMA_ID = "https://github.com/jixiao/jixiao/schema/framework.schema.json"


def framework_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) a framework file must satisfy."""
    schema = Framework.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "jixiao 评价框架文件 (framework file)",
    }


def schema_text() -> str:
    """The schema as the text of the shipped file (stable key order, Chinese kept readable)."""
    return json.dumps(framework_schema(), ensure_ascii=False, indent=2) + "\n"
