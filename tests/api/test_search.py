"""GET /api/v1/search/: the page's search, scope and refusals, as JSON."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services as documents
from documents.services import add_version
from tests.documents import pdfs
from tests.factories import docx_upload, iraqi, register
from tests.search.conftest import upload
from workflow import services
from workflow.models import Evidence, Project, Support


@pytest.fixture
def policies(cast):
    pakistani = register(cast, "PK emigration policy")
    add_version(
        pakistani,
        actor=cast.drafter,
        uploaded_file=upload("Preamble.", "Remittances through licensed operators."),
    )
    add_version(pakistani, actor=cast.drafter, uploaded_file=upload("Remittances and return."))
    iraq = iraqi(cast, "IQ diaspora policy")
    add_version(
        iraq,
        actor=cast.drafter,
        uploaded_file=upload("تُشَجِّعُ الحُكُومَةُ تَحْوِيلَاتِ المُغْتَرِبِينَ."),
    )
    return pakistani, iraq


def test_results_with_hits_fragments_and_preview_links(api_client, cast, policies):
    pakistani, _ = policies
    response = api_client(cast.coordinator).get("/api/v1/search/", {"q": "remittance*"})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)
    [result] = body["results"]
    assert result["id"] == pakistani.pk
    assert result["state"] == "drafting"
    assert result["url"].endswith(f"/api/v1/policies/{pakistani.pk}/")
    assert result["more_hits"] is False
    newest, older = result["hits"]
    assert (newest["place"], newest["version_number"], newest["current"]) == ("text", 2, True)
    assert (older["version_number"], older["current"]) == (1, False)
    assert older["preview_url"].endswith(
        f"/documents/versions/{pakistani.versions.get(number=1).pk}/preview/#p-2"
    )
    assert {"text": "Remittances", "match": True} in older["fragments"]
    assert older["snippet"] == "Remittances through licensed operators."


def test_arabic_is_folded_and_the_scope_holds(api_client, cast, policies):
    _, iraq = policies
    found = api_client(cast.foreign_endorser).get("/api/v1/search/", {"q": "تحويلات"}).json()
    assert [r["id"] for r in found["results"]] == [iraq.pk]
    nothing = api_client(cast.bureau_member).get("/api/v1/search/", {"q": "تحويلات"}).json()
    assert nothing["count"] == 0
    assert nothing["results"] == []


def test_filters(api_client, cast, policies):
    client = api_client(cast.coordinator)
    assert client.get("/api/v1/search/", {"q": "preamble", "current": "true"}).json()["count"] == 0
    assert client.get("/api/v1/search/", {"q": "preamble"}).json()["count"] == 1
    assert client.get("/api/v1/search/", {"q": "preamble", "country": "iq"}).json()["count"] == 0


@pytest.mark.parametrize(
    "query",
    ["", "x" * 10_000, "!!!", '"unclosed', "*", ":", "-", "AND", "NEAR(", "m*", "a\x00b"],
)
def test_a_query_that_cannot_be_searched_is_a_problem_on_q(api_client, cast, query):
    response = api_client(cast.coordinator).get("/api/v1/search/", {"q": query})
    assert response.status_code == 400
    problem = response.json()
    assert problem["field_errors"]["q"]
    assert response["Content-Type"].startswith("application/problem+json")


def test_q_is_required_and_filters_are_checked(api_client, cast):
    client = api_client(cast.coordinator)
    assert client.get("/api/v1/search/").json()["field_errors"]["q"]
    assert client.get("/api/v1/search/", {"q": "a", "state": "nope"}).status_code == 400
    assert client.get("/api/v1/search/", {"q": "a", "country": "XX"}).status_code == 400


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/search/?q=migration").status_code in (401, 403)


def test_hits_in_a_translation_and_a_letter_link_to_them(api_client, cast, policy_in):
    Project.objects.filter(pk=cast.project.pk).update(translation_languages=["fa"])
    pakistani = register(cast, "PK labour policy")
    add_version(pakistani, actor=cast.drafter, uploaded_file=upload("Labour migration."))
    pakistani.refresh_from_db()
    translation = documents.add_translation(
        pakistani,
        actor=cast.drafter,
        version=pakistani.current_version,
        language="fa",
        uploaded_file=docx_upload("سیاستِ مُهاجَرَتِ کاری", name="fa.docx"),
    )
    supported = policy_in("institutional_support")
    services.record_support(
        supported,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision=Support.Decision.SUPPORTED,
        letter=documents.validate_evidence(
            SimpleUploadedFile("letter.pdf", pdfs.text_pdf("Signed by the Director of Remittances"))
        ),
    )
    client = api_client(cast.coordinator)

    [result] = client.get("/api/v1/search/", {"q": "مهاجرت"}).json()["results"]
    [hit] = result["hits"]
    assert (hit["place"], hit["language"], hit["version_number"], hit["letter_url"]) == (
        "text",
        "fa",
        1,
        None,
    )
    assert hit["preview_url"].endswith(f"/documents/translations/{translation.pk}/preview/#p-1")

    [result] = client.get("/api/v1/search/", {"q": "remittances"}).json()["results"]
    [hit] = result["hits"]
    assert (hit["place"], hit["language"], hit["preview_url"]) == ("letter", None, None)
    assert cast.bureau.name in hit["place_label"]
    assert hit["letter_url"].endswith(f"/documents/letters/{Evidence.objects.get().pk}/download/")
    assert (
        api_client(cast.foreign_member).get("/api/v1/search/", {"q": "remittances"}).json()["count"]
        == 0
    )
