"""Downloads, previews and comparisons: only for those who take part in the policy."""

import io
import re
from datetime import UTC

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from documents import services as documents_services
from documents.models import GeneratedRecord
from documents.services import add_version
from tests.documents import make_docs as md
from tests.factories import docx_upload
from workflow import services
from workflow.models import DocumentVersion, Policy

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


def test_preview_shows_comments_and_tracked_changes_where_they_are(client, cast, new_policy):
    version = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=ContentFile(
            md.docx_bytes(
                md.paragraph("Fees ", md.inserted("are "), md.deleted("were "), "paid.")
                + md.paragraph('<w:commentRangeStart w:id="0"/>', "Workers register.")
                + md.paragraph("Closing."),
                comments=md.comments(("Omar <Reviewer>", "Who registers <them>?")),
            ),
            name="marked.docx",
        ),
    )
    client.force_login(cast.endorser)
    page = client.get(reverse("documents:preview", args=[version.pk])).content.decode()

    body = page.split('id="p-1"', 1)[1]
    assert '<ins title="Inserted by Reviewer, 1 January 2024">are </ins>' in body
    assert '<del title="Deleted by Reviewer, 1 January 2024">were </del>' in body
    comment = body.index("Who registers &lt;them&gt;?")
    assert body.index('id="p-2"') < comment < body.index('id="p-3"')
    assert "<bdi>Omar &lt;Reviewer&gt;</bdi>" in body
    assert "each comment follows the paragraph it is on" in page


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
    redline = Document(io.BytesIO(b"".join(response.streaming_content)))
    insertions = redline.element.body.findall(".//" + qn("w:ins"))
    assert "and their families" in "".join(t.text for m in insertions for t in m.iter(qn("w:t")))
    uploader = cast.drafter.get_full_name() or cast.drafter.get_username()
    assert {m.get(qn("w:author")) for m in insertions} == {uploader}
    assert {m.get(qn("w:date")) for m in insertions} == {
        second.uploaded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    }
    section = redline.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


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


def test_the_redline_is_made_once_per_pair_and_kept(client, cast, two_versions, monkeypatch):
    first, second = two_versions
    url = reverse("documents:redline", args=[first.pk, second.pk])
    client.force_login(cast.coordinator)
    made = b"".join(client.get(url).streaming_content)
    record = GeneratedRecord.objects.get(kind=GeneratedRecord.Kind.REDLINE)
    assert (record.older_version, record.newer_version, record.policy) == (
        first,
        second,
        second.policy,
    )
    with record.file.open("rb") as stored:
        assert stored.read() == made

    def never(*args, **kwargs):
        raise AssertionError("the redline was made again")

    monkeypatch.setattr("documents.services.comparison.redline_report", never)
    client.force_login(cast.bureau_member)
    again = client.get(url)
    assert again.status_code == 200
    assert b"".join(again.streaming_content) == made
    assert GeneratedRecord.objects.filter(kind=GeneratedRecord.Kind.REDLINE).count() == 1
    # The reverse pair is another report.
    monkeypatch.undo()
    client.get(reverse("documents:redline", args=[second.pk, first.pk]))
    assert GeneratedRecord.objects.filter(kind=GeneratedRecord.Kind.REDLINE).count() == 2


def test_a_foreign_user_neither_gets_nor_makes_a_redline(client, cast, two_versions):
    first, second = two_versions
    client.force_login(cast.foreign_member)
    response = client.get(reverse("documents:redline", args=[first.pk, second.pk]))
    assert response.status_code == 404
    assert not GeneratedRecord.objects.exists()


@pytest.mark.parametrize(
    ("uploaded_as", "served_as"),
    [
        ("policy.exe", 'filename="policy.docx"'),
        ("policy.html", 'filename="policy.docx"'),
        ("a\"; filename*=UTF-8''evil.exe;.docx", 'filename="a- filename-UTF-8-evil-exe.docx"'),
        ("«».docx", 'filename="version-1.docx"'),
        ("draft", 'filename="draft.docx"'),
    ],
)
def test_every_version_is_served_as_a_docx(client, cast, new_policy, uploaded_as, served_as):
    version = add_version(
        new_policy, actor=cast.drafter, uploaded_file=docx_upload("Text.", name=uploaded_as)
    )
    assert DocumentVersion.objects.get().original_name == uploaded_as
    client.force_login(cast.drafter)
    response = client.get(reverse("documents:download", args=[version.pk]))
    disposition = response["Content-Disposition"]
    assert disposition == f"attachment; {served_as}"
    assert "exe" not in disposition.split("filename=")[1].rsplit(".", 1)[1]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_pages_and_downloads_are_never_cached(client, cast, two_versions, policy_in):
    first, second = two_versions
    client.force_login(cast.coordinator)
    record = client.get(reverse("documents:redline", args=[first.pk, second.pk]))
    for response in (
        client.get(reverse("web:dashboard")),
        client.get(reverse("documents:preview", args=[first.pk])),
        client.get(reverse("documents:download", args=[first.pk])),
        record,
    ):
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
        assert "public" not in directives


def test_a_record_download_is_never_cached(client, cast, policy_in):
    policy_in(State.ENDORSED)
    record = documents_services.make_missing_endorsement_records()[0]
    client.force_login(cast.observer)
    response = client.get(reverse("documents:record", args=[record.pk]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_a_redline_of_too_much_text_is_a_clear_400(client, cast, two_versions, monkeypatch):
    monkeypatch.setattr("documents.docx.redline.MAX_CHARACTERS", 10)
    first, second = two_versions
    client.force_login(cast.coordinator)
    response = client.get(reverse("documents:redline", args=[first.pk, second.pk]))
    assert response.status_code == 400
    assert "compare them on the comparison page instead." in response.content.decode()
    assert not GeneratedRecord.objects.exists()
