"""Downloads, previews and comparisons: only for those who take part in the policy."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from docx import Document

from documents.services import add_version
from tests.documents import make_docs as md
from tests.factories import docx_upload
from workflow import services
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State


@pytest.fixture
def two_versions(new_policy, cast):
    first = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=docx_upload(
            "Purpose of the policy.", "Scope covers emigrants.", name="v1.docx"
        ),
    )
    second = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=docx_upload(
            "Purpose of the policy.",
            "Scope covers emigrants and their families.",
            "سياسة الهجرة الوطنية",
            name="PK policy — v2.docx",
        ),
    )
    return first, second


def test_a_participant_downloads_the_exact_bytes_as_an_attachment(client, cast, two_versions):
    first, _ = two_versions
    client.force_login(cast.bureau_member)
    response = client.get(reverse("documents:download", args=[first.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="v1.docx"' in response["Content-Disposition"]
    with first.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_non_ascii_file_names_survive(client, cast, two_versions):
    _, second = two_versions
    client.force_login(cast.drafter)
    response = client.get(reverse("documents:download", args=[second.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''PK%20policy%20%E2%80%94%20v2.docx" in response["Content-Disposition"]


@pytest.mark.parametrize("view", ["documents:download", "documents:preview"])
def test_a_foreign_organisation_gets_404(client, cast, two_versions, view):
    client.force_login(cast.foreign_member)
    assert client.get(reverse(view, args=[two_versions[0].pk])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, two_versions):
    response = client.get(reverse("documents:download", args=[two_versions[0].pk]))
    assert response.status_code == 302
    assert "/login/" in response.url
    assert not getattr(response, "streaming_content", None)


def test_preview_is_escaped_and_reads_right_to_left(client, cast, new_policy):
    version = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=docx_upload("<script>alert(1)</script>", "سياسة الهجرة الوطنية"),
    )
    client.force_login(cast.endorser)
    response = client.get(reverse("documents:preview", args=[version.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "سياسة الهجرة الوطنية" in page
    assert 'dir="auto"' in page


def test_preview_lists_the_headings_linked_to_their_paragraphs(client, cast, new_policy):
    version = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=ContentFile(
            md.docx_bytes(
                md.paragraph("Purpose & scope", style="Heading1")
                + md.paragraph("The policy covers emigration.")
                + md.paragraph("Governance", style="Heading2")
                + md.paragraph("A council oversees it."),
                styles=md.HEADINGS_STYLES,
            ),
            name="outline.docx",
        ),
    )
    client.force_login(cast.endorser)
    page = client.get(reverse("documents:preview", args=[version.pk])).content.decode()

    contents = page.split('id="outline-heading"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(
        r'<li class="outline-level-(\d)"><a href="#(p-\d+)" dir="auto">([^<]*)</a>', contents
    )
    assert links == [("1", "p-1", "Purpose &amp; scope"), ("2", "p-3", "Governance")]
    for _, anchor, _ in links:
        assert page.count(f' id="{anchor}"') == 1
    assert "Contents (2 headings)" in page


def test_comparison_page_and_redline_download(client, cast, two_versions):
    first, second = two_versions
    client.force_login(cast.coordinator)
    page = client.get(reverse("documents:compare", args=[first.pk, second.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<ins>" in html
    assert "families" in html

    response = client.get(reverse("documents:redline", args=[first.pk, second.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    redline = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in redline.paragraphs)
    assert "families" in text


def test_versions_of_different_policies_are_not_compared(client, cast, two_versions):
    other = services.register_policy(
        actor=cast.coordinator,
        project=cast.project,
        title="Another",
        short_title="another",
        country="PK",
        lead_ministry=cast.ministry,
        drafters=[cast.drafter],
    )
    foreign = add_version(other, actor=cast.drafter, uploaded_file=docx_upload("Other text."))
    client.force_login(cast.coordinator)
    response = client.get(reverse("documents:compare", args=[two_versions[0].pk, foreign.pk]))
    assert response.status_code == 400
