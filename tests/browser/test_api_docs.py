"""The API's docs (Swagger UI) work in the browser under the app's Content-Security-Policy,
served by the app itself: every request stays on its own host."""

from urllib.parse import urlsplit

import yaml
from django.conf import settings
from playwright.sync_api import expect

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def test_the_docs_list_every_operation_without_a_refused_script_or_style(
    page, live_server, screenshot
):
    schema = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text())
    operations = sum(len(METHODS & set(path)) for path in schema["paths"].values())
    errors, hosts = [], set()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    page.goto("/api/v1/docs/")

    expect(page.locator(".opblock")).to_have_count(operations)
    expect(page.locator(".information-container .title")).to_contain_text("policyflow API")
    assert errors == []  # a script or style the policy refused is a console error
    assert hosts == {urlsplit(live_server.url).netloc}
    screenshot("docs")
