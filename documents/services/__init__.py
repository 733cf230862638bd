"""Every write to documents, and the reads that need the .docx engine.

- ``intake``: add a version (validate, hash, extract, store);
- ``evidence``: take in an official letter (a PDF or a .docx) for a decision;
- ``withdrawal``: withdraw a version uploaded by mistake;
- ``translations``: a version in another language;
- ``markup``: a review with the reviewer's marked-up copy of the version;
- ``comparison``: compare two versions, as data, HTML or a redline .docx
  (kept as a record, made once per pair);
- ``records``: the endorsement record and the portfolio status report;
- ``storage``: files that outlived a rolled-back transaction;
- ``search``: the search index written again from the record.
"""

from documents.services.comparison import (
    compare,
    compare_translations,
    comparison_html,
    marked_up_comparison_html,
    redline_record,
    redline_report,
    translation_comparison_html,
)
from documents.services.evidence import support_letter, transition_letters, validate_evidence
from documents.services.intake import add_version, sha256_of
from documents.services.markup import record_review_with_copy
from documents.services.records import (
    make_endorsement_record,
    make_missing_endorsement_records,
    make_portfolio_report,
)
from documents.services.search import rebuild_search_index
from documents.services.storage import remove_orphaned_files
from documents.services.translations import add_translation
from documents.services.withdrawal import withdraw_version

__all__ = [
    "add_translation",
    "add_version",
    "compare",
    "compare_translations",
    "comparison_html",
    "make_endorsement_record",
    "make_missing_endorsement_records",
    "make_portfolio_report",
    "marked_up_comparison_html",
    "rebuild_search_index",
    "record_review_with_copy",
    "redline_record",
    "redline_report",
    "remove_orphaned_files",
    "sha256_of",
    "support_letter",
    "transition_letters",
    "translation_comparison_html",
    "validate_evidence",
    "withdraw_version",
]
