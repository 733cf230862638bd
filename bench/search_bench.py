"""Search over a large portfolio: ours beside a naive ``icontains`` search, same run.

    .venv/bin/python bench/search_bench.py [--runs N] [--keep] [--reuse]

On PostgreSQL, the web benchmark's portfolio (bench/web_data.py, people in
bench/web_cast.py: 2,000 policies x 5 versions), each version carrying
about 3,000 words of generated policy text in its extraction, English and
Arabic script mixed (Arabic partly vowelled, Dari, Urdu). The index is
built with ``rebuild_search_index``; its build time and size are reported
per 1,000 versions.

Measured, as the coordinator (sees every policy) and as an institution
member (a few dozen), for a rare word, a common word and a two-word
phrase (and an Arabic word typed without the text's vowel marks):

(a) baseline: the visible policies any of whose versions' extracted text
    holds the words (``extraction__icontains``), the first page of 20 and
    the count, as a page without an index would find them;
(b) ours: ``workflow.search.query.search``, the first page of 20 policies
    with their hits and the count.

Each case is warmed up, then timed, the cases taking turns: ours RUNS
times, the baseline NAIVE_RUNS times (each of its calls reads every
version's text, seconds on the full portfolio); median, p90, and the
queries of one call. Targets for (b): median at
most 50 ms, and at least 20 times faster than (a). The script creates its
own database (``policyflow_search_bench``, or BENCH_DATABASE_URL) and
drops it at the end unless --keep. Missed targets are reported, not fatal.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/policyflow_search_bench"
)

from bench import web_bench  # noqa: E402 - after the database is named

RUNS = 20
NAIVE_RUNS = 3
WARM_UP = 1
TARGET_MS = 50
TARGET_SPEEDUP = 20
PAGE = 20
WORDS_PER_VERSION = 3_000
PARAGRAPH_WORDS = 60

RARE = "ombudsperson"
COMMON = "migration"
PHRASE = '"recruitment agencies"'
ARABIC = "تحويلات"  # the text has it vowelled: تَحْوِيلَاتِ

_ENGLISH = (
    "the of and to in a for on with by shall be is are this that policy government "
    "national ministry institutions workers abroad citizens rights protection services "
    "data plan action committee annual report implementation coordination programme "
    "labour market skills training employment return reintegration diaspora remittances "
    "investment development border management consular assistance women families health "
    "education social insurance contract employer fees licence standards monitoring "
    "evaluation review budget partners province district office registration information"
)
ENGLISH = _ENGLISH.split()
# Sentences in the national languages, some vowelled: mixed into the text as it is in drafts.
NATIONAL = (
    "تَعْمَلُ الحُكُومَةُ عَلَى تَيْسِيرِ تَحْوِيلَاتِ المُغْتَرِبِينَ وَخَفْضِ كُلْفَتِهَا",
    "تنشئ الوزارة مكتبا للتواصل مع الجاليات في الخارج وتعد سجلا للكفاءات",
    "یَحِقُّ لِكُلِّ مُوَاطِنٍ العَوْدَةُ الطَّوْعِيَّةُ الآمِنَةُ إِلَى الوَطَنِ",
    "حکومت انتقال پول مهاجرین را از طریق بانک‌های رسمی آسان و ارزان می‌سازد",
    "بیرونِ ملک مقیم کارکنوں کے حقوق کا تحفظ کیا جائے گا",
)


def generated_text(rng):
    """A pool of paragraphs the versions are cut from: ~60 words each, English and
    Arabic script; "migration" in about half, "recruitment agencies" in one in twenty."""
    pool = []
    for number in range(2_000):
        words = rng.choices(ENGLISH, k=PARAGRAPH_WORDS - 8)
        if number % 2 == 0:
            words.insert(rng.randrange(len(words)), COMMON)
        if number % 20 == 0:
            at = rng.randrange(len(words))
            words[at:at] = ["recruitment", "agencies"]
        if number % 4 == 0:
            words.append(rng.choice(NATIONAL))
        pool.append(" ".join(words).capitalize() + ".")
    return pool


def long_extraction(pool):
    """``web_data.extraction`` with ~3,000 words of body text: 50 paragraphs from
    the pool, chosen by policy and version; a rare word in a handful of versions."""
    from bench import web_data

    shaped = web_data.extraction

    def extraction(policy_number, version_number):
        content = shaped(policy_number, version_number)
        rng = random.Random(policy_number * 10 + version_number)
        body = content["body"][:2]
        for paragraph in rng.sample(pool, WORDS_PER_VERSION // PARAGRAPH_WORDS):
            body.append(web_data._block(paragraph))
        if policy_number % 400 == 7 and version_number == web_data.VERSIONS:
            body.append(web_data._block(f"An independent {RARE} hears complaints of workers."))
        content["body"] = body
        content["word_count"] = sum(len(block["text"].split()) for block in body)
        return content

    return extraction


@dataclass
class Case:
    label: str
    query: str
    user: object
    run: object  # (user, query) -> (policies on the page, total)
    timings: list = field(default_factory=list)
    queries: int = 0
    found: int = 0

    @property
    def median_ms(self):
        return statistics.median(self.timings) * 1000

    @property
    def p90_ms(self):
        return statistics.quantiles(self.timings, n=10, method="inclusive")[-1] * 1000


def ours(user, query):
    from workflow.search.query import search

    results = search(user, query, per_page=PAGE)
    return len(results.policies), results.total


def naive(user, query):
    """What a search without an index would do: every version's extracted text, icontains."""
    from workflow.models import DocumentVersion, Policy
    from workflow.search.parsing import parse

    versions = DocumentVersion.objects.all()
    for part in parse(query).parts:
        versions = versions.filter(extraction__icontains=" ".join(part.words))
    policies = (
        Policy.objects.visible_to(user)
        .filter(pk__in=versions.values("policy_id"))
        .order_by("country", "short_title", "pk")
    )
    page = list(policies.values("pk", "title", "short_title", "state")[:PAGE])
    return len(page), policies.count()


