"""The API's docs (Swagger UI) work in the browser under the app's Content-Security-Policy."""

import yaml
from django.conf import settings
from playwright.sync_api import expect

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def test_the_docs_list_every_operation_without_a_refused_script_or_style(page, screenshot):
    schema = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text())
    operations = sum(len(METHODS & set(path)) for path in schema["paths"].values())
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto("/api/v1/docs/")

    expect(page.locator(".opblock")).to_have_count(operations)
    expect(page.locator(".information-container .title")).to_contain_text("policyflow API")
    assert errors == []  # a script or style the policy refused is a console error
    screenshot("docs")
