"""Versions and records in an S3-compatible bucket, through a real server over HTTP.

Each test stores into a fresh bucket of moto's standalone server
(``tests/s3.py``) and checks what is in the bucket with boto3, and what a
browser gets by following the app's redirect with plain HTTP.
"""

import datetime
import hashlib
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from documents import services as documents_services
from documents.services import add_version, remove_orphaned_files
from tests.factories import docx_bytes, docx_upload
from tests.s3 import client, object_names
from workflow.exceptions import ImmutableRecord
from workflow.models import DocumentVersion, Policy

pytestmark = [pytest.mark.django_db, pytest.mark.s3]
State = Policy.State


def fetch(url):
    """GET ``url`` as a browser would: (status, headers, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def follow_download(client_, url):
    """The app's answer (a redirect to a signed link), then the object store's."""
    answer = client_.get(url)
    assert answer.status_code == 302, answer.status_code
    assert {"private", "no-store"} <= {d.strip() for d in answer["Cache-Control"].split(",")}
    return answer["Location"], fetch(answer["Location"])


def test_an_upload_is_stored_as_a_private_object(s3_endpoint, s3_bucket, new_policy, cast):
    content = docx_bytes("Purpose of the policy.")

    version = add_version(
        new_policy, actor=cast.drafter, uploaded_file=ContentFile(content, name="v1.docx")
    )

    assert object_names(s3_endpoint, s3_bucket) == [f"files/{version.file.name}"]
    stored = client(s3_endpoint).get_object(Bucket=s3_bucket, Key=f"files/{version.file.name}")
    assert sha256(stored["Body"].read()) == version.sha256 == sha256(content)
    # Nobody without a signature reads it.
    status, _, _ = fetch(f"{s3_endpoint}/{s3_bucket}/files/{version.file.name}")
    assert status == 403


def test_a_download_is_a_signed_link_to_the_exact_bytes_as_an_attachment(
    s3_endpoint, s3_bucket, client, new_policy, cast
):
    content = docx_bytes("Purpose of the policy.", "سياسة الهجرة الوطنية")
    version = add_version(
        new_policy,
        actor=cast.drafter,
        uploaded_file=ContentFile(content, name="PK policy — v1.docx"),
    )
    client.force_login(cast.bureau_member)

    link, (status, headers, body) = follow_download(
        client, reverse("documents:download", args=[version.pk])
    )

    assert link.startswith(f"{s3_endpoint}/{s3_bucket}/files/policies/")
    assert status == 200
    assert sha256(body) == version.sha256
    assert headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''PK%20policy%20%E2%80%94%20v1.docx" in headers["Content-Disposition"]
    assert headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert {"private", "no-store"} <= {d.strip() for d in headers["Cache-Control"].split(",")}


def test_a_foreign_user_gets_no_link(s3_bucket, client, new_policy, cast):
    version = add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Text."))
    client.force_login(cast.foreign_member)

    answer = client.get(reverse("documents:download", args=[version.pk]))

    assert answer.status_code == 404
    assert "Location" not in answer


def test_the_signed_link_expires_after_the_configured_seconds(
    s3_endpoint, s3_bucket, client, new_policy, cast, settings
):
    """moto's server signs links but does not refuse expired ones (checked when
    this test was written): the test asserts what the link carries, which is
    what S3 and MinIO enforce, the expiry included in the signature."""
    default = settings.STORAGES["default"]
    short = {**default, "OPTIONS": {**default["OPTIONS"], "querystring_expire": 7}}
    settings.STORAGES = {**settings.STORAGES, "default": short}
    version = add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Text."))
    client.force_login(cast.drafter)

    answer = client.get(reverse("documents:download", args=[version.pk]))

    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query["X-Amz-Expires"] == ["7"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    assert abs(signed_at - datetime.datetime.utcnow()) < datetime.timedelta(minutes=5)
    assert "host" in query["X-Amz-SignedHeaders"][0].split(";")
    assert query["X-Amz-Signature"][0]


def test_the_default_link_lasts_minutes_not_hours(s3_bucket, client, new_policy, cast):
    version = add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Text."))
    client.force_login(cast.drafter)

    answer = client.get(reverse("documents:download", args=[version.pk]))

    expires = int(parse_qs(urlsplit(answer["Location"]).query)["X-Amz-Expires"][0])
    assert 0 < expires <= 15 * 60


def test_a_refused_upload_leaves_no_object(s3_endpoint, s3_bucket, new_policy, cast):
    add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Kept."))
    before = object_names(s3_endpoint, s3_bucket)

    with pytest.raises(ValidationError) as duplicate:
        add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Kept."))
    with pytest.raises(ValidationError):
        add_version(
            new_policy,
            actor=cast.drafter,
            uploaded_file=ContentFile(b"PK\x03\x04 not a document", name="bad.docx"),
        )

    assert duplicate.value.code == "duplicate"
    assert object_names(s3_endpoint, s3_bucket) == before
    assert DocumentVersion.objects.count() == 1


def test_a_failure_after_the_upload_removes_the_object(
    s3_endpoint, s3_bucket, new_policy, cast, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("the audit row could not be written")

    monkeypatch.setattr("documents.services.intake.audit.record", fail)

    with pytest.raises(RuntimeError):
        add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Text."))

    assert object_names(s3_endpoint, s3_bucket) == []
    assert DocumentVersion.objects.count() == 0


def test_orphans_of_an_outer_rollback_are_swept_from_the_bucket(
    s3_endpoint, s3_bucket, new_policy, cast
):
    kept = add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Kept."))

    def upload_then_fail():
        with transaction.atomic():
            add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Rolled back."))
            raise RuntimeError("the request failed after the upload")

    with pytest.raises(RuntimeError):
        upload_then_fail()

    names = object_names(s3_endpoint, s3_bucket)
    assert len(names) == 2
    (orphan,) = (name.removeprefix("files/") for name in names if name != f"files/{kept.file.name}")
    assert remove_orphaned_files() == []  # too young: a transaction may still commit it
    # Every object is older than no time at all.
    assert remove_orphaned_files(older_than=datetime.timedelta(0)) == [orphan]
    assert object_names(s3_endpoint, s3_bucket) == [f"files/{kept.file.name}"]


def test_a_stored_file_is_never_replaced_or_deleted(s3_endpoint, s3_bucket, new_policy, cast):
    version = add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Kept."))

    with pytest.raises(ImmutableRecord):
        version.file.delete()
    # The same name again is a new object, never the stored one overwritten.
    again = default_storage.save(version.file.name, ContentFile(b"other bytes"))

    assert again != version.file.name
    stored = client(s3_endpoint).get_object(Bucket=s3_bucket, Key=f"files/{version.file.name}")
    assert sha256(stored["Body"].read()) == version.sha256


def test_records_and_redlines_are_stored_and_downloaded_from_the_bucket(
    s3_endpoint, s3_bucket, client, policy_in, cast
):
    policy_in(State.ENDORSED)
    record = documents_services.make_missing_endorsement_records()[0]
    drafting = policy_in(State.DRAFTING, short_title="Second policy")
    first = add_version(drafting, actor=cast.drafter, uploaded_file=docx_upload("One."))
    second = add_version(drafting, actor=cast.drafter, uploaded_file=docx_upload("Two."))
    client.force_login(cast.coordinator)

    _, (status, headers, body) = follow_download(
        client, reverse("api:endorsement_record", args=[record.policy_id])
    )
    assert status == 200
    assert sha256(body) == record.sha256
    assert f'filename="{record.file_name}"' in headers["Content-Disposition"]

    # The redline reads the newer version back from the bucket, and is stored there too.
    _, (status, headers, body) = follow_download(
        client, reverse("documents:redline", args=[first.pk, second.pk])
    )
    assert status == 200
    assert body.startswith(b"PK")
    assert headers["Content-Disposition"].startswith("attachment;")
    records = [n for n in object_names(s3_endpoint, s3_bucket) if n.startswith("files/records/")]
    assert len(records) == 2


def test_links_are_signed_for_the_address_browsers_reach(
    s3_endpoint, s3_bucket, client, new_policy, cast, settings
):
    """Servers reach the store at one address, browsers at another (MinIO in Compose)."""
    default = settings.STORAGES["default"]
    public = {**default["OPTIONS"], "public_endpoint_url": "https://files.example.org"}
    settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": public}}
    version = add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Text."))
    client.force_login(cast.drafter)

    link = client.get(reverse("documents:download", args=[version.pk]))["Location"]

    assert link.startswith(f"https://files.example.org/{s3_bucket}/files/{version.file.name}?")
    assert "X-Amz-Signature=" in link
    # Stored through the servers' address all the same.
    assert object_names(s3_endpoint, s3_bucket) == [f"files/{version.file.name}"]
