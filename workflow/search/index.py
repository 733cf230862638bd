"""Writing the search index: called by the services, inside their transaction.

Each write of the record that changes what can be found calls one function
here, in the same transaction, so that the index never shows what was
rolled back nor misses what was committed:

- ``index_policy``: registering a policy or changing its details;
- ``index_decision``: a review, a support or an endorsement;
- ``index_version``: a version added, with the places of its text
  (``Passage``), read out by ``documents`` which knows the extraction;
- ``index_translation``: a translation added, with the places of its text,
  bound to its version (``language`` says which translation);
- ``index_letter``: an official letter stored, its text layer one place of
  kind ``LETTER`` bound to its decision's version;
- ``index_current``: a version withdrawn, so another one is current.

``rebuild`` writes every row again from the record. Each short place
(a policy's field, a decision, a note) is written to both tables; a
version's text in paragraphs to ``SearchEntry``, in sections to
``SearchDocument`` (``workflow.models.search``).
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection

from workflow.models import (
    DocumentVersion,
    Endorsement,
    Evidence,
    Policy,
    Review,
    SearchDocument,
    SearchEntry,
    Support,
    Translation,
)
from workflow.search.folding import fold, pairs

Kind = SearchEntry.Kind
POLICY_FIELDS = {Kind.TITLE: "title", Kind.SHORT_TITLE: "short_title", Kind.SUMMARY: "summary"}
# Places of a version's text, as ``Passage.kind``.
TEXT_KINDS = (Kind.TEXT, Kind.FOOTNOTE, Kind.ENDNOTE, Kind.HEADER, Kind.FOOTER)
# A section row holds up to this many words of a version's text.
SECTION_WORDS = 2000
BATCH = 2000


@dataclass(frozen=True)
class Passage:
    """A place of a version's text: its kind (``TEXT_KINDS``), 1-based position, text."""

    kind: str
    position: int
    text: str


class Entry(NamedTuple):
    """A ``SearchEntry`` row to write, its fields in ``_insert``'s column order."""

    policy_id: int
    version_id: int | None
    version_number: int | None
    kind: str
    source_id: int | None
    position: int
    current: bool
    language: str
    source_name: str
    text: str
    folded: str


class Document(NamedTuple):
    """A ``SearchDocument`` row to write."""

    policy_id: int
    version_id: int | None
    kind: str
    current: bool
    folded: str


_FIELDS = {SearchEntry: Entry._fields, SearchDocument: Document._fields}


def _entry(
    policy_id,
    kind,
    text,
    *,
    version=None,
    source_id=None,
    position=0,
    current=True,
    language="",
    source_name="",
):
    folded = fold(text)
    if not folded:
        return None
    return Entry(
        policy_id,
        version.pk if version else None,
        version.number if version else None,
        kind,
        source_id,
        position,
        current,
        language,
        source_name[:255],
        text,
        folded,
    )


def _with_pairs(folded):
    """A place's folded words and their adjacent pairs, as documents index them:
    a phrase is found by its pairs, without reading word positions, and never
    across two places."""
    words = folded.split()
    return [*words, *pairs(words)]


def _document(entry):
    """The row that finds a policy by a short place (``entry``)."""
    return Document(
        entry.policy_id,
        entry.version_id,
        entry.kind,
        entry.current,
        " ".join(_with_pairs(entry.folded)),
    )


def _insert(model, rows):
    """Write ``rows`` (``Entry`` or ``Document``) to ``model``'s table.

    One parameterised INSERT run over the rows, not ``bulk_create``: a
    version's text is thousands of rows, and building a model instance and
    compiling each of its values cost the intake more than the database's
    own work.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    column_of = {field.attname: field.column for field in model._meta.concrete_fields}
    names = _FIELDS[model]
    columns = ", ".join(quote(column_of[name]) for name in names)
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})",
            rows,
        )


def _create(rows):
    """Write ``rows`` (entries, documents, Nones): a short place's entry also finds its policy."""
    rows = [row for row in rows if row is not None]
    entries = [row for row in rows if isinstance(row, Entry)]
    documents = [row for row in rows if isinstance(row, Document)]
    documents += [_document(entry) for entry in entries if entry.kind not in TEXT_KINDS]
    _insert(SearchEntry, entries)
    _insert(SearchDocument, documents)
    return len(rows)


def _policy_entries(policy):
    return [
        _entry(policy.pk, kind, getattr(policy, field) or "")
        for kind, field in POLICY_FIELDS.items()
    ]


# What each decision says, as its search place: the kind and the text.
DECISIONS = {
    Review: (Kind.REVIEW, lambda review: review.comment),
    Support: (Kind.SUPPORT, lambda support: support.statement),
    Endorsement: (
        Kind.ENDORSEMENT,
        lambda endorsement: "\n".join(
            part for part in (endorsement.instrument, endorsement.comment) if part
        ),
    ),
}


def _decision_entry(decision, version, current):
    """A review's comment, a support's statement or an endorsement's instrument and comment."""
    kind, text_of = DECISIONS[type(decision)]
    return _entry(
        decision.policy_id,
        kind,
        text_of(decision),
        version=version,
        source_id=decision.pk,
        current=current,
    )


def _sections(version, places, current):
    """The version's text in rows of up to ``SECTION_WORDS`` words (and their pairs).

    ``places`` are the version's entries of text, folded already."""
    sections, words = [], []
    for place in places:
        folded = _with_pairs(place.folded)
        if words and len(words) + len(folded) > 2 * SECTION_WORDS:
            sections.append(words)
            words = []
        words.extend(folded)
    if words:
        sections.append(words)
    return [
        Document(version.policy_id, version.pk, Kind.SECTION, current, " ".join(words))
        for words in sections
    ]


