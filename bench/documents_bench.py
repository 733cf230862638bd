"""Document intake and comparison: our figures beside a baseline from the same run.

    .venv/bin/python bench/documents_bench.py

(a) baseline: python-docx opens the ~200-page policy and joins its paragraphs' text;
(b) our whole intake (validate + hash + extract + store + audit, through add_version);
    target: at most 0.5x (a) and under 1 s; with the time its search index writes
    take (in the same transaction) shown apart, beside the floor, one lxml parse of
    the body part with the file's sha256;
(c) compare() of the two versions, beside a bare difflib diff of the same texts
    (paragraphs aligned, then the words of each replaced pair); target: at most
    2x that and 0.25 s;
(d) peak RSS of a process taking in a 25 MiB upload; target: at most 150 MiB,
    beside the same process's RSS before the upload;
(e) the redline .docx (the newer version with the changes as Word revisions,
    comparison and reading the newer file included) of the same pair, of a
    3,000-paragraph pair with 90 % of paragraphs changed, and of a 10,000-paragraph
    one, beside a report of the changes alone written the former way (python-docx,
    paragraph by paragraph) in the same run; target: at most 1 s for the pair of
    (c); each beside its comparison alone; and the redline as the download view
    gets it, made and stored once, then handed out again.
Each timing is the median of several runs. Runs against a throwaway SQLite
database and storage directory; nothing else is touched.
"""

import hashlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 7
REDLINE_RUNS = 3
INTAKE_TARGET = 0.5  # at most this times the baseline (a)
COMPARE_TARGET = 2.0  # at most this times the bare difflib diff
UPLOAD_BYTES = 25 * 1024 * 1024 - 64 * 1024  # just under the 25 MiB limit


