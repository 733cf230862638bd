"""The search: policies the person may see, and the places in them that match.

Scoped in SQL: the policies come from ``Policy.objects.visible_to(user)``,
and the places are read only within the policies of the page. Two queries,
whatever the number of results:

1. the page of matching policies (in the policy list's order: country,
   short title), with the number of policies found. Matching reads
   ``SearchDocument``: the short places and the versions' sections, a few
   rows per version, never the paragraphs;
2. the first ``hits_per_policy`` matching places of each of those
   policies, and how many there are: the policy's own fields first, then
   newest version first, in the document's order.

Returns plain data (``Results``), for the page, the API and the tests.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber

from workflow.models import Policy, SearchDocument, SearchEntry
from workflow.search.engines import matches
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
_ORDER = [
    Kind.TITLE,
    Kind.SHORT_TITLE,
    Kind.SUMMARY,
    Kind.ENDORSEMENT,
    Kind.SUPPORT,
    Kind.REVIEW,
    Kind.NOTE,
    Kind.HEADER,
    Kind.TEXT,
    Kind.FOOTNOTE,
    Kind.ENDNOTE,
    Kind.FOOTER,
]


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    version_id: int | None
    version_number: int | None
    current: bool  # the place belongs to the policy itself or to its current version
    anchor: str  # "p-12" in the version's preview; "" when the place is not in the text
    fragments: tuple  # ((text, is_match), ...)


@dataclass(frozen=True)
class PolicyResult:
    policy_id: int
    title: str
    short_title: str
    country: str
    state: str
    state_label: str
    hits: tuple  # (Hit, ...)
    match_count: int  # every matching place, beyond those in ``hits``


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
    found = SearchDocument.objects.filter(matches(query, SearchDocument))
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
                hits=tuple(places.get(row["pk"], ([], 0))[0]),
                match_count=places.get(row["pk"], ([], 0))[1],
            )
            for row in rows
        ),
        rows[0]["total"],
        page,
        per_page,
    )


def _places(query, policy_ids, current_only, limit):
    """``{policy id: ([Hit], number of matching places)}`` for the page's policies."""
    entries = SearchEntry.objects.filter(policy_id__in=policy_ids).filter(
        matches(query, SearchEntry)
    )
    if current_only:
        entries = entries.filter(current=True)
    order = Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(_ORDER)),
        output_field=IntegerField(),
    )
    entries = entries.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("policy_id")],
            order_by=[
                F("version_number").desc(nulls_first=True),
                order.asc(),
                F("position").asc(),
                F("pk").asc(),
            ],
        ),
        found=Window(Count("pk"), partition_by=[F("policy_id")]),
    ).filter(rank__lte=limit)
    matched = matcher(query)
    labels = dict(Kind.choices)
    places = {}
    for row in entries.order_by("policy_id", "rank").values(
        "policy_id", "kind", "version_id", "version_number", "current", "position", "text", "found"
    ):
        hits, _ = places.setdefault(row["policy_id"], ([], row["found"]))
        prefix = ANCHORS.get(row["kind"])
        hits.append(
            Hit(
                kind=row["kind"],
                kind_label=str(labels[row["kind"]]),
                version_id=row["version_id"],
                version_number=row["version_number"],
                current=row["current"],
                anchor=f"{prefix}-{row['position']}" if prefix else "",
                fragments=tuple(fragments(row["text"], matched)),
            )
        )
    return places
