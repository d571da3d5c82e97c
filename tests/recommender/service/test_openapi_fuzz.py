"""Fuzz every operation from the service's own OpenAPI description (schemathesis): whatever
valid-looking input it invents, the answer is never a 5xx and matches the described responses."""
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from recommender.service.openapi import openapi_spec
from tests.recommender.service.conftest import TOKEN

schema = schemathesis.openapi.from_dict(openapi_spec())


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
def test_api_follows_its_description(case, server):
    case.call_and_validate(
        base_url=server.base,
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
