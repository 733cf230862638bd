"""The search index: one row per searchable place of a policy.

A place is a field of the policy (title, short title, summary), a
decision's words (a review comment, a support statement, the endorsement's
instrument), a version's note, or a piece of a version's accepted text (a
body paragraph or table, a footnote, an endnote, a header, a footer).
Rows are derived data: ``workflow.search.index`` writes them in the same
transaction as what they index, and ``rebuild_search_index`` writes them
all again from the record.

``folded`` is what the engines match (``workflow.search.folding``);
``text`` is the place's text as written, for the snippet. A version's text
is also indexed in ``SECTION`` rows, a few thousand words each: a search
first finds the policies through them and the policies' short rows (few
rows per version, however long it is), then the places to show, only
within the page's policies.

The engines' own structures are made by the migrations: on PostgreSQL a
stored ``tsvector`` column and a GIN index, on SQLite an FTS5 table kept
in step by triggers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        TITLE = "title", _("Title")
        SHORT_TITLE = "short_title", _("Short title")
        SUMMARY = "summary", _("Summary")
        REVIEW = "review", _("Review comment")
        SUPPORT = "support", _("Support statement")
        ENDORSEMENT = "endorsement", _("Endorsement")
        NOTE = "note", _("Version note")
        TEXT = "text", _("Text")
        FOOTNOTE = "footnote", _("Footnote")
        ENDNOTE = "endnote", _("Endnote")
        HEADER = "header", _("Header")
        FOOTER = "footer", _("Footer")
        SECTION = "section", _("Section")

    policy = models.ForeignKey(
        "workflow.Policy", on_delete=models.CASCADE, related_name="search_entries"
    )
    version = models.ForeignKey(
        "workflow.DocumentVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_entries",
    )
    version_number = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The review, support or endorsement row; the place's 1-based position
    # among its version's body blocks, notes, headers or footers.
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    # False once the row's version is no longer the current one.
    current = models.BooleanField(default=True)
    text = models.TextField(blank=True)
    folded = models.TextField()

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [models.Index(fields=["policy", "kind"], name="searchentry_policy_kind")]

    def __str__(self):
        return f"{self.policy_id} {self.kind} {self.position}"
