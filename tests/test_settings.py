"""Settings come from the environment; production refuses to start unsafe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "policyflow.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="policyflow.example.org",
        POLICYFLOW_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = run_manage("check", DEBUG="0", POLICYFLOW_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [
        ("", "django.db.backends.sqlite3", "policyflow.sqlite3"),
        ("postgres://u:p@db.example.org:5432/pf", "django.db.backends.postgresql", "pf"),
    ],
)
def test_database_comes_from_database_url(tmp_path, url, engine, name):
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d.get('OPTIONS', {}).get('transaction_mode'))"
    )
    env = {"DEBUG": "1", "POLICYFLOW_VAR_DIR": str(tmp_path)}
    if url:
        env["DATABASE_URL"] = url
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    found_engine, found_name, mode = result.stdout.strip().splitlines()[-1].split()
    assert found_engine == engine
    assert Path(found_name).name == name
    assert mode == ("IMMEDIATE" if "sqlite" in engine else "None")


def test_home_is_the_dashboard_behind_the_sign_in_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"
    assert client.get(response.url).status_code == 200
