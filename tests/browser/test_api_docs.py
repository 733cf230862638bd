"""The API's browsable docs work in a browser: served by the app, under its CSP.

Swagger UI comes from drf-spectacular-sidecar's static files; the page
must load it, read the schema and list the operations, with nothing the
Content-Security-Policy refuses and nothing fetched from another host.
"""

from urllib.parse import urlsplit

from playwright.sync_api import expect


def test_the_api_docs_list_the_operations_without_breaking_the_csp(page, live_server, screenshot):
    refused, hosts = [], set()
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("policyflow API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.filter(has_text="/api/v1/policies/{id}/transitions/{name}/")).to_be_visible()
    screenshot("api-docs")
    assert refused == []
    assert hosts == {urlsplit(live_server.url).netloc}