def setup_django():
    os.environ.setdefault("POLICYFLOW_VAR_DIR", tempfile.mkdtemp(prefix="policyflow-bench-"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "policyflow.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def bench_policy():
    """A policy in drafting with a drafter, made through the services."""
    from django.contrib.auth import get_user_model

    from workflow import services
    from workflow.models import Membership, Organization, Project

    implementer = Organization.objects.create(name="ICMPD", kind="implementer")
    ministry = Organization.objects.create(name="Ministry", kind="ministry", country="PK")
    users = get_user_model().objects
    coordinator = users.create_user("coordinator")
    drafter = users.create_user(f"drafter{time.perf_counter_ns()}")
    Membership.objects.create(user=coordinator, organization=implementer, role="coordinator")
    Membership.objects.create(user=drafter, organization=implementer, role="drafter")
    project = Project.objects.create(name="Bench", implementer=implementer)
    policy = services.register_policy(
        actor=coordinator,
        project=project,
        title="National Policy on Labour Migration",
        short_title="bench",
        country="PK",
        lead_ministry=ministry,
        drafters=[drafter],
    )
    return policy, drafter


def median_seconds(action, runs=RUNS):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def rss_child(path):
    """Run in a fresh process: take in the upload at ``path``, report RSS in MiB.

    The file is made by the parent, so this process's peak is the intake's.
    """
    setup_django()
    from django.core.files import File

    from documents.services import add_version

    policy, drafter = bench_policy()
    before = memory_mib("VmRSS")
    # Start the high-water mark afresh: what setup touched is not the intake's.
    Path("/proc/self/clear_refs").write_text("5")
    with open(path, "rb") as upload:
        add_version(policy, actor=drafter, uploaded_file=File(upload, name="big.docx"))
    print(f"{before:.1f} {memory_mib('VmHWM'):.1f}")


def memory_mib(field):
    """A figure from /proc/self/status (VmRSS now, VmHWM the peak), in MiB.

    Not getrusage: on Linux its maximum survives fork and exec, so a child
    would report its parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def big_upload(path):
    """A policy padded with an incompressible picture to just under 25 MiB."""
    from bench.policy_documents import policy_docx, policy_paragraphs

    paragraphs = policy_paragraphs()
    padding = UPLOAD_BYTES - len(policy_docx(paragraphs))
    content = policy_docx(paragraphs, padding_bytes=padding)
    Path(path).write_bytes(content)
    return len(content)


def difflib_diff(older, newer):
    """The bare diff (c) is measured against: lines aligned, then each replaced pair's words."""
    matcher = SequenceMatcher(None, older, newer)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            for old_line, new_line in zip(older[i1:i2], newer[j1:j2], strict=False):
                SequenceMatcher(None, old_line.split(), new_line.split()).get_opcodes()


def lxml_floor(content):
    """The least an intake can do: hash the file, parse its body part once."""
    from lxml import etree

    hashlib.sha256(content).hexdigest()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        etree.fromstring(archive.read("word/document.xml"))


def python_docx_redline(comparison):
    """The redline as it used to be written: python-docx, paragraph by paragraph.

    The baseline of (e). python-docx's ``add_paragraph`` looks for the section
    properties among every child of the body on each call.
    """
    from docx.shared import RGBColor

    from documents.docx.compare import ADDED, CHANGED, DELETE, INSERT, REMOVED
    from documents.docx.compare_html import changes_in_context
    from documents.docx.records import add_text, document_bytes, new_document

    INSERTED_COLOR, DELETED_COLOR = RGBColor(0x00, 0x4C, 0xB3), RGBColor(0xC0, 0x00, 0x00)
    CONTEXT_COLOR = RGBColor(0x80, 0x80, 0x80)

    def mark(run, op):
        if op in (INSERT, ADDED):
            run.font.underline = True
            run.font.color.rgb = INSERTED_COLOR
        elif op in (DELETE, REMOVED):
            run.font.strike = True
            run.font.color.rgb = DELETED_COLOR
        elif op != "equal":
            run.font.color.rgb = CONTEXT_COLOR

    document = new_document("Redline")
    for item in changes_in_context(comparison.blocks, 1):
        paragraph = document.add_paragraph()
        if isinstance(item, int):
            mark(add_text(paragraph, f"… {item} unchanged paragraphs …"), "context")
        elif item.kind == CHANGED:
            for op, text in item.segments:
                mark(add_text(paragraph, text), op)
        else:
            mark(add_text(paragraph, item.text), item.kind)
    return document_bytes(document)


def main():
    setup_django()
    import docx
    from django.core.files.base import ContentFile

    from bench.policy_documents import edited, policy_docx, policy_paragraphs
    from documents.docx.compare import compare
    from documents.docx.extract import extract
    from documents.docx.redline import redline_docx
    from documents.services import add_version, redline_record
    from workflow.models import DocumentVersion
    from workflow.search import index as search_index

    paragraphs = policy_paragraphs()
    first = policy_docx(paragraphs)
    second = policy_docx(edited(paragraphs))
    words = sum(len(text.split()) for _, text in paragraphs)
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"Document: {len(paragraphs)} paragraphs, 20 tables, {words} words, {len(first)} bytes")

    def baseline():
        document = docx.Document(io.BytesIO(first))
        "\n".join(p.text for p in document.paragraphs)

    policy, drafter = bench_policy()
    uploads = iter(range(10_000))

    # The search index's writes, timed apart: the part of the intake that makes
    # the version findable, in the same transaction (workflow.search.index).
    indexing = []
    index_version = search_index.index_version

    def timed_index_version(*args, **kwargs):
        start = time.perf_counter()
        try:
            return index_version(*args, **kwargs)
        finally:
            indexing.append(time.perf_counter() - start)

    search_index.index_version = timed_index_version

    def intake():
        # Same text each time; a distinct title keeps the bytes apart (no duplicate refusal).
        document = docx.Document(io.BytesIO(first))
        document.core_properties.title = f"run {next(uploads)}"
        buffer = io.BytesIO()
        document.save(buffer)
        upload = ContentFile(buffer.getvalue(), name="policy.docx")
        start = time.perf_counter()
        add_version(policy, actor=drafter, uploaded_file=upload)
        return time.perf_counter() - start

    older_content = extract(io.BytesIO(first))
    older, newer = older_content.lines(), extract(io.BytesIO(second)).lines()
    labels = {
        "title": "Redline",
        "older_label": "v1",
        "newer_label": "v2",
        "author": "Drafter",
        "date": datetime(2026, 1, 1, tzinfo=UTC),
    }

    def redline_pair(old_content, new_docx, runs=REDLINE_RUNS):
        """(comparison alone, former, ours) seconds for one pair, comparison included in both."""
        old_lines, new_lines = old_content.lines(), extract(io.BytesIO(new_docx)).lines()
        alone = median_seconds(lambda: compare(old_lines, new_lines), runs)
        former = median_seconds(lambda: python_docx_redline(compare(old_lines, new_lines)), runs)
        ours = median_seconds(lambda: redline_docx(old_content, new_docx, **labels), runs)
        return alone, former, ours

    base = median_seconds(baseline)
    floor = median_seconds(lambda: lxml_floor(first))
    ours = statistics.median(intake() for _ in range(RUNS))
    index_share = statistics.median(indexing)
    search_index.index_version = index_version
    bare_diff = median_seconds(lambda: difflib_diff(older, newer))
    comparison = median_seconds(lambda: compare(older, newer))
    summary = compare(older, newer).summary

    redlines = [("v1 -> v2 (5 % edited)", *redline_pair(older_content, second))]
    for count, runs in ((3000, REDLINE_RUNS), (10_000, 1)):
        text = policy_paragraphs(paragraphs=count)
        heavy_older = extract(io.BytesIO(policy_docx(text)))
        heavy_newer = policy_docx(edited(text, edit_share=0.9))
        label = f"{count:,} paragraphs, 90 % changed"
        redlines.append((label, *redline_pair(heavy_older, heavy_newer, runs)))

    add_version(policy, actor=drafter, uploaded_file=ContentFile(second, name="second.docx"))
    second_version, first_version = DocumentVersion.objects.order_by("-number")[:2]
    start = time.perf_counter()
    redline_record(first_version, second_version, actor=drafter)
    made = time.perf_counter() - start
    again = median_seconds(lambda: redline_record(first_version, second_version, actor=drafter))

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "big.docx"
        size = big_upload(path) / 2**20
        env = {k: v for k, v in os.environ.items() if k != "POLICYFLOW_VAR_DIR"}
        child = subprocess.run(
            [sys.executable, __file__, "--rss-child", str(path)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
    before, peak = (float(x) for x in child.stdout.split()[-2:])

    print()
    print(f"{'measure':<52}{'figure':>12}{'target':>16}")
    print(f"{'(a) baseline: python-docx open + text join':<52}{base:>11.3f}s{'':>16}")
    print(
        f"{'(b) intake: validate + hash + extract + store':<52}{ours:>11.3f}s"
        f"{f'<= {INTAKE_TARGET * base:.3f}s, < 1s':>16}"
    )
    print(f"{'    ratio to baseline':<52}{ours / base:>11.2f}x{f'<= {INTAKE_TARGET:.2f}x':>16}")
    print(f"{'    of which the search index of its text':<52}{index_share:>11.3f}s")
    print(
        f"{'    intake without the index, ratio to baseline':<52}"
        f"{(ours - index_share) / base:>11.2f}x"
    )
    print(f"{'    floor: sha256 + one lxml parse of the body':<52}{floor:>11.3f}s")
    print(f"{'    floor ratio to baseline':<52}{floor / base:>11.2f}x")
    print(f"{'(c) baseline: difflib, paragraphs then words':<52}{bare_diff:>11.3f}s")
    print(f"{'    compare v1 -> v2':<52}{comparison:>11.3f}s{'<= 0.250s':>16}")
    print(
        f"{'    ratio to the difflib diff':<52}{comparison / bare_diff:>11.2f}x"
        f"{f'<= {COMPARE_TARGET:.2f}x':>16}"
    )
    print(
        f"    changes found: {summary.paragraphs_changed} paragraphs changed, "
        f"{summary.paragraphs_added} added, {summary.paragraphs_removed} removed; "
        f"{summary.words_added} words added, {summary.words_removed} removed"
    )
    print(f"{f'(d) RSS before a {size:.1f} MiB upload':<52}{before:>10.1f}MiB{'':>16}")
    print(f"{'    peak RSS while taking it in':<52}{peak:>10.1f}MiB{'<= 150 MiB':>16}")
    print("(e) redline .docx, comparison included:")
    for label, alone, former, ours_redline in redlines:
        target = "<= 1.000s" if label.startswith("v1") else ""
        print(f"    {label}")
        print(f"{'      the comparison alone (as for the HTML page)':<52}{alone:>11.3f}s")
        print(f"{'      changes alone, former (python-docx)':<52}{former:>11.3f}s")
        print(f"{'      redline with tracked changes, now':<52}{ours_redline:>11.3f}s{target:>16}")
    print(f"{'    download view: made and stored, first request':<52}{made:>11.3f}s")
    print(f"{'    download view: every later request (cached)':<52}{again:>11.3f}s")
    redlines_met = all(now <= 1 for label, _, _, now in redlines if label.startswith("v1"))
    met = (
        ours <= INTAKE_TARGET * base
        and ours < 1
        and comparison <= 0.25
        and comparison <= COMPARE_TARGET * bare_diff
        and peak <= 150
        and redlines_met
    )
    print("\nAll targets met." if met else "\nSome targets NOT met.")


if __name__ == "__main__":
    if "--rss-child" in sys.argv:
        rss_child(sys.argv[-1])
    else:
        main()
