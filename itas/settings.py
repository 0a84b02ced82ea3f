"""One settings module, read from the environment (see .env.example)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

DEBUG = env.bool("ITAS_DEBUG", default=False)
DEMO_MODE = env.bool("ITAS_DEMO", default=False)
SECRET_KEY = env.str(
    "ITAS_SECRET_KEY", default="django-insecure-development-key-set-ITAS_SECRET_KEY-in-production"
)
# Servers (wsgi.py, a Celery worker) refuse to start on the public default outside demo/debug:
# anyone could sign sessions, reset links and the abuse hash with it (itas/core/startup.py).
SECRET_KEY_FROM_ENVIRONMENT = bool(env.str("ITAS_SECRET_KEY", default=""))
ALLOWED_HOSTS = env.list("ITAS_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("ITAS_CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links: this address when set, else the one each request came to (itas.core.links).
PUBLIC_BASE_URL = env.str("ITAS_PUBLIC_BASE_URL", default="")
VAR_DIR = Path(env.str("ITAS_VAR_DIR", default=str(PROJECT_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # Ours, in the order the year flows; each imports only from those above it.
    "itas.core",
    "itas.geo",
    "itas.agencies",
    "itas.accounts",
    "itas.frameworks",
    "itas.cycles",
    "itas.surveys",
    "itas.disclosure",
    "itas.scoring",
    "itas.improvement",
    "itas.reports",
    "itas.api",
    "itas.events",
    "itas.followup",
    "itas.demo",
]

MIDDLEWARE = [
    "itas.core.unavailable.NoCookiesOnFailureMiddleware",
    "itas.core.links.CurrentRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "itas.core.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The respondent's pages skip what follows (itas/core/lean.py).
    "itas.core.lean.LeanMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "itas.core.middleware.ThaiFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "itas.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itas.urls"
WSGI_APPLICATION = "itas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "itas.core.context_processors.site",
            ],
            "builtins": ["itas.core.templatetags.thai", "itas.core.templatetags.layout"],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'itas.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database lives in var/, which a fresh clone does not have yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers proceed while one writer commits; busy timeout rides out write bursts.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too (pytest-django adds a suffix per xdist worker): Django's default
    # in-memory shared-cache test database answers a second writer with SQLITE_LOCKED, which
    # no busy timeout waits on, so concurrency would fail there and nowhere else.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("ITAS_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # libpq waits for ever on an unreachable server by default; a request should not.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# The respondent's statements prepared once per connection (itas/core/prepared.py); off behind
# a connection pooler that does not keep prepared statements (PgBouncer in transaction mode).
ITAS_PREPARED_STATEMENTS = env.bool("ITAS_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's own validators, worded so that they have a Thai translation.
    {"NAME": "itas.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "itas.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "itas.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "itas.accounts.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AXES_FAILURE_LIMIT = env.int("ITAS_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env.bool("ITAS_AXES_ENABLED", default=True)
# The real client behind ITAS_PROXY_COUNT proxies, as everywhere else (itas/accounts/lockout.py).
AXES_CLIENT_IP_CALLABLE = "itas.core.net.client_ip"
ITAS_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("ITAS_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "ITAS_STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# E-mail: kept in the outbox table in demo mode (readable by NACC admins), SMTP otherwise.
EMAIL_BACKEND = env.str(
    "ITAS_EMAIL_BACKEND",
    default="itas.core.mail.OutboxBackend"
    if DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("ITAS_EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("ITAS_EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("ITAS_FROM_EMAIL", default="ITAS <no-reply@itas.local>")

# Without a broker, tasks run in-process; the in-memory transport keeps kombu from looking
# for a broker on localhost.
CELERY_TASK_ALWAYS_EAGER = not env.str("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# Background jobs that never strand (docs/deploy.md): a task whose worker dies goes back to
# the queue (acks late + reject on a lost worker; every task is idempotent); no task runs
# longer than 15 minutes (national scoring takes ~25 s, publishing ~60 s), and the broker
# hands an unacknowledged message to another worker after 30 minutes, not kombu's hour; the
# worker keeps retrying a lost broker instead of exiting.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SOFT_TIME_LIMIT = 840
CELERY_TASK_TIME_LIMIT = 900
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Periodic jobs (run `celery -A itas beat`, exactly one): the heartbeat that proves the job
# path works (itas/core/health.py), the sweeps of stranded jobs, and the early warning's
# periodic refresh.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "itas.core.tasks.heartbeat", "schedule": 60.0},
    "sweep-link-checks": {"task": "itas.disclosure.tasks.sweep_link_checks", "schedule": 300.0},
    "sweep-scoring-runs": {"task": "itas.scoring.tasks.sweep_scoring_runs", "schedule": 300.0},
    "sweep-credibility-runs": {
        "task": "itas.surveys.credibility.tasks.sweep_credibility_runs",
        "schedule": 300.0,
    },
    # The early warning of every open cycle, refreshed in the background (a national refresh
    # takes a few seconds; answers and OIT decisions change by the hour).
    "refresh-early-warnings": {
        "task": "itas.improvement.tasks.refresh_open_cycles",
        "schedule": env.float("ITAS_WARNING_REFRESH_SECONDS", default=3600.0),
    },
    "sweep-warning-runs": {"task": "itas.improvement.tasks.sweep_warning_runs", "schedule": 300.0},
}

# Every Redis client gives up quickly: a paused or unreachable Redis must cost a request a
# fraction of a second, not redis-py's default of waiting for ever (the cache is optional on
# every respondent path, see itas/core/cacheguard.py).
REDIS_SOCKET_TIMEOUT = env.float("ITAS_REDIS_SOCKET_TIMEOUT", default=0.3)
ITAS_CACHE_RETRY_SECONDS = env.float("ITAS_CACHE_RETRY_SECONDS", default=5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    # Above the longest task (CELERY_TASK_TIME_LIMIT below): a message still being worked on
    # is never handed to a second worker.
    "visibility_timeout": 1800,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_SOCKET_TIMEOUT

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ITAS open data API",
    "DESCRIPTION": "Published results of the Integrity and Transparency Assessment.",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

SESSION_COOKIE_SECURE = env.bool("ITAS_SECURE_COOKIES", default=not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# A working day, less for staff (itas/accounts/sessions.py), instead of Django's two weeks.
SESSION_COOKIE_AGE = env.int("ITAS_SESSION_HOURS", default=8) * 3600
ITAS_STAFF_SESSION_HOURS = env.int("ITAS_STAFF_SESSION_HOURS", default=2)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("ITAS_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("ITAS_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("ITAS_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("ITAS_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script, style, font and image comes from this
# site's own files, and nothing inline runs or styles a page: no <script> or <style> element in
# the markup, no onclick=, no style="..." (templates use classes: static/itas/pct.css for
# percentages; behaviour in static/itas/behaviour.js and each app's static files; JSON data
# through json_script, which a browser never executes). data: images are Bootstrap's own icons
# (SVG in its CSS). See docs/deploy.md; tests/core/test_csp.py and tests/e2e/test_csp_e2e.py.
SELF, NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    # No code, address, browser or time finer than the hour about a questionnaire request.
    "filters": {"public_paths": {"()": "itas.core.logs.PublicPathFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["public_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("ITAS_LOG_LEVEL", default="WARNING")},
    # The development server's request lines (make demo) go through the same filter.
    # Django's own handlers (its DEBUG console) would print a record before the filter ran.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# How many trusted reverse proxies stand in front: the respondent's address (for the abuse
# hash only) is then read from X-Forwarded-For, not the proxy's own address.
ITAS_PROXY_COUNT = env.int("ITAS_PROXY_COUNT", default=0)

# Outside tests, the link checker refuses private and loopback targets (SSRF).
ITAS_LINKCHECK_ALLOW_PRIVATE = env.bool("ITAS_LINKCHECK_ALLOW_PRIVATE", default=False)
# A check running this long was abandoned (its worker died); pending this long, its message was
# lost: taken over / queued again (itas/disclosure/linkcheck.py). The fault bench shortens them.
ITAS_LINKCHECK_STALE_RUNNING_SECONDS = env.int("ITAS_LINKCHECK_STALE_RUNNING_SECONDS", default=300)
ITAS_LINKCHECK_STALE_PENDING_SECONDS = env.int("ITAS_LINKCHECK_STALE_PENDING_SECONDS", default=600)

# Cycles: deadline reminders to agency admins, this many days before each agency deadline.
ITAS_REMINDER_DAYS_BEFORE = [
    int(d) for d in env.list("ITAS_REMINDER_DAYS_BEFORE", default=["7", "1"])
]

# Surveys (see itas/surveys/limits.py and docs/surveys.md): generous limits on the public
# questionnaire that protect the service without blocking an office behind one IP address.
ITAS_SURVEY_LIMITS = {
    "client_per_minute": env.int("ITAS_SURVEY_CLIENT_PER_MINUTE", default=120),
    "ip_per_minute": env.int("ITAS_SURVEY_IP_PER_MINUTE", default=3000),
    "code_per_minute": env.int("ITAS_SURVEY_CODE_PER_MINUTE", default=6000),
    "unknown_per_ip_per_10_minutes": env.int("ITAS_SURVEY_UNKNOWN_PER_10_MINUTES", default=30),
    "hash_per_10_minutes": env.int("ITAS_SURVEY_HASH_PER_10_MINUTES", default=40),
}
ITAS_SURVEY_FLAGS = {
    "min_seconds_per_item": env.float("ITAS_SURVEY_MIN_SECONDS_PER_ITEM", default=1.0),
    "burst_count": env.int("ITAS_SURVEY_BURST_COUNT", default=5),
    "burst_minutes": env.int("ITAS_SURVEY_BURST_MINUTES", default=10),
    "straight_line_min_items": env.int("ITAS_SURVEY_STRAIGHT_LINE_MIN_ITEMS", default=8),
}

# Open data (the yearly Data Package and the DCAT catalogue): the licence NACC publishes under
# and the publisher's name. The real licence is NACC's decision, hence a setting.
ITAS_OPEN_DATA_LICENCE = {
    "name": env.str("ITAS_OPEN_DATA_LICENCE_NAME", default="CC-BY-4.0"),
    "title": env.str(
        "ITAS_OPEN_DATA_LICENCE_TITLE", default="Creative Commons Attribution 4.0 International"
    ),
    "url": env.str(
        "ITAS_OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
    ),
}
ITAS_OPEN_DATA_PUBLISHER = env.str(
    "ITAS_OPEN_DATA_PUBLISHER",
    default="สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.)",
)