def measure(cases, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for case in cases:
        for _ in range(WARM_UP):
            case.run(case.user, case.query)
        with CaptureQueriesContext(connection) as captured:
            _, case.found = case.run(case.user, case.query)
        case.queries = len(captured.captured_queries)
    for turn in range(runs):
        for case in cases:
            if case.run is naive and turn >= NAIVE_RUNS:
                continue
            start = time.perf_counter()
            case.run(case.user, case.query)
            case.timings.append(time.perf_counter() - start)


def build_index():
    """The index written from the record; seconds, rows, bytes (table, indexes, TOAST)."""
    from django.db import connection

    from documents.services import rebuild_search_index
    from workflow.models import DocumentVersion

    started = time.perf_counter()
    rows = rebuild_search_index()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_searchentry")
        cursor.execute("ANALYZE workflow_searchdocument")
        cursor.execute(
            "SELECT pg_total_relation_size('workflow_searchentry')"
            " + pg_total_relation_size('workflow_searchdocument')"
        )
        size = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('workflow_searchdocument_vector'))")
        finder = cursor.fetchone()[0]
    return seconds, rows, size, finder, DocumentVersion.objects.count()


def report(pairs, runs):
    print(
        f"\nEach case: {WARM_UP} warm-up call, then timed in turns:"
        f" ours {runs} times, the naive baseline {min(runs, NAIVE_RUNS)} times."
    )
    print(
        f"{'case':<52}{'naive med':>11}{'p90':>11}{'q':>3}{'ours med':>10}{'p90':>9}{'q':>3}"
        f"{'found':>7}{'faster':>9}{'<=50ms':>8}{'>=20x':>7}"
    )
    missed = False
    for baseline, case in pairs:
        speedup = baseline.median_ms / case.median_ms
        fast, far = case.median_ms <= TARGET_MS, speedup >= TARGET_SPEEDUP
        missed |= not (fast and far)
        agree = "" if baseline.found == case.found else f" (naive found {baseline.found})"
        print(
            f"{case.label:<52}{baseline.median_ms:>9.1f}ms{baseline.p90_ms:>9.1f}ms"
            f"{baseline.queries:>3}{case.median_ms:>8.1f}ms{case.p90_ms:>7.1f}ms{case.queries:>3}"
            f"{case.found:>7}{speedup:>8.0f}x{'yes' if fast else 'NO':>8}"
            f"{'yes' if far else 'NO':>7}{agree}"
        )
    print(
        "    found: policies matching (the page shows 20). The naive search matches"
        " substrings of the raw text, without folding or stemming, so its counts may differ."
    )
    print("\nSome targets NOT met." if missed else "\nAll targets met.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument(
        "--policies", type=int, default=None, help="fewer policies (60 at least), for a trial run"
    )
    args = parser.parse_args()

    url = web_bench.DATABASE_URL
    started = time.perf_counter()
    drop = web_bench.database_dropper(url) if args.reuse else web_bench.recreate_database(url)
    scratch = tempfile.mkdtemp(prefix="policyflow-search-bench-")
    try:
        web_bench.setup_django(scratch)
        from bench import web_cast, web_data

        print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        name = urlsplit(url).path.lstrip("/")
        if args.reuse:
            cast = web_cast.find_cast()
            print(f"Database: PostgreSQL {name}, as built by an earlier run")
        else:
            built = time.perf_counter()
            web_data.extraction = long_extraction(generated_text(random.Random(11)))
            # The builder's notifications name 60 policies.
            web_data.POLICIES = max(60, args.policies) if args.policies else web_data.POLICIES
            cast = web_cast.build_cast()
            counts = web_data.build_portfolio(cast)
            print(f"Database: PostgreSQL {name}, built in {time.perf_counter() - built:.1f} s:")
            print("    " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
            seconds, rows, size, finder, versions = build_index()
            per = 1000 / versions
            print(
                f"Index: {rows:,} rows for {versions:,} versions, built in {seconds:.1f} s"
                f" ({seconds * per:.1f} s per 1,000 versions); {size / 2**20:,.0f} MB with"
                f" its indexes and TOAST ({size * per / 2**20:,.1f} MB per 1,000 versions);"
                f" the documents' GIN index: {finder}"
            )
        people = (
            ("coordinator", cast.coordinator),
            ("institution member", cast.institution_member),
        )
        pairs = []
        for query, what in (
            (RARE, "rare word"),
            (COMMON, "common word"),
            (PHRASE, "phrase"),
            (ARABIC, "Arabic word, unvowelled"),
        ):
            for who, user in people:
                label = f"{what} {query}, {who}"
                pairs.append((Case(label, query, user, naive), Case(label, query, user, ours)))
        load = os.getloadavg()[0]
        measure([case for pair in pairs for case in pair], args.runs)
        print(f"Load average (1 min): {load:.2f} before timing, {os.getloadavg()[0]:.2f} after")
        report(pairs, args.runs)
        print(f"\nWhole run: {time.perf_counter() - started:.1f} s")
        return True
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if not args.keep:
            drop()


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
