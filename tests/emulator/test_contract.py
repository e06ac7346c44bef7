"""The emulator against the vendor's OpenAPI description, with schemathesis.

Generated requests, valid and invalid, must get answers whose status codes,
content types, headers and bodies the spec documents, and never a 5xx.
Where the product knowingly goes beyond the spec, the spec is amended here,
in one place:

- ``input`` and ``idempotency_key`` must not be empty (the spec gives only a
  maximum length), so an empty one is invalid rather than "schema-valid";
- unknown query parameters are ignored, not refused;
- ``GET /v1/sessions`` answers 400 for a bad ``page`` or ``limit`` (the spec
  lists no 400 for it, but every other operation reports bad input that way).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.emulator.support import bearer
from tui.emulator.keys import DEMO_ADMIN_KEY
from tui.emulator.server import EmbeddedEmulator, EmulatorOptions

SPEC = Path(__file__).with_name("traversal-sessions-openapi.yaml")


def amended_spec() -> dict[str, Any]:
    amended: dict[str, Any] = copy.deepcopy(schemathesis.openapi.from_path(SPEC).raw_schema)
    schemas = amended["components"]["schemas"]
    schemas["CreateSessionRequest"]["properties"]["input"]["minLength"] = 1
    schemas["CreateSessionRequest"]["properties"]["idempotency_key"]["minLength"] = 1
    schemas["FollowUpMessageRequest"]["properties"]["input"]["minLength"] = 1
    list_responses = amended["paths"]["/v1/sessions"]["get"]["responses"]
    list_responses["400"] = {"$ref": "#/components/responses/BadRequest"}
    return amended


def run_mode(emulator: EmbeddedEmulator, mode: schemathesis.GenerationMode) -> None:
    schema = schemathesis.openapi.from_dict(amended_spec())
    # Unknown query parameters are ignored, as most services do; the key is ours to send.
    schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    headers = bearer(DEMO_ADMIN_KEY)

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=schema.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        case.call_and_validate(base_url=emulator.base_url, headers=headers)

    check()


def test_valid_requests_get_documented_answers() -> None:
    options = EmulatorOptions(port=0, random_seed="contract", max_running=1_000_000)
    with EmbeddedEmulator(options) as emulator:
        run_mode(emulator, schemathesis.GenerationMode.POSITIVE)


def test_invalid_requests_get_documented_errors() -> None:
    options = EmulatorOptions(port=0, random_seed="contract", max_running=1_000_000)
    with EmbeddedEmulator(options) as emulator:
        run_mode(emulator, schemathesis.GenerationMode.NEGATIVE)
