"""Test settings: the real settings module, with test-only speed-ups.

Set DATABASE_URL to run the suite on PostgreSQL (CI does).
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("POLICYFLOW_VAR_DIR", tempfile.mkdtemp(prefix="policyflow-test-var-"))

from policyflow.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
