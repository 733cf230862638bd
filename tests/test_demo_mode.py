"""Demo mode: only there the demo app exists; links follow the port `make demo`
serves on; a 404 is the app's own page."""

import json
import subprocess

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.demo_mode import (
    DEMO_APP,
    DEMO_CONTEXT_PROCESSOR,
    DEMO_MIDDLEWARE,
    enter_demo_mode,
)
from tests.test_settings import ROOT, run_manage
from tests.web.test_reports import register
from workflow.models import Organization, Policy

SHAPE = (
    "import json; from django.conf import settings as s; print(json.dumps(["
    "s.INSTALLED_APPS, s.MIDDLEWARE, s.TEMPLATES[0]['OPTIONS']['context_processors']]))"
)


def settings_shape(tmp_path, **env):
    result = run_manage("shell", "-c", SHAPE, POLICYFLOW_VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_demo_mode_adds_the_demo_app_and_nothing_else_does(tmp_path):
    """What POLICYFLOW_DEMO=1 adds, and only it, is what the tests' demo mode adds."""
    apps_, middleware, processors = settings_shape(tmp_path, DEBUG="1")
    assert settings_shape(tmp_path, DEBUG="1", POLICYFLOW_DEMO="1") == [
        [*apps_, DEMO_APP],
        [*middleware, DEMO_MIDDLEWARE],
        [*processors, DEMO_CONTEXT_PROCESSOR],
    ]
    assert DEMO_APP not in apps_
    assert DEMO_MIDDLEWARE not in middleware
    assert DEMO_CONTEXT_PROCESSOR not in processors


def test_without_demo_mode_there_is_no_load_demo(tmp_path):
    result = run_manage("load_demo", DEBUG="1", POLICYFLOW_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "Unknown command: 'load_demo'" in result.stderr


@pytest.mark.django_db
def test_the_suite_runs_without_the_demo_app():
    assert not apps.is_installed(DEMO_APP)
    with pytest.raises(CommandError, match="Unknown command: 'load_demo'"):
        call_command("load_demo")


@pytest.mark.django_db
def test_load_demo_installed_outside_demo_mode_refuses_and_writes_nothing(settings):
    enter_demo_mode(settings)
    settings.POLICYFLOW_DEMO = False
    with pytest.raises(CommandError, match=r"only in demo mode \(POLICYFLOW_DEMO=1\)"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()
    assert not Organization.objects.exists()
    assert not Policy.objects.exists()


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
    enter_demo_mode(settings)
    response = foreign_policy_page(client, cast)
    page = response.content.decode()
    assert response.status_code == 404
    assert "Policies are shown to the people who take part in them." in page
    assert "DEBUG = True" not in page

    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Policies are shown to the people who take part in them." in missing.content.decode()
