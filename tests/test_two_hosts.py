"""Two hosts share only PostgreSQL, Redis and the object store.

The web server (gunicorn) and a Celery worker run as separate processes,
each with a data directory (POLICYFLOW_VAR_DIR) of its own, against the
local PostgreSQL and Redis and moto's S3 server (tests/s3.py), as two
machines would. A version is uploaded through the web, the policy endorsed
through the web, the endorsement record made by the worker, and both files
downloaded through the web with the right SHA-256.
"""

import hashlib
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.factories import docx_bytes
from tests.s3 import CREDENTIALS, REGION, client, new_bucket, object_names
from tests.test_stack import STACK_DATABASE_HOST, drop_database, free_port, reachable, serves

pytestmark = [pytest.mark.stack, pytest.mark.s3]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BROKER_URL = "redis://127.0.0.1:6379/11"  # database numbers of their own
CACHE_URL = "redis://127.0.0.1:6379/12"
START_SECONDS = 60
STOP_SECONDS = 30
RECORD_SECONDS = 60


def create_database(name):
    import psycopg
    from psycopg import sql

    url = f"postgres://postgres@{STACK_DATABASE_HOST}:5432/postgres"
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def host_env(var_dir, *, database, storage_url):
    """What one host's processes are given: production settings, its own data directory."""
    env = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL") if key in os.environ}
    env.update(
        CREDENTIALS,
        HOME=str(var_dir),
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="policyflow.settings",
        DEBUG="0",
        SECRET_KEY="two-hosts-" + "0123456789abcdef" * 4,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"postgres://postgres@{STACK_DATABASE_HOST}:5432/{database}",
        CELERY_BROKER_URL=BROKER_URL,
        CACHE_URL=CACHE_URL,
        STORAGE_URL=storage_url,
        POLICYFLOW_VAR_DIR=str(var_dir),
    )
    return env


def run(env, *command):
    result = subprocess.run(
        [str(BIN / "python"), *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def start(env, log, *command):
    with log.open("wb") as output:
        return subprocess.Popen(
            [str(BIN / command[0]), *command[1:]],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def request(port, method, path, *, token, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Authorization": f"Bearer {token}", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def follow(url):
    """GET a signed link as a browser would (no app credentials)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def multipart(name, filename, content):
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def files_under(directory):
    return sorted(str(path) for path in Path(directory).rglob("*") if path.is_file())


def test_web_and_worker_on_two_hosts_share_only_database_redis_and_object_store(
    tmp_path, s3_endpoint
):
    if not reachable(STACK_DATABASE_HOST, 5432):
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    if not reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")

    bucket = new_bucket(s3_endpoint)
    storage_url = f"s3://{bucket}/documents?endpoint_url={s3_endpoint}&region={REGION}"
    database = f"policyflow_hosts_{uuid.uuid4().hex[:12]}"
    web_host, worker_host, admin_host = (tmp_path / name for name in ("web", "worker", "admin"))
    for directory in (web_host, worker_host, admin_host):
        directory.mkdir()
    env = {
        name: host_env(directory, database=database, storage_url=storage_url)
        for name, directory in (("web", web_host), ("worker", worker_host), ("admin", admin_host))
    }
    port = free_port()
    create_database(database)
    web = worker = None
    try:
        run(env["admin"], "manage.py", "migrate", "--noinput", "--verbosity", "0")
        given = json.loads(run(env["admin"], "-m", "tests.two_hosts", "prepare"))
        policy = given["policy"]

        web = start(
            {**env["web"], "WEB_CONCURRENCY": "2"},
            tmp_path / "web.log",
            *("gunicorn", "policyflow.wsgi", "--config", "scripts/gunicorn.conf.py"),
            *("--bind", f"127.0.0.1:{port}"),
        )
        worker = start(
            env["worker"],
            tmp_path / "worker.log",
            *("celery", "-A", "policyflow", "worker", "--pool", "solo", "--loglevel", "INFO"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        )
        deadline = time.monotonic() + START_SECONDS
        while not (serves(port) and " ready." in (tmp_path / "worker.log").read_text()):
            assert web.poll() is None, (tmp_path / "web.log").read_text()
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, "the web server or the worker did not start"
            time.sleep(0.25)

        # The drafter uploads a version through the web.
        content = docx_bytes("Purpose of the policy.", f"Draft {secrets.token_hex(8)}.")
        body, headers = multipart("file", "PK policy v1.docx", content)
        status, _, answer = request(
            port,
            "POST",
            f"/api/v1/policies/{policy}/versions/",
            token=given["drafter"],
            body=body,
            headers=headers,
        )
        assert status == 201, answer
        assert json.loads(answer)["sha256"] == hashlib.sha256(content).hexdigest()

        run(env["admin"], "-m", "tests.two_hosts", "review", str(policy))

        # The ministry endorses it through the web; the worker makes the record.
        status, _, answer = request(
            port,
            "POST",
            f"/api/v1/policies/{policy}/transitions/endorse/",
            token=given["endorser"],
            body=json.dumps(
                {
                    "instrument": "Cabinet decision 12/2026",
                    "date": time.strftime("%Y-%m-%d", time.gmtime()),
                    "acknowledged": True,
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        assert status == 200, answer

        record_path = f"/api/v1/policies/{policy}/endorsement/record/"
        deadline = time.monotonic() + RECORD_SECONDS
        while True:
            status, headers, answer = request(port, "GET", record_path, token=given["endorser"])
            if status == 302:
                break
            assert status == 404, answer
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.5)
        status, record_headers, record = follow(headers["Location"])
        assert status == 200
        assert record_headers["Content-Disposition"].startswith("attachment;")
        assert record.startswith(b"PK")

        # The record the worker stored is the one the web hands out, byte for byte.
        import psycopg

        url = env["admin"]["DATABASE_URL"]
        with psycopg.connect(url, connect_timeout=5) as connection:
            stored_name, stored_sha256 = connection.execute(
                "SELECT file, sha256 FROM documents_generatedrecord WHERE kind = %s",
                ["endorsement_record"],
            ).fetchone()
        assert hashlib.sha256(record).hexdigest() == stored_sha256
        in_bucket = client(s3_endpoint).get_object(Bucket=bucket, Key=f"documents/{stored_name}")
        assert hashlib.sha256(in_bucket["Body"].read()).hexdigest() == stored_sha256
        worker_log = (tmp_path / "worker.log").read_text()
        assert any(
            "documents.make_endorsement_record[" in line and " succeeded in " in line
            for line in worker_log.splitlines()
        ), worker_log

        # The version, downloaded through the web, is the uploaded file.
        status, headers, _ = request(
            port, "GET", f"/api/v1/policies/{policy}/versions/1/file/", token=given["endorser"]
        )
        assert status == 302
        status, version_headers, version = follow(headers["Location"])
        assert status == 200
        assert hashlib.sha256(version).hexdigest() == hashlib.sha256(content).hexdigest()
        assert "PK%20policy%20v1.docx" in version_headers["Content-Disposition"] or (
            'filename="PK policy v1.docx"' in version_headers["Content-Disposition"]
        )

        # Both files are in the bucket and on neither host's disk.
        assert len(object_names(s3_endpoint, bucket)) == 2
        for host in (web_host, worker_host):
            assert files_under(host / "documents") == []
    finally:
        for process in (web, worker):
            if process is not None:
                stop(process)
        drop_database(database)
