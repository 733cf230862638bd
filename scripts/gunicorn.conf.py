"""gunicorn's settings for policyflow, read by scripts/stack and the image.

    gunicorn --config scripts/gunicorn.conf.py --bind HOST:PORT

X-Forwarded-Proto is trusted exactly when Django trusts it: with
BEHIND_TLS_PROXY=1, from the proxy (every peer, unless FORWARDED_ALLOW_IPS
names it), and otherwise from nobody, not even 127.0.0.1 (gunicorn's own
default), or anyone on the machine could make a plain-HTTP request look
like HTTPS.
"""

import os

import environ

env = environ.Env()

wsgi_app = "policyflow.wsgi"
workers = env.int("WEB_CONCURRENCY", default=2)
accesslog = "-"
# A request is cut off after this long; the database gives up on it before
# (REQUEST_STATEMENT_TIMEOUT, REQUEST_LOCK_TIMEOUT), so it gets an answer.
timeout = 30
graceful_timeout = env.int("STACK_GRACE_SECONDS", default=30)

if env.bool("BEHIND_TLS_PROXY", default=False):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
else:
    forwarded_allow_ips = ""
