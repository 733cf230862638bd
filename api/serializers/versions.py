"""Document versions as the API shows them: the list, the text read out of
each, and the comparison of two."""

from django.urls import reverse
from rest_framework import serializers

from api.serializers.common import PersonSerializer
from documents.docx import compare

# The pieces of a tracked change: the text kept, inserted or deleted.
PIECE_OPS = [("equal", "equal"), ("insert", "insert"), ("delete", "delete")]


class WithdrawalSerializer(serializers.Serializer):
    withdrawn_by = PersonSerializer()
    withdrawn_at = serializers.DateTimeField()
    reason = serializers.CharField()


class VersionSerializer(serializers.Serializer):
    """A version as uploaded; ``withdrawal`` is null unless it was withdrawn."""

    number = serializers.IntegerField()
    original_name = serializers.CharField()
    download_name = serializers.CharField()
    note = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField()
    uploaded_by = PersonSerializer()
    uploaded_at = serializers.DateTimeField()
    word_count = serializers.IntegerField()
    tracked_insertions = serializers.IntegerField()
    tracked_deletions = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    withdrawn = serializers.SerializerMethodField()
    withdrawal = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()
    text_url = serializers.SerializerMethodField()

    def get_withdrawn(self, version) -> bool:
        return _withdrawal(version) is not None

    def get_withdrawal(self, version) -> WithdrawalSerializer(allow_null=True):
        withdrawal = _withdrawal(version)
        return WithdrawalSerializer(withdrawal).data if withdrawal else None

    def get_file_url(self, version) -> str:
        return self._url("api:version_file", version)

    def get_text_url(self, version) -> str:
        return self._url("api:version_text", version)

    def _url(self, name, version):
        path = reverse(name, kwargs={"pk": version.policy_id, "number": version.number})
        return self.context["request"].build_absolute_uri(path)


def _withdrawal(version):
    return getattr(version, "withdrawal", None)


class VersionInputSerializer(serializers.Serializer):
    # The intake checks the file (size, format, content) with its own codes.
    file = serializers.FileField(
        allow_empty_file=True, help_text="The .docx; refused with the intake's own code."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What changed in this version."
    )


# -- the text ----------------------------------------------------------------


class TrackedPieceSerializer(serializers.Serializer):
    """A piece of a paragraph with tracked changes: kept, inserted or deleted, by whom, when."""

    op = serializers.ChoiceField(choices=PIECE_OPS)
    text = serializers.CharField()
    author = serializers.CharField()
    date = serializers.CharField(help_text="As Word wrote it (W3CDTF), or empty.")

    def to_representation(self, piece):
        op, text, author, date = [*piece, "", "", "", ""][:4]
        return {"op": op, "text": text, "author": author, "date": date}


class BlockSerializer(serializers.Serializer):
    """A body paragraph or table, in document order, with tracked changes accepted
    in ``text``; ``changes`` (a paragraph) and ``cell_changes`` (a table) show them."""

    kind = serializers.ChoiceField(choices=[("paragraph", "paragraph"), ("table", "table")])
    text = serializers.CharField()
    style = serializers.CharField(help_text='As Word names it: "Heading 1", "Normal".')
    level = serializers.IntegerField(help_text="The heading level (1-9), or 0.")
    direction = serializers.ChoiceField(choices=[("ltr", "ltr"), ("rtl", "rtl")])
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="A table's rows of cell texts.",
    )
    comments = serializers.ListField(
        child=serializers.CharField(), help_text="The ids of the comments anchored here."
    )
    changes = serializers.SerializerMethodField()
    cell_changes = serializers.SerializerMethodField()

    def get_changes(self, block) -> TrackedPieceSerializer(many=True):
        if block.kind == "table":
            return []
        return TrackedPieceSerializer(block.changes, many=True).data

    def get_cell_changes(self, block) -> serializers.ListField(
        child=serializers.ListField(child=TrackedPieceSerializer(many=True))
    ):
        if block.kind != "table":
            return []
        return [
            [TrackedPieceSerializer(cell, many=True).data for cell in row] for row in block.changes
        ]


class CommentSerializer(serializers.Serializer):
    id = serializers.CharField()
    author = serializers.CharField()
    text = serializers.CharField()
    date = serializers.CharField(help_text="As Word wrote it (W3CDTF), or empty.")


class PropertiesSerializer(serializers.Serializer):
    """The document's own properties, as Word stored them (ISO 8601 dates), or empty."""

    title = serializers.CharField(default="")
    author = serializers.CharField(default="")
    last_modified_by = serializers.CharField(default="")
    revision = serializers.CharField(default="")
    created = serializers.CharField(default="")
    modified = serializers.CharField(default="")

    def to_representation(self, properties):
        return {name: str(properties.get(name) or "") for name in self.fields}


class ExtractionSerializer(serializers.Serializer):
    """What intake read out of a version: its text with tracked changes accepted,
    the changes and comments still in it, and its links to outside."""

    body = BlockSerializer(many=True)
    headers = serializers.ListField(child=serializers.CharField())
    footers = serializers.ListField(child=serializers.CharField())
    footnotes = serializers.ListField(child=serializers.CharField())
    endnotes = serializers.ListField(child=serializers.CharField())
    tracked_insertions = serializers.IntegerField()
    tracked_deletions = serializers.IntegerField()
    comments = CommentSerializer(many=True)
    properties = PropertiesSerializer()
    word_count = serializers.IntegerField()
    hyperlinks = serializers.ListField(child=serializers.CharField())


# -- the comparison ----------------------------------------------------------


class SegmentSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=PIECE_OPS)
    text = serializers.CharField()

    def to_representation(self, segment):
        op, text = segment
        return {"op": op, "text": text}


class ComparedBlockSerializer(serializers.Serializer):
    """One aligned line (a paragraph, or a table row): ``text`` when it is equal,
    added or removed; ``segments``, its word-level changes, when it changed."""

    kind = serializers.ChoiceField(
        choices=[(k, k) for k in (compare.EQUAL, compare.ADDED, compare.REMOVED, compare.CHANGED)]
    )
    text = serializers.CharField()
    older_text = serializers.CharField()
    newer_text = serializers.CharField()
    segments = SegmentSerializer(many=True)


class SummarySerializer(serializers.Serializer):
    paragraphs_added = serializers.IntegerField()
    paragraphs_removed = serializers.IntegerField()
    paragraphs_changed = serializers.IntegerField()
    words_added = serializers.IntegerField()
    words_removed = serializers.IntegerField()
    has_changes = serializers.BooleanField()


class ComparisonSerializer(serializers.Serializer):
    older = serializers.IntegerField(source="older_number")
    newer = serializers.IntegerField(source="newer_number")
    summary = SummarySerializer()
    blocks = ComparedBlockSerializer(many=True)
