import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "ITAS_SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-3f9a1c",
    "ITAS_ALLOWED_HOSTS": "itas.example.go.th",
    "ITAS_SSL_REDIRECT": "1",
    "ITAS_SECURE_COOKIES": "1",
    "ITAS_HSTS_SECONDS": "31536000",
    "ITAS_HSTS_INCLUDE_SUBDOMAINS": "1",
    "ITAS_HSTS_PRELOAD": "1",
    "ITAS_DEBUG": "0",
    "ITAS_DEMO": "0",
}


def _itas(*args, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ITAS_", "DJANGO_"))}
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "itas.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _itas("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_with_development_defaults():
    # The check is real: the insecure development defaults must trip it.
    result = _itas("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
