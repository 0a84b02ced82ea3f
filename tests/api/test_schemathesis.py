"""Property-based run of the whole API from its OpenAPI schema: whatever schemathesis sends
(unknown cycles, odd filters, pages past the end), the answer is never a server error.

Bounded (a few examples per operation) so it runs in well under a minute."""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

STATUSES: Counter = Counter()  # (operation, status) seen; printed at the end with -s

# Loading the schema touches no table: it is generated from the code.
# Django's handler, not itas.wsgi: that module refuses to serve without a production key.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Calls go straight to the WSGI app (not Django's test client), so switch off what the
    test client switches off: closing the connection at the end of each request, which would
    close the test's transaction on PostgreSQL."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case, results, keep_test_connection):
    response = case.call()
    STATUSES[(f"{case.method} {case.path}", response.status_code)] += 1
    not_a_server_error_check = response.status_code < 500
    assert not_a_server_error_check, (case.method, case.formatted_path, response.status_code)
    case.validate_response(response, checks=[not_a_server_error])


def teardown_module():
    for (operation, status), n in sorted(STATUSES.items()):
        print(f"schemathesis: {operation} -> {status}: {n}")
