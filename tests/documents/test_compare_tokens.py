"""The word diff's tokens: one pass of words with their whitespace, as the former two did."""

import random
import re
from itertools import pairwise

from documents.docx.compare import _changed, _words_and_gaps

FORMER_TOKENS = re.compile(r"\s+|\w(?:\S*\w)?|[^\w\s]+")
PIECES = ["a", "word", " ", "  ", "\t", "\n", ",", ".", "(", ")", "1,000", "don't", "e.g"]
PIECES += ["\u00a0", "\u2003", "الهجرة", "—", "«", "»", "x"]


def former_words_and_gaps(text):
    lead, tokens, gaps = "", [], []
    for token in FORMER_TOKENS.findall(text):
        if not token[0].isspace():
            tokens.append(token)
            gaps.append("")
        elif tokens:
            gaps[-1] = token
        else:
            lead = token
    return lead, tokens, gaps


def random_text(rng):
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 40)))


def test_words_and_gaps_split_as_before():
    rng = random.Random(7)
    for _ in range(3000):
        text = random_text(rng)
        assert _words_and_gaps(text) == former_words_and_gaps(text), text


def test_a_changed_line_rebuilds_both_texts():
    rng = random.Random(11)
    for _ in range(1000):
        older, newer = random_text(rng), random_text(rng)
        segments = _changed(older, newer).segments
        assert "".join(text for op, text in segments if op != "insert") == older
        assert "".join(text for op, text in segments if op != "delete") == newer
        assert all(text for _, text in segments)
        assert all(a[0] != b[0] for a, b in pairwise(segments))
