"""Helpers for the search tests: versions built from WordprocessingML, searched as someone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import add_version
from tests.documents import make_docs as md
from tests.factories import DOCX_TYPE
from workflow.search.query import search


def upload(*paragraphs, name="draft.docx", **parts):
    """A .docx of ``paragraphs`` (texts, or tuples of what ``make_docs.paragraph`` takes)."""
    body = "".join(md.paragraph(*(p if isinstance(p, tuple) else (p,))) for p in paragraphs)
    return SimpleUploadedFile(name, md.docx_bytes(body, **parts), content_type=DOCX_TYPE)


@pytest.fixture
def add_text(cast):
    """``add_text(policy, *paragraphs, **parts)``: the drafter uploads a version of them."""

    def add(policy, *paragraphs, note="", **parts):
        return add_version(
            policy, actor=cast.drafter, uploaded_file=upload(*paragraphs, **parts), note=note
        )

    return add


def found(user, text, **filters):
    """``{short title: [hit, ...]}`` of what ``user`` finds for ``text``."""
    results = search(user, text, **filters)
    return {policy.short_title: list(policy.hits) for policy in results.policies}
