"""Property-based run of the whole API from its OpenAPI schema: whatever schemathesis sends
(unknown cycles, odd filters, pages past the end), the answer is never a server error.

Bounded (a few examples per operation) so it runs in well under a minute."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from itas.wsgi import application

# Loading the schema touches no table: it is generated from the code.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case, results):
    response = case.call()
    not_a_server_error_check = response.status_code < 500
    assert not_a_server_error_check, (case.method, case.formatted_path, response.status_code)
    case.validate_response(response, checks=[not_a_server_error])
