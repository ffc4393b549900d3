"""The shipped JSON Schema is the generated one, and every shipped framework satisfies it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from jixiao.authoring.schema import framework_schema, schema_text
from tests.conftest import FRAMEWORKS, ROOT

SHIPPED_SCHEMA = ROOT / "schema" / "framework.schema.json"


def test_shipped_schema_is_current():
    # If this fails, run: python scripts/make_schema.py
    assert SHIPPED_SCHEMA.read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("path", sorted(FRAMEWORKS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_framework_validates(path):
    schema = json.loads(SHIPPED_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_schema_rejects_a_misspelt_key_and_a_bad_id():
    data = yaml.safe_load((FRAMEWORKS / "shaoguan-2023.yaml").read_text(encoding="utf-8"))
    data["indicators"][0]["pionts"] = 3
    errors = list(jsonschema.Draft202012Validator(framework_schema()).iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [["indicators", 0]]
    data = yaml.safe_load((FRAMEWORKS / "shaoguan-2023.yaml").read_text(encoding="utf-8"))
    data["id"] = "Shaoguan 2023"
    errors = list(jsonschema.Draft202012Validator(framework_schema()).iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [["id"]]


def test_every_framework_points_its_editor_at_the_schema():
    for path in FRAMEWORKS.glob("*.yaml"):
        if path.stem == "generic-department-2020":
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == "# yaml-language-server: $schema=../schema/framework.schema.json"
