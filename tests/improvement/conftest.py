from tests.reports.conftest import _fast_passwords  # noqa: F401 - shared fixture
