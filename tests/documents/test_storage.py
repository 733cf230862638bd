"""Files that outlived a rolled-back transaction are swept; kept files never are."""

import datetime
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from documents.services import add_version, remove_orphaned_files
from tests.factories import docx_upload
from workflow.models import DocumentVersion

pytestmark = pytest.mark.django_db


def age(name, hours):
    path = default_storage.path(name)
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_orphans_from_an_outer_rollback_are_swept_after_the_grace_period(new_policy, cast):
    kept = add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Kept."))

    def upload_then_fail():
        with transaction.atomic():
            add_version(new_policy, actor=cast.drafter, uploaded_file=docx_upload("Rolled back."))
            raise RuntimeError("the request failed after the upload")

    with pytest.raises(RuntimeError):
        upload_then_fail()
    assert DocumentVersion.objects.count() == 1
    orphan = next(
        name
        for name in default_storage.listdir(f"policies/{new_policy.pk}/versions")[1]
        if f"policies/{new_policy.pk}/versions/{name}" != kept.file.name
    )
    orphan = f"policies/{new_policy.pk}/versions/{orphan}"

    assert remove_orphaned_files() == []  # too young: a transaction may still commit it
    age(orphan, 2)
    age(kept.file.name, 2)
    assert remove_orphaned_files() == [orphan]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name)


def test_nothing_to_sweep_in_an_empty_store():
    default_storage.save("elsewhere/note.txt", ContentFile(b"x"))
    assert remove_orphaned_files(older_than=datetime.timedelta(0)) == []
    assert default_storage.exists("elsewhere/note.txt")
