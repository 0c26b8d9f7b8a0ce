"""Property-based test of the HTTP API against its own /openapi.json (schemathesis).

Every API operation is called with generated parameters, valid (positive) and invalid
(negative), through the in-process ASGI transport; no response may be a server error, and
every response must match the documented schema (the error shape included).  Bounded:
MAX_EXAMPLES cases per operation and mode.  (schemathesis' lazy pytest fixture loader does not
work with pytest 9, so the operations are looked up in a fixture-built schema here.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error, response_schema_conformance  # noqa: E402

from newsevents.server.app import create_app  # noqa: E402
from test_server import shared_db  # noqa: E402

# Generated cases per API operation and mode: 30 keeps the file to some seconds on the CI
# machine while still exercising every parameter with valid and invalid values.
MAX_EXAMPLES = 30

OPERATIONS = ("/api/events", "/api/articles/{article_id}", "/api/dyads", "/api/stats", "/api/search")
# Operations with constrained parameters, for which invalid (negative) cases exist; an article id
# is any string and /api/stats takes no parameter.
CONSTRAINED = ("/api/events", "/api/dyads", "/api/search")
CASES = [(path, "positive") for path in OPERATIONS] + [(path, "negative") for path in CONSTRAINED]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db: Path = shared_db(tmp_path_factory)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


def test_every_operation_is_covered(api_schema: Any) -> None:
    paths = {result.ok().path for result in api_schema.get_all_operations()}
    assert paths == set(OPERATIONS)


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_api_never_fails(api_schema: Any, path: str, mode: str) -> None:
    operation = api_schema[path]["GET"]
    calls: list[int] = []

    @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        response = case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
        calls.append(response.status_code)

    check()
    assert calls and all(status < 500 for status in calls)
    if mode == "negative":
        assert any(400 <= status < 500 for status in calls)
