"""The search: policies the person may see, and the places in them that match.

Scoped in SQL: the policies come from ``Policy.objects.visible_to(user)``,
and the places are read only within the policies of the page. Two queries,
whatever the number of results:

1. the page of matching policies (in the policy list's order: country,
   short title), with the number of policies found. Matching reads
   ``SearchDocument``: the short places and the versions' sections, a few
   rows per version, never the paragraphs;
2. the first ``hits_per_policy`` matching places of each of those
   policies, and whether there are more: the policy's own fields first,
   then newest version first, in the document's order.

Returns plain data (``Results``), for the page, the API and the tests.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from policyflow.formats import languages
from workflow.models import Policy, SearchDocument, SearchEntry
from workflow.search.engines import matches, tsquery_condition
from workflow.search.parsing import Query, parse
from workflow.search.snippets import fragments, matcher

Kind = SearchEntry.Kind
PER_PAGE = 20
HITS_PER_POLICY = 5
# Where a place of a version's text is in its preview (``documents.docx.preview``).
ANCHORS = {
    Kind.TEXT: "p",
    Kind.FOOTNOTE: "fn",
    Kind.ENDNOTE: "en",
    Kind.HEADER: "hd",
    Kind.FOOTER: "ft",
}


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    version_id: int | None
    version_number: int | None
    current: bool  # the place belongs to the policy itself or to its current version
    anchor: str  # "p-12" in the (translation's) preview; "" when the place is not in a text
    fragments: tuple  # ((text, is_match), ...)
    # A place of a translation: its language and the translation's id; "" and None otherwise.
    language: str = ""
    language_name: str = ""
    translation_id: int | None = None
    letter_id: int | None = None  # the official letter (``Kind.LETTER``) the place is

    @property
    def is_translation(self):
        return bool(self.language)


@dataclass(frozen=True)
class PolicyResult:
    policy_id: int
    title: str
    short_title: str
    country: str
    state: str
    state_label: str
    hits: tuple  # (Hit, ...)
    more: bool  # more places match than ``hits`` shows


@dataclass(frozen=True)
class Results:
    query: Query
    policies: tuple  # (PolicyResult, ...)
    total: int  # policies found
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def search(
    user,
    text,
    *,
    country="",
    state="",
    current_only=False,
    page=1,
    per_page=PER_PAGE,
    hits_per_policy=HITS_PER_POLICY,
):
    """``text`` searched among the policies ``user`` may see; ``parsing.QueryError``
    when it cannot be read. ``country`` and ``state`` narrow the policies;
    ``current_only`` leaves out the places of versions no longer current."""
    query = text if isinstance(text, Query) else parse(text)
    page = max(1, int(page))
    found = SearchDocument.objects.filter(matches(query.by_pairs(), SearchDocument))
    if current_only:
        found = found.filter(current=True)
    policies = Policy.objects.visible_to(user).filter(pk__in=found.values("policy_id"))
    if country:
        policies = policies.filter(country=country)
    if state:
        policies = policies.filter(state=state)
    start = (page - 1) * per_page
    rows = list(
        policies.annotate(total=Window(Count("pk")))
        .order_by("country", "short_title", "pk")
        .values("pk", "title", "short_title", "country", "state", "total")[start : start + per_page]
    )
    if not rows:
        return Results(query, (), 0, page, per_page)
    places = _places(query, [row["pk"] for row in rows], current_only, hits_per_policy)
    return Results(
        query,
        tuple(
            PolicyResult(
                policy_id=row["pk"],
                title=row["title"],
                short_title=row["short_title"],
                country=row["country"],
                state=row["state"],
                state_label=Policy.State.label_for(row["state"]),
                hits=tuple(places.get(row["pk"], ([], False))[0]),
                more=places.get(row["pk"], ([], False))[1],
            )
            for row in rows
        ),
        rows[0]["total"],
        page,
        per_page,
    )


def _places(query, policy_ids, current_only, limit):
    """``{policy id: ([Hit], whether there are more)}`` for the page's policies.

    Each policy's first ``limit`` matching places, in the order they are
    shown: the policy's own fields, then newest version first, each
    version's note and decisions, then its text in document order.
    """
    if connection.vendor == "postgresql":
        rows = _first_places_postgresql(query, policy_ids, current_only, limit + 1)
    else:
        rows = _first_places(query, policy_ids, current_only, limit + 1)
    matched = matcher(query)
    labels = dict(Kind.choices)
    places = {}
    for row in rows:
        hits, _ = places.setdefault(row["policy_id"], ([], False))
        if len(hits) == limit:
            places[row["policy_id"]] = (hits, True)
            continue
        prefix = ANCHORS.get(row["kind"])
        language = row["language"] if prefix else ""
        letter = row["kind"] == Kind.LETTER
        hits.append(
            Hit(
                kind=row["kind"],
                kind_label=_label(row, labels),
                version_id=row["version_id"],
                version_number=row["version_number"],
                current=row["current"],
                anchor=f"{prefix}-{row['position']}" if prefix else "",
                fragments=tuple(fragments(row["text"], matched)),
                language=language,
                language_name=languages.language_name(language) if language else "",
                translation_id=row["source_id"] if language else None,
                letter_id=row["source_id"] if letter else None,
            )
        )
    return places


def _label(row, labels):
    """The place's name: an official letter names who wrote it."""
    if row["kind"] == Kind.LETTER:
        if row["source_name"]:
            return _("Letter of %(institution)s") % {"institution": row["source_name"]}
        return _("Decree of endorsement")
    return str(labels[row["kind"]])


COLUMNS = (
    "policy_id",
    "kind",
    "version_id",
    "version_number",
    "current",
    "position",
    "text",
    "source_id",
    "language",
    "source_name",
)


def _first_places(query, policy_ids, current_only, limit):
    """The first ``limit`` matching places of each policy, by a window over its matches."""
    entries = SearchEntry.objects.filter(policy_id__in=policy_ids).filter(
        matches(query, SearchEntry)
    )
    if current_only:
        entries = entries.filter(current=True)
    entries = entries.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("policy_id")],
            order_by=[
                F("version_number").desc(nulls_first=True),
                F("position").asc(),
                F("pk").asc(),
            ],
        )
    ).filter(rank__lte=limit)
    return entries.order_by("policy_id", "rank").values(*COLUMNS)


def _first_places_postgresql(query, policy_ids, current_only, limit):
    """The same, each policy's places read in their order (``searchentry_policy_order``)
    until ``limit`` match: a word on every page costs a few rows, not all of them."""
    matching, params = tsquery_condition(query, "e")
    sql = f"""
        SELECT {", ".join(f"e.{column}" for column in COLUMNS)}
          FROM unnest(%s::bigint[]) WITH ORDINALITY AS p(id, n)
         CROSS JOIN LATERAL (
               SELECT * FROM workflow_searchentry e
                WHERE e.policy_id = p.id AND {matching}
                      {"AND e.current" if current_only else ""}
                ORDER BY e.version_number DESC NULLS FIRST, e.position, e.id
                LIMIT %s
         ) e
         ORDER BY p.n, e.version_number DESC NULLS FIRST, e.position, e.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(policy_ids), *params, limit])
        return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
