"""Web pages over a large portfolio: our figures beside the admin changelist, same run.

    .venv/bin/python bench/web_bench.py [--runs N] [--scale N] [--profile] [--keep] [--reuse]

On PostgreSQL, 2,000 policies x 5 versions x 30 audit entries (bench/web_data.py, people
in bench/web_cast.py), or N times as many policies with --scale N (the same people;
--scale 10 is 20,000 policies, 100,000 versions and 600,000 audit entries):
(a) baseline: the Django admin changelist of the same policies, as a superuser;
(b) the dashboard, as a coordinator (every policy), a ministry endorser and
    an institution member;
(c) the policy list, page 1, as the coordinator and the endorser;
(d) one policy's page.
Server time is the time around the test client's ``get``, in this process,
with the production settings (DEBUG off) over a request marked secure, as
behind the TLS proxy. Each page is warmed up, then timed RUNS times: median
and p90. The pages take turns, request by request, so that a busy moment
on the machine slows them alike and the ratios stay fair. Targets for (b)
and (c): median at most 100 ms and at most 1.5x the median of (a); for (b) and
(d), at most 0.2x the median of (a). The SQL
of each page is counted and timed on a few more requests; a page that
misses a target (or every page, with --profile) has its queries listed
with their execution times and the slowest explained.

The script creates its own database (``policyflow_bench`` on the local
PostgreSQL, or BENCH_DATABASE_URL) and drops it at the end unless --keep;
--reuse measures a kept one again without building it. It exits non-zero
only when a request fails; missed targets are reported.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/policyflow_bench"
)
RUNS = 30
WARM_UP = 3
TARGET_MS = 100
TARGET_RATIO = 1.5
# The dashboard and the policy page, against the same changelist.
FAST_RATIO = 0.2
COUNTED = 5  # requests whose queries are counted and timed, apart from the timed ones
SLOWEST = 3  # queries explained for a page that misses a target


@dataclass
class Page:
    label: str
    url: str
    user: object
    targeted: bool = True
    headers: dict = field(default_factory=dict)  # sent with every request (an API token)
    signed_in: bool = True  # whether the client holds the user's session
    fast: bool = False  # held to FAST_RATIO of the changelist too
    timings: list = field(default_factory=list)  # seconds, one per timed request
    sql_times: list = field(default_factory=list)  # seconds in SQL, one per counted request
    queries: list = field(default_factory=list)  # those of the last counted request
    measured: bool = False

    @property
    def sql_ms(self):
        return statistics.median(self.sql_times) * 1000

    def missed(self, baseline):
        """Whether a page misses one of its targets."""
        slow = self.fast and self.median_ms > FAST_RATIO * baseline.median_ms
        return slow or (
            self.targeted
            and (self.median_ms > TARGET_MS or self.median_ms > TARGET_RATIO * baseline.median_ms)
        )

    @property
    def median_ms(self):
        return statistics.median(self.timings) * 1000

    @property
    def p90_ms(self):
        return statistics.quantiles(self.timings, n=10, method="inclusive")[-1] * 1000


class PageFailed(Exception):
    pass


def admin_url(url):
    """The server's ``postgres`` database, from which another is created or dropped."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))


def database_dropper(url):
    return lambda: drop_database(admin_url(url), urlsplit(url).path.lstrip("/"))


