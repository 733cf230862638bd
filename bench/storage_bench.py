"""Peak memory of a 25 MiB upload stored in an S3-compatible bucket, beside local disk.

    .venv/bin/python bench/storage_bench.py

Each figure comes from a fresh process that takes in the same upload
through ``add_version`` (validate, hash, extract, store) and then reads it
back once through the storage API (as the redline does), and reports its
own RSS: before the upload, its peak while taking it in (VmHWM, reset just
before), and its peak while reading it back.

- baseline: ``STORAGE_URL`` unset, the private directory on local disk;
- object storage: ``STORAGE_URL`` naming a bucket of moto's S3 server
  (``moto[server]``, the dev dependency the tests use), over HTTP on
  127.0.0.1, in a process of its own so that its memory is not counted.

Target: the upload adds at most 100 MiB to the process's RSS with object
storage configured (the process itself, Django and boto3 loaded, starts
near 90 MiB, so its whole peak is printed too). Last, the store step alone
under tracemalloc: the most Python memory it held at once, which shows
the file streamed in parts rather than read whole. Runs against
throwaway SQLite databases and directories; nothing else is touched.
"""

import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.documents_bench import bench_policy, big_upload, memory_mib, setup_django  # noqa: E402

TARGET_MIB = 100


def child(path):
    """In a fresh process: take in the upload at ``path``, read it back, print RSS in MiB."""
    setup_django()
    from django.core.files import File
    from django.core.files.storage import default_storage

    from documents.services import add_version

    policy, drafter = bench_policy()
    # A long-running server has its storage client loaded: load it here too
    # (boto3's S3 model alone is tens of MiB), so that the peak is the upload's.
    default_storage.exists("bench/warm-up")
    before = memory_mib("VmRSS")
    # Start the high-water mark afresh: what setup touched is not the intake's.
    Path("/proc/self/clear_refs").write_text("5")
    with open(path, "rb") as upload:
        version = add_version(policy, actor=drafter, uploaded_file=File(upload, name="big.docx"))
    upload_peak = memory_mib("VmHWM")
    Path("/proc/self/clear_refs").write_text("5")
    with version.file.open("rb") as stored:
        while stored.read(1 << 20):
            pass
    read_peak = memory_mib("VmHWM")
    # The store step alone, as Python sees it: the most it held at once.
    tracemalloc.start()
    with open(path, "rb") as upload:
        default_storage.save("bench/again.docx", File(upload))
    stored_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    backend = default_storage.__class__.__name__
    print(f"{before:.1f} {upload_peak:.1f} {read_peak:.1f} {stored_peak:.1f} {backend}")


def measure(path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("POLICYFLOW_VAR_DIR", "STORAGE_URL")}
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**clean, **env},
        timeout=600,
    )
    *figures, backend = result.stdout.split()[-5:]
    return (*(float(figure) for figure in figures), backend)


def main():
    from tests.s3 import CREDENTIALS, REGION, new_bucket, s3_server

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "big.docx"
        size = big_upload(path) / 2**20
        local = measure(path)
        with s3_server() as endpoint:
            os.environ.update(CREDENTIALS)
            bucket = new_bucket(endpoint)
            remote = measure(
                path,
                STORAGE_URL=f"s3://{bucket}/bench?endpoint_url={endpoint}&region={REGION}",
                **CREDENTIALS,
            )

    print(f"\nA {size:.1f} MiB upload through add_version, then read back through the storage API")
    print(f"{'MiB':<46}{'local disk':>12}{'object storage':>16}{'target':>10}")
    rows = [
        ("RSS before the upload (Django, storage client)", local[0], remote[0], ""),
        ("peak RSS while taking it in", local[1], remote[1], ""),
        (
            "  added by the upload (peak - before)",
            local[1] - local[0],
            remote[1] - remote[0],
            "<= 100",
        ),
        ("peak RSS while reading it back", local[2], remote[2], ""),
        ("storing alone: most Python held (tracemalloc)", local[3], remote[3], ""),
    ]
    for label, on_disk, in_bucket, target in rows:
        print(f"{label:<46}{on_disk:>12.1f}{in_bucket:>16.1f}{target:>10}")
    print(f"(backends: {local[4]}, {remote[4]})")
    met = remote[1] - remote[0] <= TARGET_MIB
    print("\nTarget met." if met else "\nTarget NOT met.")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[-1])
    else:
        main()
