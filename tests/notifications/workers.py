"""Real processes for the notification tests: a Celery worker, a private Redis.

Everything here talks to 127.0.0.1 only, waits for a bounded time, and can
always be stopped: the tests call ``stop()`` in fixtures and ``finally``
blocks, so a failing test leaves no worker or redis-server behind.
"""

import collections
import contextlib
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
from urllib.parse import quote

import redis
from kombu import pools
from redis.backoff import NoBackoff
from redis.retry import Retry

from notifications import dispatch

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>]+>)\s*$", re.MULTILINE)


def wait_until(condition, *, timeout, interval=0.2, what="the condition"):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` s.

    ``what`` names the awaited thing in the error; a callable is asked only
    then, so it can show a log as it is at the end.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"Waited {timeout} s for {what() if callable(what) else what}.")
        time.sleep(interval)


def free_port(start=6390, end=6490):
    """A TCP port on 127.0.0.1 nobody listens on, from ``start`` up."""
    for port in range(start, end):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port between {start} and {end}.")


def database_url(settings_dict):
    """The DATABASE_URL of a Django connection's settings (the test database)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def message_ids(mail_dir):
    """How often each Message-ID occurs in the file backend's output."""
    counts = collections.Counter()
    for path in Path(mail_dir).glob("*.log"):
        counts.update(match.decode() for match in MESSAGE_ID.findall(path.read_bytes()))
    return counts


def _stop(process, *, grace):
    """Ask ``process`` (a session leader) to stop; kill its whole group after ``grace`` s."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    # Pool children outlive a main process that was killed; end them too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


class RedisServer:
    """A redis-server of the test's own, without persistence, on a fixed port.

    Restarting it on the same port is what a broker outage looks like to
    the clients: connections drop, queued messages are gone.
    """

    def __init__(self, directory, port=None):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.process = None
        self.starts = 0

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        # No retries: redis-py would otherwise spend seconds reconnecting to a
        # server that was just told to shut down.
        return redis.Redis(
            host="127.0.0.1",
            port=self.port,
            socket_timeout=3,
            socket_connect_timeout=2,
            retry=Retry(NoBackoff(), 0),
        )

    def start(self):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed.")
        self.starts += 1
        log = self.directory / f"redis-{self.starts}.log"
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no"),
                *("--dir", str(self.directory), "--logfile", str(log)),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self._answers, timeout=10, what=f"redis-server on port {self.port}")
        return self

    def _answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server on port {self.port} exited ({self.directory}).")
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """SHUTDOWN NOSAVE, as an operator restarting the broker would; then make sure."""
        if not self.running:
            return
        with contextlib.suppress(redis.RedisError):
            self.client().shutdown(nosave=True)
        _stop(self.process, grace=5)


class Worker:
    """``celery -A policyflow worker`` in a session of its own, logging to a file.

    ``env`` is the whole environment of the process (see ``worker_env``).
    """

    def __init__(self, env, log_dir, *, concurrency=2, pool="prefork", extra_args=()):
        self.env = env
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.concurrency = concurrency
        self.pool = pool
        self.extra_args = list(extra_args)
        self.name = f"pftest-{uuid.uuid4().hex[:8]}@127.0.0.1"
        self.process = None
        self.starts = 0

    def start(self, *, wait=True):
        self.starts += 1
        self.log = self.log_dir / f"worker-{self.starts}.log"
        with open(self.log, "wb") as output:
            self.process = subprocess.Popen(
                [
                    *(CELERY, "-A", "policyflow", "worker", "-n", self.name),
                    *("--pool", self.pool, "--concurrency", str(self.concurrency)),
                    *("--loglevel", "INFO", "--without-gossip", "--without-mingle"),
                    "--without-heartbeat",
                    *self.extra_args,
                ],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=60):
        def ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited early:\n{self.log_text()[-3000:]}")
            return b" ready." in self.log.read_bytes()

        wait_until(
            ready,
            timeout=timeout,
            what=lambda: f"worker {self.name} to start:\n{self.log_text()[-3000:]}",
        )

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def pool_pids(self):
        """The pids of the prefork pool's child processes."""
        if not self.running:
            return []
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                # The command may contain spaces; the parent pid follows its ")".
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    children.append(int(stat.parent.name))
        return children

    def kill(self):
        """SIGKILL the main process and its pool at once: the machine died."""
        if self.process is None:
            return 0
        killed = len(self.pool_pids())
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        return killed

    def kill_pool(self):
        """SIGKILL every pool process; the main process sees them lost and forks new ones."""
        pids = self.pool_pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return len(pids)

    def kill_child(self):
        """SIGKILL one pool process; the main process sees it lost and replaces it."""
        pids = self.pool_pids()
        if not pids:
            return 0
        with contextlib.suppress(ProcessLookupError):
            os.kill(pids[0], signal.SIGKILL)
        return 1

    def stop(self, grace=15):
        """A warm shutdown (SIGTERM), then SIGKILL for whatever is left."""
        if self.process is not None:
            _stop(self.process, grace=grace)


class Beat:
    """``celery -A policyflow beat`` in a session of its own, its schedule in ``directory``."""

    def __init__(self, env, directory):
        self.env = env
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.log = self.directory / "beat.log"
        self.process = None

    def start(self):
        with open(self.log, "wb") as output:
            self.process = subprocess.Popen(
                [
                    *(CELERY, "-A", "policyflow", "beat", "--loglevel", "INFO"),
                    *("--schedule", str(self.directory / "schedule")),
                ],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(
            lambda: b"beat: Starting" in self.log.read_bytes(),
            timeout=60,
            what=lambda: f"beat to start:\n{self.log.read_text(errors='replace')[-3000:]}",
        )
        return self

    def stop(self):
        if self.process is not None:
            _stop(self.process, grace=10)


def worker_env(*, database_url, broker_url, var_dir, **extra):
    """The environment of a worker on production settings, mail into ``var_dir``/mail."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The worker reads production settings; the test run's own must not leak in.
        if not key.startswith(("DJANGO_", "CELERY_", "EMAIL_", "PYTEST", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="policyflow.settings",
        SECRET_KEY="worker-secret-key-for-tests-only-0123456789abcdefghijklmnop",
        DEBUG="0",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        POLICYFLOW_VAR_DIR=str(var_dir),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


@contextlib.contextmanager
def publishing_to(app, broker_url):
    """Make ``app`` publish to ``broker_url`` instead of running tasks in-process.

    Celery's conf cannot be undone by monkeypatch, so the old values are
    assigned back; the connection pools are dropped both ways because they
    were made for the other URL.
    """
    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url
    _drop_pools(app)
    dispatch.resume_publishing()
    try:
        yield app
    finally:
        _drop_pools(app)
        dispatch.resume_publishing()  # a pause after a failure here must not outlive the test
        app.conf.task_always_eager, app.conf.broker_url = saved


def _drop_pools(app):
    # kombu keeps pools per URL in a registry of its own: empty it too, or
    # the app would be handed the closed pool again.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