def recreate_database(url):
    """Drop and create the database named in ``url``; returns what drops it again."""
    import psycopg

    drop = database_dropper(url)
    drop()
    with psycopg.connect(admin_url(url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{urlsplit(url).path.lstrip("/")}"')
    return drop


def drop_database(admin, name):
    import psycopg
    from django.conf import settings
    from django.db import connections

    if settings.configured:
        connections.close_all()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(var_dir, database_url=DATABASE_URL):
    """The production settings: DEBUG off, a request counts as secure (TLS proxy)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["POLICYFLOW_VAR_DIR"] = str(var_dir)
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "policyflow.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def fetch(client, page):
    """One request; a page that does not answer 200 is reported, never timed."""
    try:
        response = client.get(page.url, secure=True)
    except Exception as error:  # the test client re-raises what the view raised
        raise PageFailed(f"{page.label}: GET {page.url} raised {error!r}") from error
    if response.status_code != 200:
        where = response.get("Location", "")
        raise PageFailed(
            f"{page.label}: GET {page.url} answered {response.status_code}"
            + (f" (redirect to {where})" if where else "")
            + (" - the page is missing (still a stub?)" if response.status_code == 404 else "")
        )
    return response


def measure(pages, runs):
    """Time every page ``runs`` times, taking turns, so that a busy moment hits all alike.

    Returns the failures; a page that fails is taken out of the turns.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    failures, clients, alive = [], {}, []
    for page in pages:
        clients[page.label] = client = Client(headers=page.headers)
        if page.signed_in:
            client.force_login(page.user)
        try:
            for _ in range(WARM_UP):
                fetch(client, page)
            alive.append(page)
        except PageFailed as failure:
            failures.append(str(failure))

    def turns(count, request):
        for _ in range(count):
            for page in list(alive):
                try:
                    request(page, clients[page.label])
                except PageFailed as failure:
                    failures.append(str(failure))
                    alive.remove(page)

    def timed(page, client):
        start = time.perf_counter()
        fetch(client, page)
        page.timings.append(time.perf_counter() - start)

    def counted(page, client):
        with CaptureQueriesContext(connection) as captured:
            fetch(client, page)
        page.queries = captured.captured_queries
        page.sql_times.append(sum(float(q["time"]) for q in page.queries))

    turns(runs, timed)
    turns(COUNTED, counted)
    for page in alive:
        page.measured = True
    return failures


def explain(sql):
    """EXPLAIN ANALYZE of one captured SELECT (its parameters already inlined): plan, ms."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = [row[0] for row in cursor.fetchall()]
    executed = next((line for line in plan if line.startswith("Execution Time:")), "")
    return "\n".join(plan), float(executed.split()[2]) if executed else 0.0


def profile(page):
    """Every query of the page with its execution time; the slowest with their plans."""
    print(f"\n--- {page.label}: {len(page.queries)} queries, {page.sql_ms:.1f} ms in SQL")
    explained = []
    for query in page.queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT"):
            plan, ms = explain(sql)
        else:
            plan, ms = "", float(query["time"]) * 1000
        explained.append((ms, sql, plan))
    for ms, sql, _plan in explained:
        print(f"  {ms:7.2f} ms  {' '.join(sql.split())[:140]}")
    for ms, sql, plan in sorted(explained, key=lambda e: e[0], reverse=True)[:SLOWEST]:
        if plan:
            print(f"\n[{ms:.2f} ms] {sql}\n{plan}")


def pages(cast, policy):
    return [
        Page("(a) admin changelist (superuser)", "/admin/workflow/policy/", cast.superuser, False),
        Page("(b) dashboard, coordinator", "/", cast.coordinator, fast=True),
        Page("(b) dashboard, ministry endorser", "/", cast.endorser, fast=True),
        Page("(b) dashboard, institution member", "/", cast.institution_member, fast=True),
        Page("(c) policy list p.1, coordinator", "/policies/", cast.coordinator),
        Page("(c) policy list p.1, endorser", "/policies/", cast.endorser),
        Page(
            f"(d) policy page /policies/{policy.pk}/",
            f"/policies/{policy.pk}/",
            cast.coordinator,
            False,
            fast=True,
        ),
    ]


def report(results, failures, baseline):
    print()
    print(
        f"{'page':<42}{'median':>9}{'p90':>9}{'SQL':>8}{'queries':>9}{'x admin':>9}"
        f"{'<= 100 ms':>11}{'<= 1.5x':>9}{'<= 0.2x':>9}"
    )
    for page in results:
        ratio = page.median_ms / baseline.median_ms
        fast = page.median_ms <= TARGET_MS
        near = ratio <= TARGET_RATIO
        verdict = (lambda ok: "yes" if ok else "NO") if page.targeted else (lambda ok: "-")
        fast_verdict = ("yes" if ratio <= FAST_RATIO else "NO") if page.fast else "-"
        print(
            f"{page.label:<42}{page.median_ms:>7.1f}ms{page.p90_ms:>7.1f}ms"
            f"{page.sql_ms:>6.1f}ms{len(page.queries):>9}{ratio:>8.2f}x"
            f"{verdict(fast):>11}{verdict(near):>9}{fast_verdict:>9}"
        )
    for failure in failures:
        print(f"FAILED  {failure}")
    print(
        f"    SQL: median time in the database over {COUNTED} more requests, its queries"
        " captured; targets apply to (b) and (c), and 0.2x to (b) and (d)"
    )
    if failures:
        print("\nSome pages FAILED: their targets could not be measured.")
    elif any(page.missed(baseline) for page in results):
        print("\nSome targets NOT met.")
    else:
        print("\nAll targets met.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by --keep, unbuilt"
    )
    parser.add_argument("--profile", action="store_true", help="explain every page's queries")
    parser.add_argument(
        "--scale", type=int, default=1, help="build N times the 2,000 policies (not with --reuse)"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    drop = database_dropper(DATABASE_URL) if args.reuse else recreate_database(DATABASE_URL)
    scratch = tempfile.mkdtemp(prefix="policyflow-web-bench-")
    try:
        setup_django(scratch)
        from bench import web_cast, web_data
        from workflow.models import Policy

        print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        name = urlsplit(DATABASE_URL).path.lstrip("/")
        if args.reuse:
            cast = web_cast.find_cast()
            print(f"Database: PostgreSQL {name}, as built by an earlier run")
        else:
            built = time.perf_counter()
            cast = web_cast.build_cast()
            counts = web_data.build_portfolio(cast, scale=args.scale)
            built = time.perf_counter() - built
            print(f"Database: PostgreSQL {name}, built in {built:.1f} s:")
            print("    " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
        print(f"Each page: {WARM_UP} warm-up requests, then {args.runs} timed")

        policy = (
            Policy.objects.filter(state=Policy.State.INSTITUTIONAL_SUPPORT).order_by("pk").first()
        )
        load = os.getloadavg()[0]
        everything = pages(cast, policy)
        failures = measure(everything, args.runs)
        results = [page for page in everything if page.measured]
        after = os.getloadavg()[0]
        print(f"Load average (1 min): {load:.2f} before timing, {after:.2f} after")
        if max(load, after) > os.cpu_count():
            print(
                "    The machine was busy: times run longer than on an idle one;"
                " the ratios, timed in turns, are steadier."
            )
        baseline = results[0] if results and results[0].label.startswith("(a)") else None
        if baseline is None:
            print("\nThe baseline (the admin changelist) failed: nothing to compare with.")
            for failure in failures:
                print(f"FAILED  {failure}")
            return False
        report(results, failures, baseline)
        for page in results:
            if args.profile or page.missed(baseline):
                profile(page)
        print(f"\nWhole run: {time.perf_counter() - started:.1f} s")
        return not failures
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if not args.keep:
            drop()


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
