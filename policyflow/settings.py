"""Settings for policyflow, read from the environment.

Every value that differs between a laptop and production comes from an
environment variable (see the README's configuration table). The defaults
are the embedded ones: SQLite under ``var/``, tasks run in-process, mail
written to files under ``var/mail/``.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from policyflow.storage_url import private_storage

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("POLICYFLOW_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# A TLS-terminating proxy in front sets X-Forwarded-Proto and X-Forwarded-For.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
# Set by `make demo`. Only then is the demo app installed: its `load_demo`
# (demo users with a published password, `admin` a superuser), the demo
# accounts on the sign-in page, the app's own 404 under DEBUG.
POLICYFLOW_DEMO = env.bool("POLICYFLOW_DEMO", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_htmx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project's own checks (policyflow.checks).
    "policyflow",
    "notifications",
    "workflow",
    "documents",
    "api",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files under gunicorn, with caching headers.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "policyflow.query_strings.AdminQueryStringMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "policyflow.cache_control.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "policyflow.middleware.UserErrorMiddleware",
    # Slows sign-ins past the per-account and per-address caps.
    "policyflow.sign_in_throttle.SignInThrottleMiddleware",
    # Last, as django-axes asks: it turns a lockout into the cool-off page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "policyflow.urls"
WSGI_APPLICATION = "policyflow.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
                "web.context_processors.navigation",
            ],
            # Dates, times and country names in the reader's language, on every template.
            "builtins": ["web.templatetags.localised"],
        },
    },
]

if POLICYFLOW_DEMO:
    INSTALLED_APPS.append("demo")
    MIDDLEWARE.append("demo.middleware.NotFoundPageMiddleware")
    TEMPLATES[0]["OPTIONS"]["context_processors"].append("demo.context_processors.demo_accounts")

# Database. SQLite transactions start IMMEDIATE so that the writer lock is
# taken at BEGIN: two services acting on one policy queue up instead of
# failing half-way with "database is locked".
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'policyflow.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# Seconds a web request may wait on a row lock, and run one statement, before
# PostgreSQL gives up and the page says "busy, try again" (503); 0 waits for
# ever. Both stay below gunicorn's 30 s timeout. Workers and commands are
# not bound by them (see policyflow/middleware.py).
REQUEST_LOCK_TIMEOUT = env.float("REQUEST_LOCK_TIMEOUT", default=5.0)
REQUEST_STATEMENT_TIMEOUT = env.float("REQUEST_STATEMENT_TIMEOUT", default=20.0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins are throttled per account and address: after
# AXES_FAILURE_LIMIT failures in a row, that pair waits out the cool-off.
# Across pairs, policyflow.sign_in_throttle slows (never locks) an account
# tried from many addresses and an address trying many accounts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "policyflow.client_address.client_address"
AXES_USERNAME_CALLABLE = "policyflow.sign_in_throttle.username_of"
# The failure log is what the caps below count; the throttle keeps a day of
# it. Even an account at its cap all day stays far below this per-account
# bound (past it, django-axes would drop the newest rows).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 10_000
SIGN_IN_FAILURES_PER_ACCOUNT = env.int("SIGN_IN_FAILURES_PER_ACCOUNT", default=10)
SIGN_IN_FAILURES_PER_ADDRESS = env.int("SIGN_IN_FAILURES_PER_ADDRESS", default=30)
SIGN_IN_WINDOW_MINUTES = env.int("SIGN_IN_WINDOW_MINUTES", default=15)

# Content-Security-Policy: scripts and styles only from policyflow itself,
# never inline, so injected markup cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Internationalisation. Users read English, Arabic, Dari, Pashto and Urdu.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Dari")),
    ("ps", _("Pashto")),
    ("ur", _("Urdu")),
]
# Django knows Arabic, Persian and Urdu as right-to-left; Pashto too.
LANGUAGES_BIDI = ["he", "ar", "ar-dz", "ckb", "fa", "ps", "ug", "ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The official endorsement record is written in one language, whoever endorses
# and whichever process makes it.
RECORD_LANGUAGE = env.str("RECORD_LANGUAGE", default=LANGUAGE_CODE)
if RECORD_LANGUAGE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"RECORD_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}, not {RECORD_LANGUAGE!r}."
    )
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# One unambiguous date format in every language (month as a word).
FORMAT_MODULE_PATH = ["policyflow.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic

# Uploaded policy documents and generated records are private: they live
# outside any served directory and are only handed out by views that check
# who is asking. On local disk under DOCUMENTS_ROOT by default; in an
# S3-compatible bucket when STORAGE_URL names one (s3://bucket/prefix?…,
# policyflow.storage_url), which every web and worker host then shares. A
# download from the bucket is a signed link, valid for DOWNLOAD_LINK_SECONDS.
DOCUMENTS_ROOT = Path(env.str("DOCUMENTS_ROOT", default=str(VAR_DIR / "documents")))
STORAGE_URL = env.str("STORAGE_URL", default="")
DOWNLOAD_LINK_SECONDS = env.int("DOWNLOAD_LINK_SECONDS", default=120)
if not 1 <= DOWNLOAD_LINK_SECONDS <= 900:
    raise ImproperlyConfigured("DOWNLOAD_LINK_SECONDS must be between 1 and 900 (15 minutes).")
STORAGES = {
    "default": private_storage(
        STORAGE_URL,
        documents_root=DOCUMENTS_ROOT,
        link_seconds=DOWNLOAD_LINK_SECONDS,
        # Stored files read back (a redline's source) spool to disk past this size.
        spool_bytes=2 * 1024 * 1024,
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# Seconds python-docx may take to open an upload before it counts as unreadable.
DOCUMENT_OPEN_TIMEOUT = env.float("DOCUMENT_OPEN_TIMEOUT", default=10.0)
# Official letters (support letters, endorsement decrees): the largest file,
# the most pages of a PDF; reading one is bounded by DOCUMENT_OPEN_TIMEOUT.
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
EVIDENCE_MAX_PAGES = env.int("EVIDENCE_MAX_PAGES", default=500)
# Django reads uploads above this into a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The shared cache: the API's rate limits count here, so that every web
# process counts alike. Redis when CACHE_URL names it (every wait bounded, as
# for the broker); the embedded default keeps it in each process's memory.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 3},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The HTTP API (api/). Personal tokens are sent as "Authorization: Bearer";
# the browser's session works too, with its CSRF check. Errors are RFC 9457
# problem details (api.problems).
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=90)
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerCredentialThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_details",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    # What a response is comes from Accept alone, never from a ?format= parameter.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "policyflow API",
    "DESCRIPTION": (
        "Policies, their versions, reviews, supports, endorsements and history, "
        "with the workflow's own rules. Errors are RFC 9457 problem details."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PolicyStateEnum": "workflow.models.Policy.State",
        "ReviewDecisionEnum": "workflow.models.Review.Decision",
        "SupportDecisionEnum": "workflow.models.Support.Decision",
        "MembershipRoleEnum": "workflow.models.Membership.Role",
    },
}

# Email: files under var/mail by default, SMTP when EMAIL_URL says so.
EMAIL_FILE_PATH = VAR_DIR / "mail"
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="policyflow <no-reply@localhost>")
# Outgoing Message-IDs are derived from each message's idempotency key.
EMAIL_MESSAGE_ID_DOMAIN = env.str("EMAIL_MESSAGE_ID_DOMAIN", default="policyflow.local")
# Absolute links in emails start with this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Off, as on a server shared by several implementers: coordinators read the
# policies of the projects their organisation implements, observers those of
# the projects it funds. On, coordinators and observers read every policy
# (a deployment with a single implementer).
READ_WHOLE_PORTFOLIO = env.bool("READ_WHOLE_PORTFOLIO", default=False)

# Notifications: attempts before an outbox row is marked dead; reminders.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
# How long a delivery holds an outbox row without renewing its lease; after
# that the sweeper may take it again (the delivery died). Renewed while it
# works, so it only needs to outlast one email (EMAIL_TIMEOUT).
NOTIFICATION_LEASE_SECONDS = env.int("NOTIFICATION_LEASE_SECONDS", default=30)
# Seconds an SMTP server may keep a delivery waiting.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
REMINDER_PERIOD_DAYS = env.int("REMINDER_PERIOD_DAYS", default=7)
# Webhooks go to public addresses only: a registrant could otherwise aim them
# at the server's own network. On for a receiver on the same host or LAN.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
# Seconds a webhook receiver may take to connect, and between bytes of its answer.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=5.0)
ENDORSEMENT_REMINDER_AFTER_DAYS = env.int("ENDORSEMENT_REMINDER_AFTER_DAYS", default=30)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Without a broker, tasks run in-process, so the embedded default
# needs neither Redis nor a worker. Every Redis wait is bounded: a request
# must never hang on a broker that is down.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
    "visibility_timeout": 3600,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 3
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup otherwise opens a new database connection for every
# task; policyflow.celery drops stale connections before each task instead.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Losing the broker: the worker keeps reconnecting for as long as it takes
# (policyflow.celery.Consumer, every 2 s at most), and cancels the tasks it
# was running, whose messages go back to the queue (acks_late) and whose
# outbox leases run out: they would otherwise run twice.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_CONSUMER = "policyflow.celery:Consumer"
# No worker listens to events, gossip or mingle (the worker runs with
# --without-gossip --without-mingle --without-heartbeat).
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE = {
    # Often, and cheap (one indexed query): rows a dead delivery held come
    # back within a lease and this period.
    "sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 15.0},
    "send-reminders": {
        "task": "workflow.send_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "make-missing-endorsement-records": {
        "task": "documents.make_missing_endorsement_records",
        "schedule": 60.0,
    },
    "remove-orphaned-files": {"task": "documents.remove_orphaned_files", "schedule": 3600.0},
}

# Production hardening: on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
# Opt-in: subdomains bind every host under the domain to HTTPS, hosts this app
# does not run among them, and preload asks browsers to ship that in their
# lists, which takes months to undo. Their deploy warnings are silenced below.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = [
    # HSTS without includeSubDomains (W005) and without preload (W021): a
    # deliberate default, opted into above from the environment.
    "security.W005",
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 or 400 is one line; a 500 keeps its traceback.
    "filters": {"refusals_in_one_line": {"()": "policyflow.log_filters.RefusalsInOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusals_in_one_line"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-axes logs every sign-in at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # Filtered where it is logged too, so that every handler sees one line.
        "django.request": {"filters": ["refusals_in_one_line"]},
        # Run in-process (no broker), every task would print a line of its own
        # among the messages meant for the person at the console.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}
