"""The match condition of a parsed query, in each engine's own syntax.

PostgreSQL: the stored ``vector`` (a 'simple' and an 'english' tsvector of
the folded text) against ``to_tsquery`` of the query in both
configurations. SQLite: the FTS5 table that mirrors ``folded``.

Both are written from the folded words of ``parsing.Query`` only, which
hold letters and digits and nothing an engine reads as an operator; each
word is still quoted as its engine quotes a literal, and passed as a
query parameter, never spliced into the SQL.
"""

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, TextField
from django.db.models.expressions import RawSQL


def _tsquery_literal(word):
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(query):
    """PostgreSQL ``to_tsquery`` input: ``'a' & 'b' <-> 'c' & 'migra':*``."""
    parts = []
    for part in query.parts:
        lexemes = [_tsquery_literal(word) for word in part.words]
        if part.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts)


def _fts5_string(word):
    return '"' + word.replace('"', '""') + '"'


def fts5_query(query):
    """SQLite FTS5 MATCH input: ``"a" "b c" "migra"*`` (every part must match)."""
    parts = []
    for part in query.parts:
        text = _fts5_string(" ".join(part.words))
        parts.append(text + "*" if part.prefix else text)
    return " ".join(parts)


class _Column(Expression):
    """A column of the index table that the model does not describe (``vector``),
    under whatever alias the query gives the table (subqueries rename it)."""

    def __init__(self, name, beside="folded"):
        super().__init__(output_field=TextField())
        self.name = name
        self.beside = F(beside)

    def get_source_expressions(self):
        return [self.beside]

    def set_source_expressions(self, exprs):
        (self.beside,) = exprs

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(self.beside.alias)
        return f"{alias}.{connection.ops.quote_name(self.name)}", []


class _TextSearch(Expression):
    """PostgreSQL: the row's stored vector matches the query, in either configuration."""

    output_field = BooleanField()

    def __init__(self, query_text):
        super().__init__()
        self.vector = _Column("vector")
        self.query_text = query_text

    def get_source_expressions(self):
        return [self.vector]

    def set_source_expressions(self, exprs):
        (self.vector,) = exprs

    def as_sql(self, compiler, connection):
        vector, params = compiler.compile(self.vector)
        return (
            f"{vector} @@ (to_tsquery('simple'::regconfig, %s)"
            " || to_tsquery('english'::regconfig, %s))",
            [*params, self.query_text, self.query_text],
        )


def tsquery_condition(query, alias):
    """PostgreSQL SQL and parameters: the rows of ``alias`` match ``query``."""
    return (
        f"{alias}.vector @@ (to_tsquery('simple'::regconfig, %s)"
        " || to_tsquery('english'::regconfig, %s))",
        [tsquery(query), tsquery(query)],
    )


def matches(query, model):
    """A condition over rows of ``model`` (``SearchEntry`` or ``SearchDocument``),
    for ``filter()``: the row matches ``query``."""
    if connection.vendor == "postgresql":
        return _TextSearch(tsquery(query))
    fts = f"{model._meta.db_table}_fts"
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", (fts5_query(query),)))
