"""The JSON Schema of scenario files, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

from typing import Any

from krisovning.scenario.model import Scenario

SCHEMA_ID = "urn:krisovning:scenario:1"


def scenario_schema() -> dict[str, Any]:
    body = Scenario.model_json_schema(by_alias=True, mode="validation")
    # draft-07 is what yaml-language-server validates with; pydantic emits nothing newer than it uses.
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "krisovning scenario",
        **{k: v for k, v in body.items() if k != "title"},
    }