def _letter_entry(letter, version, current):
    """An official letter's text layer: one place, named by who wrote it."""
    # The supporting institution; none for the decree of endorsement.
    name = letter.support.organization.name if letter.support_id else ""
    return _entry(
        letter.policy_id,
        Kind.LETTER,
        letter.text,
        version=version,
        source_id=letter.pk,
        current=current,
        source_name=name,
    )


def _translation_entries(translation, version, passages, current):
    """A translation's places, like its version's, and its sections (which find the policy)."""
    places = [
        _entry(
            version.policy_id,
            passage.kind,
            passage.text,
            version=version,
            source_id=translation.pk,
            position=passage.position,
            current=current,
            language=translation.language,
        )
        for passage in passages
    ]
    places = [place for place in places if place is not None]
    return [*places, *_sections(version, places, current)]


def _version_entries(version, passages, current):
    places = [
        _entry(
            version.policy_id,
            passage.kind,
            passage.text,
            version=version,
            position=passage.position,
            current=current,
        )
        for passage in passages
    ]
    places = [place for place in places if place is not None]
    return [
        _entry(version.policy_id, Kind.NOTE, version.note, version=version, current=current),
        *places,
        *_sections(version, places, current),
    ]


# -- the services' calls ------------------------------------------------------


def index_policy(policy):
    """The policy's title, short title and summary, as they now read."""
    for model in (SearchEntry, SearchDocument):
        model.objects.filter(policy=policy, kind__in=list(POLICY_FIELDS)).delete()
    _create(_policy_entries(policy))


def index_decision(decision):
    """A review, a support or an endorsement just recorded, on the current version."""
    _create([_decision_entry(decision, decision.version, current=True)])


def index_version(version, passages):
    """A new version, now the current one: its note and ``passages`` (``Passage``)."""
    _create(_version_entries(version, passages, current=True))
    index_current(version.policy, current=version)


def index_translation(translation, passages):
    """A new translation of ``translation.version`` (the current one): its ``passages``."""
    # Only the current version is translated (``add_translation``), so its rows are current.
    _create(_translation_entries(translation, translation.version, passages, current=True))


def index_letter(letter):
    """An official letter just stored, when it has a text layer."""
    _create([_letter_entry(letter, letter.version, current=True)])


def index_current(policy, current=None):
    """Mark the rows of ``current`` (the policy's current version when not
    given) as current, and those of every other version as not."""
    if current is None:
        current = (
            DocumentVersion.objects.filter(policy=policy, withdrawal__isnull=True)
            .order_by("-number")
            .only("pk")
            .first()
        )
    # Only the rows whose mark changes are written: those of the version that
    # was current, and those of the one that is now. Rewriting every version's
    # rows would cost each upload the whole history of the policy's text.
    current_id = current.pk if current else None
    for model in (SearchEntry, SearchDocument):
        rows = model.objects.filter(policy=policy, version__isnull=False)
        rows.filter(current=True).exclude(version_id=current_id).update(current=False)
        if current_id is not None:
            rows.filter(version_id=current_id, current=False).update(current=True)


def rebuild(passages_of, translation_passages_of=None):
    """Delete every row and write them again from the record; the number written.

    ``passages_of(version)`` gives a version's places of text,
    ``translation_passages_of(translation)`` a translation's. Versions and
    translations are read one batch at a time: their extractions are large.
    """
    SearchEntry.objects.all().delete()
    SearchDocument.objects.all().delete()
    written = 0
    current_of = dict(
        DocumentVersion.objects.filter(withdrawal__isnull=True)
        .order_by("policy_id", "number")
        .values_list("policy_id", "pk")
    )  # the last pair per policy wins: its newest version not withdrawn

    entries = []

    def flush(force=False):
        nonlocal entries, written
        if entries and (force or len(entries) >= BATCH):
            written += _create(entries)
            entries = []

    for policy in Policy.objects.order_by("pk").iterator(chunk_size=BATCH):
        entries.extend(_policy_entries(policy))
        flush()
    versions = DocumentVersion.objects.order_by("policy_id", "number")
    for version in versions.iterator(chunk_size=100):
        current = current_of.get(version.policy_id) == version.pk
        entries.extend(_version_entries(version, passages_of(version), current))
        flush()
    by_pk = {v.pk: v for v in DocumentVersion.objects.defer("extraction")}
    if translation_passages_of is not None:
        translations = Translation.objects.order_by("version_id", "language", "pk")
        for translation in translations.iterator(chunk_size=100):
            version = by_pk[translation.version_id]
            current = current_of.get(version.policy_id) == version.pk
            passages = translation_passages_of(translation)
            entries.extend(_translation_entries(translation, version, passages, current))
            flush()
    letters = (
        Evidence.objects.exclude(text="")
        .select_related("support__organization")
        .order_by("pk")
        .iterator(chunk_size=BATCH)
    )
    for letter in letters:
        version = by_pk[letter.version_id]
        entries.append(
            _letter_entry(letter, version, current_of.get(letter.policy_id) == version.pk)
        )
        flush()
    for model in DECISIONS:
        for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
            version = by_pk[row.version_id]
            entries.append(
                _decision_entry(row, version, current_of.get(row.policy_id) == version.pk)
            )
            flush()
    flush(force=True)
    return written
