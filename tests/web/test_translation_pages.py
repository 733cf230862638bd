"""The policy page's translations and marked-up copies: forms, links, previews, who may see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import services as documents
from tests.documents.test_marked_up_copy import marked_up_docx, reviewed_docx
from tests.factories import docx_upload
from workflow import services
from workflow.models import AuditEntry, MarkedUpCopy, Policy, Project, Review, Translation

pytestmark = pytest.mark.django_db
State = Policy.State
DARI = "این پالیسی حقوق مهاجرین افغان را در کشورهای میزبان حمایت می‌کند."


@pytest.fixture(autouse=True)
def languages(cast):
    Project.objects.filter(pk=cast.project.pk).update(translation_languages=["fa", "ps"])


def post_translation(client, policy, language="fa", upload=None, **data):
    policy = Policy.objects.get(pk=policy.pk)
    return client.post(
        reverse("web:translate", args=[policy.pk]),
        {
            "revision": policy.revision,
            "version": policy.current_version.pk,
            "language": language,
            "file": upload or docx_upload(DARI, name="policy-dari.docx"),
            **data,
        },
    )


@pytest.fixture
def translated(new_policy, cast, walk):
    walk.upload(new_policy)
    new_policy.refresh_from_db()
    return documents.add_translation(
        new_policy,
        actor=cast.drafter,
        version=new_policy.current_version,
        language="fa",
        uploaded_file=docx_upload(DARI, name="policy-dari.docx"),
    )


def test_a_drafter_adds_a_translation_on_the_policy_page(page_client, cast, new_policy, walk):
    walk.upload(new_policy)
    client = page_client(cast.drafter)
    page = client.get(reverse("web:policy", args=[new_policy.pk])).content.decode()
    assert 'id="form-translation"' in page
    assert "Reason" not in page[page.index('id="form-translation"') :].split("</form>")[0]

    response = post_translation(client, new_policy)
    assert response.status_code == 303
    translation = Translation.objects.get()
    assert (translation.language, translation.uploaded_by) == ("fa", cast.drafter)
    page = client.get(response.url).content.decode()
    form = page[page.index('id="form-translation"') :].split("</form>")[0]
    assert 'value="ps"' in form
    assert 'value="fa"' not in form  # present already
    history = page[page.index('id="timeline-heading"') :]
    assert "Translation added" in history
    assert "Language: Dari" in history
    section = page[page.index('id="translations-heading"') :].split("</section>")[0]
    assert "Dari" in section
    assert reverse("documents:translation", args=[translation.pk]) in section
    assert reverse("documents:translation_preview", args=[translation.pk]) in section


def test_a_hostile_translation_on_the_page_is_400_and_nothing_stored(
    page_client, cast, new_policy, walk
):
    walk.upload(new_policy)
    response = post_translation(
        page_client(cast.drafter),
        new_policy,
        upload=SimpleUploadedFile("fa.docx", b"MZ\x90\x00 this is not a zip at all"),
    )
    assert response.status_code == 400
    form = response.content.decode().split('id="form-translation"')[1].split("</form>")[0]
    assert "The file is not a Word (.docx) document." in form
    assert not Translation.objects.exists()


def test_a_coordinator_adds_one_later_with_a_reason(page_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client = page_client(cast.coordinator)
    assert post_translation(client, policy).status_code == 400
    assert not Translation.objects.exists()
    response = post_translation(client, policy, reason="The ministry reads Dari.")
    assert response.status_code == 303
    entry = AuditEntry.objects.filter(policy=policy, action="translation_added").get()
    assert entry.comment == "The ministry reads Dari."


def test_an_institution_may_not_add_a_translation(page_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    response = post_translation(page_client(cast.bureau_member), policy, reason="Ours.")
    assert response.status_code == 403
    assert not Translation.objects.exists()


def test_previews_say_their_language_and_direction(page_client, cast, translated):
    client = page_client(cast.observer)
    html = client.get(reverse("documents:translation_preview", args=[translated.pk])).content
    html = html.decode()
    assert 'lang="fa" dir="rtl"' in html
    assert "in Dari" in html
    version = client.get(reverse("documents:preview", args=[translated.version.pk])).content
    assert 'lang="en" dir="ltr"' in version.decode()


def test_comparing_within_a_language(page_client, cast, new_policy, walk, translated):
    walk.upload(new_policy)
    new_policy.refresh_from_db()
    newer = documents.add_translation(
        new_policy,
        actor=cast.drafter,
        version=new_policy.current_version,
        language="fa",
        uploaded_file=docx_upload(DARI + " بازگشت داوطلبانه.", name="v2-dari.docx"),
    )
    client = page_client(cast.drafter)
    page = client.get(reverse("web:policy", args=[new_policy.pk])).content.decode()
    url = reverse("documents:translation_compare", args=[translated.pk, newer.pk])
    assert url in page
    html = client.get(url).content.decode()
    assert 'lang="fa" dir="rtl"' in html
    assert "بازگشت" in html


def test_outsiders_get_404_on_every_translation_and_marked_up_address(
    page_client, cast, translated
):
    policy = translated.version.policy
    client = page_client(cast.other_observer)
    for url in (
        reverse("documents:translation", args=[translated.pk]),
        reverse("documents:translation_preview", args=[translated.pk]),
        reverse("documents:translation_compare", args=[translated.pk, translated.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = post_translation(page_client(cast.other_implementer_coordinator), policy, "ps")
    assert response.status_code == 404
    assert Translation.objects.count() == 1


@pytest.fixture
def marked_up(new_policy, cast):
    documents.add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=SimpleUploadedFile("policy.docx", reviewed_docx()),
    )
    services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    return new_policy


def test_a_review_with_a_marked_up_copy_shows_its_comments_to_the_drafters(
    page_client, cast, marked_up
):
    policy = Policy.objects.get(pk=marked_up.pk)
    content = marked_up_docx()
    response = page_client(cast.reviewer).post(
        reverse("web:review", args=[policy.pk]),
        {
            "revision": policy.revision,
            "version": policy.current_version.pk,
            "decision": Review.Decision.CHANGES_REQUESTED,
            "comment": "See my marks.",
            "marked_up_copy": SimpleUploadedFile("marked.docx", content),
        },
    )
    assert response.status_code == 303
    copy = MarkedUpCopy.objects.get()
    client = page_client(cast.drafter)
    page = client.get(reverse("web:policy", args=[policy.pk])).content.decode()
    comments = page[page.index('id="last-review-comments"') :].split("</section>")[0]
    assert "On §4.2 (paragraph 3):" in comments
    assert "Name the ministry that pays it." in comments
    assert "reintegration grant" in comments
    assert "On §4 (paragraph 4):" in comments
    detail = client.get(reverse("documents:marked_up", args=[copy.pk]))
    assert detail.status_code == 200
    assert "sixty" in detail.content.decode()
    download = client.get(reverse("documents:marked_up_download", args=[copy.pk]))
    assert b"".join(download.streaming_content) == content

    outsider = page_client(cast.other_observer)
    for url in (
        reverse("documents:marked_up", args=[copy.pk]),
        reverse("documents:marked_up_download", args=[copy.pk]),
    ):
        assert outsider.get(url).status_code == 404, url


def test_a_hostile_marked_up_copy_is_400_and_no_review_is_recorded(page_client, cast, marked_up):
    policy = Policy.objects.get(pk=marked_up.pk)
    response = page_client(cast.reviewer).post(
        reverse("web:review", args=[policy.pk]),
        {
            "revision": policy.revision,
            "version": policy.current_version.pk,
            "decision": Review.Decision.CHANGES_REQUESTED,
            "comment": "See my marks.",
            "marked_up_copy": SimpleUploadedFile("marked.docx", b"not a zip"),
        },
    )
    assert response.status_code == 400
    assert "The file is not a Word (.docx) document." in response.content.decode()
    assert not Review.objects.exists()
    assert not MarkedUpCopy.objects.exists()


def test_a_required_language_shows_among_what_submission_waits_for(
    page_client, cast, new_policy, walk
):
    Project.objects.filter(pk=cast.project.pk).update(required_translations=["ps"])
    walk.upload(new_policy)
    page = page_client(cast.drafter).get(reverse("web:policy", args=[new_policy.pk]))
    waiting = page.content.decode().split('id="not-yet-possible"')[1].split("</section>")[0]
    assert "Version 1 has no Pashto translation; the project requires one." in waiting
