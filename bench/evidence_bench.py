"""Taking in an official letter: peak memory of a PDF bomb beside a normal PDF.

    .venv/bin/python bench/evidence_bench.py

Each PDF is taken in (``documents.services.validate_evidence``) by a fresh
process of its own, which reports its peak RSS before and after, and the
peak of Python's own allocations during a second intake (tracemalloc):

(a) baseline: a normal letter, 40 pages with a text layer;
(b) a scanned letter: an image-only page;
(c) a PDF bomb: one content stream of ~300 KiB that inflates 1,000:1 to
    300 MiB; refused (``stream_too_large``); target: peak RSS under 150 MiB;
(d) the same bomb behind an ASCIIHex filter, so that the inflating filter
    is not the first; refused the same way, same target.
Times are printed for information only. Runs against a throwaway SQLite
database; nothing else is touched.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MiB = 1024 * 1024


def setup_django():
    os.environ.setdefault("POLICYFLOW_VAR_DIR", tempfile.mkdtemp(prefix="policyflow-bench-"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "policyflow.settings"
    import django

    django.setup()


def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(path):
    """Take in the file at ``path``; print: outcome, seconds, RSS before, RSS peak, traced peak."""
    setup_django()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import validate_evidence

    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())

    def take_in():
        try:
            letter = validate_evidence(upload)
            return f"accepted:{letter.pages}p"
        except ValidationError as error:
            return f"refused:{error.code}"

    before = rss_mib()
    start = time.perf_counter()
    outcome = take_in()
    seconds = time.perf_counter() - start
    peak = rss_mib()
    # Again under tracemalloc (which slows it down), for Python's own allocations.
    tracemalloc.start()
    take_in()
    traced = tracemalloc.get_traced_memory()[1] / MiB
    tracemalloc.stop()
    print(outcome, f"{seconds:.3f}", f"{before:.1f}", f"{peak:.1f}", f"{traced:.1f}")


def main():
    from tests.documents import pdfs

    cases = [
        ("(a) baseline: a 40-page letter with text", "letter.pdf", lambda: _long_letter(pdfs)),
        ("(b) a scanned letter (image only)", "scan.pdf", pdfs.scanned_pdf),
        ("(c) PDF bomb: Flate, 1,000:1 to 300 MiB", "bomb.pdf", pdfs.flate_bomb),
        ("(d) PDF bomb behind ASCIIHex", "bomb2.pdf", pdfs.chained_bomb),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, name, build in cases:
            path = Path(scratch) / name
            path.write_bytes(build())
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            outcome, seconds, before, peak, traced = result.stdout.split()[-5:]
            size = path.stat().st_size / 1024
            rows.append((label, size, outcome, float(seconds), float(before), float(peak), traced))
    print()
    print(
        f"{'letter':<42}{'file':>10}{'outcome':>26}{'time':>9}"
        f"{'RSS before':>12}{'RSS peak':>10}{'traced':>9}{'target':>12}"
    )
    for label, size, outcome, seconds, before, peak, traced in rows:
        target = "< 150 MiB" if "bomb" in label else ""
        print(
            f"{label:<42}{size:>8.0f}KiB{outcome:>26}{seconds:>8.3f}s"
            f"{before:>10.1f}Mi{peak:>8.1f}Mi{float(traced):>7.1f}Mi{target:>12}"
        )
    baseline_peak = rows[0][5]
    worst = max(row[5] for row in rows if "bomb" in row[0])
    print()
    print(
        f"Peak RSS taking in a bomb: {worst:.1f} MiB (under 150 MiB: {worst < 150}); "
        f"a normal letter: {baseline_peak:.1f} MiB."
    )


def _long_letter(pdfs):
    text = "The Ministry supports the adoption of this policy and its implementation plan. " * 4
    return pdfs.text_pdf(text, pages=40)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
