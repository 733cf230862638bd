"""The API's policy list and one policy beside the web list, same run, at two portfolio sizes.

    .venv/bin/python bench/api_bench.py [--runs N] [--sizes 200,2000] [--profile]

For each size, a PostgreSQL database built afresh as bench/web_bench.py builds
its own (bench/web_data.py: each policy with five versions and 30 audit
entries, people in bench/web_cast.py), then, as the coordinator, who sees
every policy:
(a) baseline: the web policy list, page 1 (``/policies/``), signed in;
(b) the API's policy list, page 1 (``GET /api/v1/policies/``, 50 a page);
(c) one policy (``GET /api/v1/policies/{id}/``), in institutional support.
The API is called with a personal token (``Authorization: Bearer``), as its
clients do. Timing, turns, warm-up, production settings and the SQL capture
are web_bench's (``measure``): median and p90 of RUNS requests, and the
queries of a few more.

Targets: each page runs the same number of queries at every size; (b)'s
median at most (a)'s at every size. A page that misses one (or every page,
with --profile) has its queries listed and the slowest explained.

The database is ``policyflow_api_bench`` on the local PostgreSQL (or
BENCH_API_DATABASE_URL), made again for each size and dropped at the end.
It exits non-zero only when a request fails; missed targets are reported.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import web_bench  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_API_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/policyflow_api_bench"
)
SIZES = (200, 2_000)
RUNS = web_bench.RUNS


def pages(cast, policy, token):
    api = {"headers": {"Authorization": f"Bearer {token}"}, "signed_in": False}
    return [
        web_bench.Page("(a) web list p.1", "/policies/", cast.coordinator, targeted=False),
        web_bench.Page("(b) API list p.1", "/api/v1/policies/", cast.coordinator, **api),
        web_bench.Page(
            "(c) API policy", f"/api/v1/policies/{policy.pk}/", cast.coordinator, False, **api
        ),
    ]


def build(size, *, afresh):
    """The database holding ``size`` policies (``afresh``: dropped and migrated
    again first); returns the cast, the policy (c) reads and the coordinator's token."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from api import tokens
    from bench import web_cast, web_data
    from workflow.models import Policy

    if afresh:
        web_bench.recreate_database(DATABASE_URL)
        ContentType.objects.clear_cache()
        call_command("migrate", verbosity=0)
    started = time.perf_counter()
    cast = web_cast.build_cast()
    counts = web_data.build_portfolio(cast, policies=size)
    print(f"\n{size:,} policies, built in {time.perf_counter() - started:.1f} s:")
    print("    " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
    policy = Policy.objects.filter(state=Policy.State.INSTITUTIONAL_SUPPORT).order_by("pk").first()
    _row, token = tokens.create_token(cast.coordinator, name="bench")
    return cast, policy, token


def report(measured, failures):
    """The table, one row per page and size; whether the targets are met."""
    print()
    print(
        f"{'policies':>9}  {'page':<20}{'median':>9}{'p90':>9}{'SQL':>8}{'queries':>9}"
        f"{'x web list':>12}"
    )
    for size, results in measured.items():
        baseline = results[0]
        for page in results:
            print(
                f"{size:>9,}  {page.label:<20}{page.median_ms:>7.1f}ms{page.p90_ms:>7.1f}ms"
                f"{page.sql_ms:>6.1f}ms{len(page.queries):>9}"
                f"{page.median_ms / baseline.median_ms:>11.2f}x"
            )
    for failure in failures:
        print(f"FAILED  {failure}")
    print(
        f"    SQL: median time in the database over {web_bench.COUNTED} more requests,"
        " its queries captured"
    )

    missed = []
    labels = {page.label for results in measured.values() for page in results}
    for label in sorted(labels):
        counts = {
            size: len(page.queries)
            for size, results in measured.items()
            for page in results
            if page.label == label
        }
        fixed = len(set(counts.values())) == 1
        print(
            f"{label}: "
            + ", ".join(f"{n} queries at {size:,}" for size, n in counts.items())
            + (" - fixed" if fixed else " - NOT fixed")
        )
        if not fixed:
            missed.append(label)
    for size, results in measured.items():
        web, api = results[0], results[1]
        faster = api.median_ms <= web.median_ms
        print(
            f"At {size:,}: the API list's median is {api.median_ms / web.median_ms:.2f}x the"
            f" web list's" + ("" if faster else " - NOT at most")
        )
        if not faster:
            missed.append(api.label)
    print("\nSome targets NOT met." if missed else "\nAll targets met.")
    return set(missed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in SIZES),
        help="portfolio sizes, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--profile", action="store_true", help="explain every page's queries")
    args = parser.parse_args()
    sizes = sorted({int(size) for size in args.sizes.split(",")})

    started = time.perf_counter()
    scratch = tempfile.mkdtemp(prefix="policyflow-api-bench-")
    web_bench.recreate_database(DATABASE_URL)
    drop = web_bench.database_dropper(DATABASE_URL)
    try:
        web_bench.setup_django(scratch, DATABASE_URL)
        print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"Database: PostgreSQL {urlsplit(DATABASE_URL).path.lstrip('/')}, for each size")
        print(f"Each page: {web_bench.WARM_UP} warm-up requests, then {args.runs} timed")
        measured, failures, profiled = {}, [], []
        for index, size in enumerate(sizes):
            cast, policy, token = build(size, afresh=index > 0)
            load = os.getloadavg()[0]
            everything = pages(cast, policy, token)
            failed = web_bench.measure(everything, args.runs)
            failures += [f"{size:,} policies: {failure}" for failure in failed]
            results = [page for page in everything if page.measured]
            print(f"Load average (1 min): {load:.2f} before timing, {os.getloadavg()[0]:.2f} after")
            if len(results) == len(everything):
                measured[size] = results
            if args.profile:
                for page in results:
                    print(f"\n[{size:,} policies]", end="")
                    web_bench.profile(page)
            else:
                profiled.append((size, results))
        if not measured:
            for failure in failures:
                print(f"FAILED  {failure}")
            return False
        missed = report(measured, failures)
        if missed and not args.profile:
            # The last database is the only one left: explain its pages.
            size, results = profiled[-1]
            for page in results:
                if page.label in missed:
                    print(f"\n[{size:,} policies]", end="")
                    web_bench.profile(page)
        print(f"\nWhole run: {time.perf_counter() - started:.1f} s")
        return not failures
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        drop()


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
