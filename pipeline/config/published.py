"""The JSON Schema (for editors) and the reference page, both made from the declarations.

``bulletin schema`` writes them; a test regenerates them and compares with the committed
files, so neither can drift from what the checker accepts.
"""

from __future__ import annotations

import json

from .declared import SETTINGS
from .period_reference import PERIOD_FILE, period_page
from .reference import reference_page
from .types import NO_DEFAULT, Anything, Choice, Key, ListOf, MapOf, OneOf, Record, Scalar, Variant

SCHEMA_FILE = "schemas/bulletin-config.schema.json"
REFERENCE_FILE = "docs/configuration.md"
SCALAR_JSON = {"str": "string", "sentence": "string", "expression": "string", "phrase": "string", "name": "string", "condition": "string", "int": "integer",
               "number": "number", "bool": "boolean", "date": "string"}


def _scalar(kind: Scalar, whole: bool) -> dict:
    schema = {"type": [SCALAR_JSON[kind.kind], "null"]}
    schema.update({k: v for k, v in (("minimum", kind.low), ("maximum", kind.high)) if v is not None})
    return {**schema, "format": "date"} if kind.kind == "date" else schema


def _record(kind: Record, whole: bool) -> dict:
    schema = {"type": "object", "properties": {name: _key(key, whole) for name, key in kind.keys.items()}}
    required = [name for name, key in kind.keys.items() if key.required]
    if whole and required:
        schema["required"] = required
    if not kind.open:
        schema["additionalProperties"] = False
    return schema


def _variant(kind: Variant, whole: bool) -> dict:
    cases = []
    for value, record in kind.variants.items():
        when = {"properties": {kind.on: {"const": value}}}
        if value != kind.default:
            when["required"] = [kind.on]
        cases.append({"if": when, "then": _record(record, whole)})
    return {"type": "object", "properties": {kind.on: {"enum": list(kind.variants)}}, "allOf": cases}


SCHEMAS = {
    Scalar: _scalar,
    Choice: lambda kind, whole: {"enum": list(kind.values)},
    ListOf: lambda kind, whole: {"type": "array", "items": json_schema_of(kind.item, True)},
    MapOf: lambda kind, whole: {"type": "object", "additionalProperties": json_schema_of(kind.value, whole)},
    Record: _record,
    Variant: _variant,
    OneOf: lambda kind, whole: {"anyOf": [json_schema_of(o, whole) for o in kind.options]},
    Anything: lambda kind, whole: {},
}


def json_schema_of(kind, whole: bool = False) -> dict:
    """``kind`` as JSON Schema; ``whole`` where an entry cannot be completed by the other file
    (a list item), so its required keys are required."""
    return SCHEMAS[type(kind)](kind, whole)


def _key(key: Key, whole: bool) -> dict:
    schema = {"description": key.meaning, **json_schema_of(key.type, whole)}
    if key.default is not NO_DEFAULT:
        schema["default"] = key.default
    return schema


def json_schema() -> str:
    """The JSON Schema of ``kind.yaml`` and ``bulletin.yaml`` (one schema: either file may hold any key)."""
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "通报配置（kind.yaml 与 bulletin.yaml）",
        "description": "由 pipeline/config/declared.py 生成，请勿手改：运行 bulletin schema 重新生成。",
        **json_schema_of(SETTINGS),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def published_files() -> dict[str, str]:
    """Repository path -> content of every file made from the declarations."""
    return {SCHEMA_FILE: json_schema(), REFERENCE_FILE: reference_page(SCHEMA_FILE), PERIOD_FILE: period_page()}
