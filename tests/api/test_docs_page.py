"""The API's docs (Swagger UI) and its schema are served by the app itself.

Swagger UI comes from drf-spectacular-sidecar's static files, never from a
CDN, so the docs work offline and on an intranet, under the same
Content-Security-Policy as the pages: no inline script or style.
"""

import re

import pytest
import yaml
from django.test import Client

ASSET = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]*)"', re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\bstyle=", re.IGNORECASE)


@pytest.fixture
def client(settings):
    # Static files served as in production (whitenoise), from the apps' static directories.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_docs_page_loads_swagger_ui_from_the_apps_own_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = ASSET.findall(html)
    assert {"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"} <= set(assets)
    assert any(asset.endswith("/swagger-ui.css") for asset in assets)
    assert "//" not in html.replace("<!DOCTYPE html>", "")  # no URL on another host
    for asset in assets:
        assert asset.startswith("/"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert body(served).strip(), asset
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_docs_read_the_schema_from_the_app(client):
    script = body(client.get("/api/v1/docs/?script=")).decode()
    assert '"/api/v1/schema/"' in script
    assert "https://" not in script
    assert "http://" not in script


def test_the_schema_is_served_as_openapi_3_1(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(body(response))
    assert schema["openapi"] == "3.1.0"
    assert "/api/v1/policies/{id}/" in schema["paths"]
