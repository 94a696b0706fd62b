"""Production settings pass Django's deployment checks as CI runs them (`make
deploy-check`), and fail them once the HTTPS switches are off, so the check cannot pass
for nothing. The switches and the trusted proxies come from the environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SWITCHES = {
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}


def production_env(**overrides: str) -> dict[str, str]:
    """This environment without the test suite's plain-HTTP switches (pyproject's pytest
    env) or any other setting these tests are about, plus ``overrides``."""
    cleared = {*SWITCHES, "DEBUG", "TRUSTED_PROXY_COUNT"}
    env = {k: v for k, v in os.environ.items() if k not in cleared}
    return env | overrides


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "deploy-check"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_settings_pass_the_deployment_checks() -> None:
    env = production_env(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="aid.example.org")
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checks_fail_with_the_https_switches_off() -> None:
    result = deploy_check(production_env(**SWITCHES))
    assert result.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in result.stderr, result.stderr


def settings_under(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    env = env | {"DJANGO_SETTINGS_MODULE": "config.settings"}
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, check=True
    ).stdout
    return json.loads(output)


def test_secure_by_default() -> None:
    values = settings_under(
        production_env(),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "REST_FRAMEWORK",
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    # No proxy: neither X-Forwarded-Proto nor X-Forwarded-For is believed.
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == 0


def test_behind_trusted_proxies_their_headers_are_believed() -> None:
    values = settings_under(
        production_env(TRUSTED_PROXY_COUNT="2"), "SECURE_PROXY_SSL_HEADER", "REST_FRAMEWORK"
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == 2
