"""Reading a query: words, phrases, prefixes; refusing what cannot be searched."""

import pytest

from workflow.search.engines import fts5_query, tsquery
from workflow.search.parsing import MAX_LENGTH, Part, QueryError, parse


def test_words_phrases_and_prefixes():
    query = parse('return "right to return" migra*')
    assert query.parts == (
        Part(("return",)),
        Part(("right", "to", "return")),
        Part(("migra",), prefix=True),
    )


def test_query_words_are_folded_like_the_text():
    assert parse("السِّيَاسَة ٢٠٢٦ Émigration").words == ["السياسة", "2026", "emigration"]


def test_typographic_quotes_make_a_phrase():
    assert parse("“diaspora engagement”").parts == (Part(("diaspora", "engagement")),)


def test_engine_operators_in_capitals_are_not_words():
    assert parse("migration AND return NOT visa").words == ["migration", "return", "visa"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * (MAX_LENGTH + 1),
        "x" * 10_000,
        "!!! ... ---",
        '"',
        '"right to return',
        "*",
        "m*",
        ":",
        "-",
        "AND",
        "NEAR(",
        "NEAR( OR )",
        '""',
    ],
)
def test_bad_queries_say_why(text):
    with pytest.raises(QueryError) as refused:
        parse(text)
    assert refused.value.message


@pytest.mark.parametrize(
    "text",
    ["NEAR(migration return)", 'a:b "x" -y', "migration* AND", "col:value", "^start"],
)
def test_engine_syntax_is_searched_as_words(text):
    query = parse(text)
    for word in query.words:
        assert word.isalnum()


def test_engine_strings_quote_every_word():
    query = parse('"right to return" migra* ٢٠٢٦')
    assert tsquery(query) == "('right' <-> 'to' <-> 'return') & ('migra':*) & ('2026')"
    assert fts5_query(query) == '"right to return" "migra"* "2026"'


def test_documents_find_a_phrase_by_its_word_pairs():
    query = parse('"right to return" migra* visa')
    assert [part.words for part in query.by_pairs().parts] == [
        ("rightǀto",),
        ("toǀreturn",),
        ("migra",),
        ("visa",),
    ]
