"""STORAGE_URL, read on its own: local disk by default, a bucket when it names one."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from policyflow.storage_url import private_storage
from tests.test_settings import deploy_check

ROOT = Path("/srv/documents")


def read(url):
    return private_storage(url, documents_root=ROOT, link_seconds=120, spool_bytes=1024)


def test_unset_keeps_the_private_directory_on_local_disk():
    assert read("") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": ROOT, "base_url": None},
    }


def test_a_bucket_with_its_prefix_endpoint_and_region():
    storage = read(
        "s3://Policy-Files/prod/docs/?endpoint_url=http://minio:9000&region=eu-central-1"
        "&addressing_style=path&public_endpoint_url=https://files.example.org"
    )

    assert storage["BACKEND"] == "policyflow.storage.PrivateS3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "Policy-Files",
        "location": "prod/docs",
        "endpoint_url": "http://minio:9000",
        "region_name": "eu-central-1",
        "addressing_style": "path",
        "public_endpoint_url": "https://files.example.org",
        "querystring_expire": 120,
        "max_memory_size": 1024,
    }


def test_tls_verification_is_on_off_or_a_ca_bundle_for_a_private_endpoint():
    assert read("s3://files?verify=0")["OPTIONS"]["verify"] is False
    assert read("s3://files?verify=true")["OPTIONS"]["verify"] is True
    assert read("s3://files?verify=/etc/ssl/ca.pem")["OPTIONS"]["verify"] == "/etc/ssl/ca.pem"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///srv/documents", "must start with s3://"),
        ("s3://key:secret@files/prefix", "never in the URL"),
        ("s3:///prefix", "names a bucket"),
        ("s3://files?endpoint=http://minio:9000", "does not know endpoint"),
    ],
)
def test_a_mistake_is_refused_when_the_settings_load(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        read(url)


def test_the_backend_signs_links_only_and_never_overwrites():
    from policyflow.storage import PrivateS3Storage

    storage = PrivateS3Storage(bucket_name="files", region_name="eu-central-1")

    assert storage.file_overwrite is False
    assert storage.default_acl is None
    assert storage.querystring_auth is True
    assert storage.transfer_config.use_threads is False
    assert storage.client_config.request_checksum_calculation == "when_required"
    assert storage.client_config.s3 == {"addressing_style": None}


# The settings module as production loads it ----------------------------------

NOWHERE = "s3://policyflow/documents?endpoint_url=http://127.0.0.1:9&region=eu-central-1"


def test_production_with_a_bucket_passes_the_deploy_check_without_reaching_it(tmp_path):
    result = deploy_check(tmp_path, STORAGE_URL=NOWHERE)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_URL": "s3://key:secret@policyflow"}, "never in the URL"),
        ({"STORAGE_URL": NOWHERE, "DOWNLOAD_LINK_SECONDS": "3600"}, "between 1 and 900"),
    ],
)
def test_a_mistake_stops_the_server_from_starting(tmp_path, env, message):
    result = deploy_check(tmp_path, **env)

    assert result.returncode != 0
    assert message in result.stderr
