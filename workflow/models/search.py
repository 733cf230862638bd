"""The search index: one row per searchable place of a policy.

A place is a field of the policy (title, short title, summary), a
decision's words (a review comment, a support statement, the endorsement's
instrument), a version's note, a piece of a version's or of one of its
translations' accepted text (a body paragraph or table, a footnote, an
endnote, a header, a footer), or an official letter's text layer.
Rows are derived data: ``workflow.search.index`` writes them in the same
transaction as what they index, and ``rebuild_search_index`` writes them
all again from the record.

``folded`` is what the engines match (``workflow.search.folding``);
``text`` is the place's text as written, for the snippet.

A search first finds the policies, then the places to show within the
page's policies only. Finding reads ``SearchDocument``: the same short
rows (the policy's fields, decisions, notes), but a version's text in
sections of a few thousand words instead of paragraphs, so that a word
found in every version costs a few rows per version, in a table of few
rows, whatever the length of the texts.

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
        LETTER = "letter", _("Official letter")
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
    # A place of a translation's text: the translation's language (its row
    # in ``source_id``); empty for the version's own text.
    language = models.CharField(max_length=12, blank=True, default="")
    # Who wrote an official letter (``LETTER``, the letter in ``source_id``):
    # the supporting institution; empty for the decree of endorsement.
    source_name = models.CharField(max_length=255, blank=True, default="")
    # False once the row's version is no longer the current one.
    current = models.BooleanField(default=True)
    text = models.TextField(blank=True)
    folded = models.TextField()

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [
            # The places of a page's policies, in the order they are shown.
            models.Index(
                fields=["policy", "-version_number", "position", "id"],
                name="searchentry_policy_order",
            )
        ]

    def __str__(self):
        return f"{self.policy_id} {self.kind} {self.position}"


class SearchDocument(models.Model):
    """What finds a policy: its short places as in ``SearchEntry``, and each
    version's text in ``SECTION`` rows (``workflow.search.index.SECTION_WORDS``)."""

    policy = models.ForeignKey(
        "workflow.Policy", on_delete=models.CASCADE, related_name="search_documents"
    )
    version = models.ForeignKey(
        "workflow.DocumentVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_documents",
    )
    kind = models.CharField(max_length=20, choices=SearchEntry.Kind.choices)
    current = models.BooleanField(default=True)
    folded = models.TextField()

    class Meta:
        verbose_name = _("search index document")
        verbose_name_plural = _("search index documents")

    def __str__(self):
        return f"{self.policy_id} {self.kind}"
