"""Demo mode: links follow the port `make demo` serves on; a 404 is the app's own page."""

import subprocess

import pytest
from django.urls import reverse

from tests.test_settings import ROOT, run_manage
from tests.web.test_reports import register

DEMO_MIDDLEWARE = "demo.middleware.NotFoundPageMiddleware"


def settings_value(name, **env):
    result = run_manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_demo_mode_adds_the_not_found_page_and_nothing_else_does(tmp_path):
    demo = settings_value(
        "MIDDLEWARE", DEBUG="1", POLICYFLOW_DEMO="1", POLICYFLOW_VAR_DIR=str(tmp_path)
    )
    plain = settings_value("MIDDLEWARE", DEBUG="1", POLICYFLOW_VAR_DIR=str(tmp_path))
    assert DEMO_MIDDLEWARE in demo
    assert DEMO_MIDDLEWARE not in plain


@pytest.mark.parametrize(
    ("args", "site_url"), [((), "http://127.0.0.1:8000"), (("PORT=8123",), "http://127.0.0.1:8123")]
)
def test_make_demo_points_site_url_at_its_own_port(args, site_url):
    dry_run = subprocess.run(
        ["make", "--dry-run", "demo", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert dry_run.returncode == 0, dry_run.stderr
    commands = [line for line in dry_run.stdout.splitlines() if "manage.py" in line]
    assert commands
    assert all(f"SITE_URL={site_url} " in line for line in commands)
    assert commands[-1].endswith(f"runserver {site_url.removeprefix('http://')}")


def foreign_policy_page(client, cast):
    policy = register(cast)
    client.force_login(cast.foreign_member)
    return client.get(reverse("web:policy", args=[policy.pk]))


def test_with_debug_alone_django_answers_its_technical_404(client, cast, settings):
    settings.DEBUG = True
    response = foreign_policy_page(client, cast)
    assert response.status_code == 404
    assert "you have <code>DEBUG = True</code>" in response.content.decode()


def test_in_demo_mode_a_foreign_policy_shows_the_apps_own_404(client, cast, settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, DEMO_MIDDLEWARE]
    response = foreign_policy_page(client, cast)
    page = response.content.decode()
    assert response.status_code == 404
    assert "Policies are shown to the people who take part in them." in page
    assert "DEBUG = True" not in page

    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Policies are shown to the people who take part in them." in missing.content.decode()
