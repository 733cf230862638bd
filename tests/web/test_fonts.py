"""Arabic-script fonts come from the app itself, for Arabic script only."""

import re

import pytest
from django.templatetags.static import static
from django.test import Client

FONTS = {
    "Noto Naskh Arabic": ("NotoNaskhArabic-Regular", "NotoNaskhArabic-Bold"),
    "Noto Nastaliq Urdu": ("NotoNastaliqUrdu-Regular", "NotoNastaliqUrdu-Bold"),
}
ARABIC_BLOCK = "U+0600-06FF"


@pytest.fixture
def static_client(settings):
    # Served as in production (whitenoise), from the app's static directories.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


def get(client, path):
    response = client.get(static(path))
    assert response.status_code == 200, path
    return b"".join(response.streaming_content), response


def test_each_font_is_served_as_woff2_with_its_licence(static_client):
    for files in FONTS.values():
        for name in files:
            content, response = get(static_client, f"web/vendor/fonts/{name}.woff2")
            assert content.startswith(b"wOF2")
            assert response["Content-Type"] == "font/woff2"
            assert len(content) < 200_000  # kept to Arabic script
    licence, _response = get(static_client, "web/vendor/fonts/OFL.txt")
    assert b"SIL OPEN FONT LICENSE" in licence


def test_the_stylesheet_uses_them_for_arabic_script_and_nastaliq_for_urdu(static_client):
    css = get(static_client, "web/policyflow.css")[0].decode()
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    declared = {}
    for face in faces:
        family = re.search(r'font-family:\s*"([^"]+)"', face).group(1)
        source = re.search(r'url\("([^"]+)"\)', face).group(1)
        assert ARABIC_BLOCK in re.search(r"unicode-range:([^;]*);", face).group(1)
        declared.setdefault(family, set()).add(source.rsplit("/", 1)[-1].removesuffix(".woff2"))
    assert declared == {family: set(files) for family, files in FONTS.items()}
    urdu = re.search(r"^:lang\(ur\)\s*{([^}]*)}", css, re.M).group(1)  # Urdu alone
    assert re.search(r'font-family:\s*"Noto Nastaliq Urdu"', urdu)
