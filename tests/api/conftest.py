from tests.reports.conftest import _fast_passwords, results  # noqa: F401 - shared fixtures
