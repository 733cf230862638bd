"""Files in private storage that no row refers to.

A file is written before the row that names it commits. When a
transaction further out rolls back, the row is gone and the file stays;
this sweep removes such files once they are old enough that no
transaction still in flight can be about to commit them. It works alike on
local disk and in an object store (through the storage API only).
"""

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from documents.models import GeneratedRecord
from workflow.models import DocumentVersion, Evidence, MarkedUpCopy, Translation

# "pending": letters kept between a page's first post and its confirmation (web.pending_letters).
SWEPT_DIRECTORIES = ("policies", "records", "pending")


def _walk(storage, directory):
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}"
    for sub in directories:
        yield from _walk(storage, f"{directory}/{sub}")


def remove_orphaned_files(*, older_than=datetime.timedelta(hours=1), storage=None):
    """Delete stored files no version, translation, marked-up copy or record names."""
    storage = storage or default_storage
    known = set(DocumentVersion.objects.values_list("file", flat=True))
    known.update(GeneratedRecord.objects.values_list("file", flat=True))
    known.update(Translation.objects.values_list("file", flat=True))
    known.update(MarkedUpCopy.objects.values_list("file", flat=True))
    known.update(Evidence.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = []
    for directory in SWEPT_DIRECTORIES:
        # Listed, not tested with exists(): an object store has no directories,
        # only names with a prefix, and lists an absent prefix as empty.
        try:
            names = list(_walk(storage, directory))
        except FileNotFoundError:
            continue
        for name in names:
            if name in known or storage.get_modified_time(name) > cutoff:
                continue
            storage.delete(name)
            removed.append(name)
    return removed
