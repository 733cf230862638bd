"""Writing the whole search index again from the record (``rebuild_search_index``)."""

from django.db import transaction

from documents.passages import passages
from documents.selectors import content_of, translation_content
from workflow.search import index


def rebuild_search_index():
    """Every index row written again, in one transaction; the number of rows."""
    with transaction.atomic():
        return index.rebuild(
            lambda version: passages(content_of(version)),
            lambda translation: passages(translation_content(translation)),
        )
