"""Search over policies, their decisions and the text of every version.

- ``folding``: how text is made comparable (Arabic script, Latin accents
  and case), the same at index and at query time; pure functions;
- ``parsing``: a person's query read into words, phrases and prefixes;
- ``engines``: the query built for PostgreSQL full-text search or SQLite
  FTS5, never from the person's text itself;
- ``index``: the index rows, written by the services in their own transaction;
- ``query``: the search, scoped to what the person may see, as plain data;
- ``snippets``: the words of a hit to show, the matched ones marked.
"""
