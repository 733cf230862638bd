"""Settings come from the environment; production refuses to start unsafe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

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


def deploy_check(tmp_path, **env):
    """``check --deploy`` with production settings (and ``env``), warnings failing it."""
    production = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "policyflow.example.org",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "POLICYFLOW_VAR_DIR": str(tmp_path),
    }
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **{**production, **env})


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_broker_fails_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path, CELERY_BROKER_URL="")
    assert result.returncode != 0
    assert "(policyflow.W001) CELERY_BROKER_URL is not set while DEBUG is off" in result.stderr


def test_production_without_a_shared_cache_fails_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path, CACHE_URL="")
    assert result.returncode != 0
    assert "(policyflow.W002) CACHE_URL is not set while DEBUG is off" in result.stderr


def broker_warnings():
    found = run_checks(include_deployment_checks=True, tags=["tasks"])
    return [message.id for message in found]


@pytest.mark.parametrize(
    ("debug", "broker", "warned"),
    [
        (False, "", ["policyflow.W001"]),
        (False, "redis://127.0.0.1:6379/0", []),
        (True, "", []),  # the embedded default: tasks in-process on purpose
    ],
)
def test_the_deploy_check_asks_production_for_a_broker(settings, debug, broker, warned):
    settings.DEBUG = debug
    settings.CELERY_BROKER_URL = broker
    assert broker_warnings() == warned


def hsts_settings(tmp_path, **env):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    production = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)}
    result = run_manage("shell", "-c", code, POLICYFLOW_VAR_DIR=str(tmp_path), **production, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()


def test_hsts_covers_this_host_for_a_year_and_the_rest_is_opt_in(tmp_path):
    assert hsts_settings(tmp_path) == ["31536000", "False", "False"]
    opted_in = hsts_settings(tmp_path, SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    assert opted_in == ["31536000", "True", "True"]


@pytest.mark.parametrize(
    ("opted_in", "header"),
    [(False, "max-age=31536000"), (True, "max-age=31536000; includeSubDomains; preload")],
)
def test_the_hsts_header_says_only_what_was_opted_into(client, settings, opted_in, header):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = opted_in
    settings.SECURE_HSTS_PRELOAD = opted_in
    response = client.get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == header


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
