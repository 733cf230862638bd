"""A real S3-compatible server over HTTP for the object-storage tests.

moto's standalone server (``moto[server]``, a dev dependency) runs as a
process of its own on a free port of 127.0.0.1 for the whole test session;
the tests reach it through boto3 and plain HTTP, as production reaches
MinIO or S3. Each test gets a bucket of its own.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest

START_SECONDS = 30
STOP_SECONDS = 10
# moto accepts any credentials; these only need to be the same everywhere.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "policyflow-test", "AWS_SECRET_ACCESS_KEY": "policyflow-test"}
REGION = "us-east-1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@contextlib.contextmanager
def s3_server(log_path=os.devnull):
    """moto's S3 server in a process of its own; yields its endpoint URL."""
    port = free_port()
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not answers(port):
            if server.poll() is not None:
                raise RuntimeError(f"moto's server exited with status {server.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"moto's server did not listen within {START_SECONDS} s")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def client(endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def new_bucket(endpoint):
    name = f"policyflow-{uuid.uuid4().hex[:16]}"
    client(endpoint).create_bucket(Bucket=name)
    return name


def object_names(endpoint, bucket):
    listed = client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(entry["Key"] for entry in listed.get("Contents", ()))


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    with s3_server(tmp_path_factory.mktemp("moto") / "server.log") as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint, settings, private_storage, monkeypatch):
    """Private storage in a fresh bucket of the S3 server, as STORAGE_URL sets it.

    Yields the bucket's name; files go under the prefix ``files/``.
    """
    from policyflow.storage_url import private_storage as storage_from_url

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = new_bucket(s3_endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(
            f"s3://{bucket}/files?endpoint_url={s3_endpoint}&region={REGION}",
            documents_root=private_storage,
            link_seconds=settings.DOWNLOAD_LINK_SECONDS,
            spool_bytes=2 * 1024 * 1024,
        ),
    }
    return bucket
