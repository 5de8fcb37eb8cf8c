"""kesu settings: everything comes from environment variables with safe
development defaults. KESU_ENV=production refuses to start without real
secrets (see `_require`)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KESU_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("KESU_ENV", "development")
PRODUCTION = ENV == "production"
DEV_SECRET = "dev-insecure-secret-key-never-use-in-production"


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _require(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when KESU_ENV=production")
    return value


SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
if PRODUCTION and (SECRET_KEY == DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be a real key (>= 50 chars) in production"
    )

DEBUG = _env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = os.environ.get(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
).split(",")
if PRODUCTION:
    _require("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",  # A3 lockout
    "django_otp",  # A5 two-factor
    "django_otp.plugins.otp_totp",
    # domain apps, in dependency order
    "kesu.organisation",
    "kesu.accounts",
    "kesu.sla",
    "kesu.classification",
    "kesu.audit",
    "kesu.security",
    "kesu.notifications",
    "kesu.complaints",
    "kesu.supervision",
    "kesu.committee",
    "kesu.reports",
    "kesu.web",
    "kesu.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # A5
    "kesu.audit.context.AuditContextMiddleware",  # C2: IP for audit rows
    "kesu.security.middleware.SessionPolicyMiddleware",  # A4 timeouts, A2 expiry
    "kesu.security.middleware.RateLimitMiddleware",  # F5, A3
    "kesu.security.middleware.SecurityHeadersMiddleware",  # CSP, D5 no-store
    "kesu.security.middleware.ApiJsonErrorsMiddleware",  # G6: JSON errors under /api/
    "kesu.security.middleware.AccessAuditMiddleware",  # C1 refused access
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # A3: must be last
]

ROOT_URLCONF = "kesu.urls"
WSGI_APPLICATION = "kesu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kesu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
# Embedded default: SQLite in var/. Production/CI: DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kesu.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout so the demo's web process and scheduler can share it.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:  # issue 8: a capped count walks from the first blocks (in shared buffers)
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    _pg["options"] = f"{_pg.get('options', '')} -c synchronize_seqscans=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workbench"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# --- login security (A1–A5; security.md, decisions in issue 7) -------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # A3: refuses locked accounts first
    # Django's ModelBackend, loading the user with company and department
    # (issue 8). Sessions signed in before it named ModelBackend: they end
    # once, on the deploy that brings this in.
    "kesu.accounts.backends.StaffBackend",
]
# A2: three of four character classes and 90-day expiry are ON because
# level-3 audits check them; ASVS 5.0 (6.2.5, 6.2.10) advises against both,
# so each can be switched off.
KESU_PASSWORD_CLASSES = int(os.environ.get("KESU_PASSWORD_CLASSES", "3"))  # 0 = off
KESU_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("KESU_PASSWORD_MAX_AGE_DAYS", "90"))
KESU_PASSWORD_HISTORY = int(os.environ.get("KESU_PASSWORD_HISTORY", "5"))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's list of 20,000 common (breached) passwords.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "kesu.security.validators.PasswordHistoryValidator",
        "OPTIONS": {"count": KESU_PASSWORD_HISTORY},
    },
] + (
    [{"NAME": "kesu.security.validators.CharacterClassesValidator",
      "OPTIONS": {"min_classes": KESU_PASSWORD_CLASSES}}]
    if KESU_PASSWORD_CLASSES else []
)
# A3: 5 failures lock the username for 30 minutes (django-axes counts the
# failures of the last AXES_COOLOFF_TIME, i.e. 30 min: stricter than 15).
# Per username only, so one office NAT is not locked by one user; the IP is
# throttled separately (KESU_LOGIN_IP_RATE).
AXES_FAILURE_LIMIT = int(os.environ.get("KESU_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KESU_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kesu.security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kesu.audit.context.client_ip"
AXES_USERNAME_CALLABLE = "kesu.security.lockout.axes_username"
AXES_VERBOSE = False
# axes.W006 asks for IP lockout; we throttle IPs with KESU_LOGIN_IP_RATE instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_ENABLE_ACCESS_FAILURE_LOG = False
KESU_TRUSTED_PROXY_COUNT = int(os.environ.get("KESU_TRUSTED_PROXY_COUNT", "0"))
# A5: administrators always use TOTP; everyone when this is on.
KESU_2FA_FOR_ALL = _env_bool("KESU_2FA_FOR_ALL", False)
OTP_TOTP_ISSUER = "kesu"
# F5 / A3: "<requests>/<seconds>"
KESU_RATE_LIMITS = _env_bool("KESU_RATE_LIMITS", True)
KESU_API_RATE = os.environ.get("KESU_API_RATE", "120/60")
KESU_LOGIN_IP_RATE = os.environ.get("KESU_LOGIN_IP_RATE", "30/900")
# No inline or external script; styles may be inline (htmx indicators).
KESU_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# C4: audit log kept 3 years; the purge refuses anything below 183 days.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", str(3 * 365)))
# D2/A7: field encryption keys "kid:<base64 32 bytes>,..."; the current one
# encrypts, all listed decrypt. Development derives keys from SECRET_KEY.
KESU_FIELD_KEYS = os.environ.get("KESU_FIELD_KEYS", "")
KESU_FIELD_KEY_CURRENT = os.environ.get("KESU_FIELD_KEY_CURRENT", "")
KESU_FIELD_CIPHER = os.environ.get("KESU_FIELD_CIPHER", "aes-gcm")  # or sm4-gcm
KESU_BLIND_INDEX_KEY = os.environ.get("KESU_BLIND_INDEX_KEY", "")
if PRODUCTION:
    _require("KESU_FIELD_KEYS")
    _require("KESU_BLIND_INDEX_KEY")

# --- i18n / time ------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kesu" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static / media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_ROOT = Path(os.environ.get("KESU_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
ATTACHMENT_MAX_BYTES = int(
    os.environ.get("KESU_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
)
# F4: files per complaint.
KESU_ATTACHMENTS_PER_CASE = int(os.environ.get("KESU_ATTACHMENTS_PER_CASE", "20"))

# --- sessions / security ------------------------------------------------------
SESSION_COOKIE_AGE = 12 * 3600  # absolute 12 h (A4)
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))  # A4
SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE  # A4, checked by SessionPolicyMiddleware
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- background work ------------------------------------------------------------
# With REDIS_URL, Celery workers and beat run the periodic work; without it
# (the embedded default) tasks run eagerly in-process and `manage.py
# run_scheduler` calls the same periodic tasks on a timer.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True

def _cache(name: str) -> dict:
    """Redis when there is one (shared by every process), else this process's."""
    if REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": name}


# "ratelimit": F5 rate-limit counters, shared by all workers with Redis
CACHES = {"default": _cache(""), "ratelimit": _cache("ratelimit")}

if REDIS_URL:
    # Sessions read from Redis, written through to the database: one query
    # less on every page (issue 8); ending a session deletes both (A4, B4).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- kesu domain settings (D- defaults; all configurable) -------------------------
KESU = {
    "DECISION_DAYS": 15,  # R1.8
    "EXTENSION_1_DAYS": 30,  # R1.8 (total from receipt)
    "EXTENSION_2_DAYS": 60,  # R1.8 (total from receipt)
    "INVESTIGATION_WORKING_DAYS": 5,  # D (R4.4)
    "INVESTIGATION_REMINDER_WORKING_DAYS": 1,  # D
    "ACKNOWLEDGEMENT_WORKING_DAYS": 1,  # D
    "REVIEW_WINDOW_DAYS": 30,  # R1.12
    "REVIEW_DECISION_DAYS": 30,  # R1.12 (D)
    "STAFF_CHANGE_WORKING_DAYS": 7,  # S7.9
    "RETENTION_YEARS": 3,  # R1.15
    "MAX_REPRESENTATIVES": 5,  # R1.5
    "DECISION_REMINDER_DAYS": 2,  # D
}

# DESIGN §4: functions `fn() -> int` that recompute provisional deadlines after
# the calendar changes (kesu.sla.services.recompute_provisional). Apps append.
KESU_PROVISIONAL_RECOMPUTERS: list[str] = [
    "kesu.accounts.services.staff_change_recompute_provisional",  # S7.9
    "kesu.complaints.deadlines.recompute_provisional_deadlines",  # DESIGN §4
]
# Calendar overrides are cached per process; other processes reload after this.
KESU_CALENDAR_CACHE_SECONDS = int(os.environ.get("KESU_CALENDAR_CACHE_SECONDS", "60"))
# So are the code tables (a code deactivated elsewhere is refused after this).
KESU_CODE_TABLE_CACHE_SECONDS = int(
    os.environ.get("KESU_CODE_TABLE_CACHE_SECONDS", "60")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "kesu.ops.logformat.JsonFormatter"},
    },
    # C5: ID and phone numbers are masked and CR/LF escaped in every record
    "filters": {"pii": {"()": "kesu.privacy.MaskingLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain"),
            "filters": ["pii"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- periodic work and notifications (sweeps) -----------------------------------
# Celery beat runs these with Redis; without it `manage.py run_scheduler` runs
# the same tasks in-process on a timer (the embedded default). Seconds.
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),  # other apps' entries, in any order
    "deadline-sweep": {"task": "kesu.complaints.deadline_sweep",
                       "schedule": float(os.environ.get("KESU_SWEEP_SECONDS", "300"))},
    "outbox-deliver": {"task": "kesu.notifications.outbox_deliver", "schedule": 30.0},
    # G3: idempotency keys older than KESU_IDEMPOTENCY_KEY_HOURS are purged.
    "idempotency-keys-purge": {"task": "kesu.complaints.idempotency_keys_purge",
                               "schedule": 3600.0},
}
KESU_IDEMPOTENCY_KEY_HOURS = int(os.environ.get("KESU_IDEMPOTENCY_KEY_HOURS", "24"))
# Dotted paths of notification senders (kesu/notifications/senders.py). E-mail
# is added when an SMTP host is configured.
KESU_NOTIFICATION_SENDERS = [
    "kesu.notifications.senders.InAppSender",
    "kesu.notifications.senders.LogSender",
]
KESU_NOTIFICATION_MAX_ATTEMPTS = int(
    os.environ.get("KESU_NOTIFICATION_MAX_ATTEMPTS", "6")
)
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kesu@localhost")
    KESU_NOTIFICATION_SENDERS.append("kesu.notifications.senders.EmailSender")

# --- reports (issue 6): scheduled reports and the job-recovery sweep ------------
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "reports-periodic": {
        "task": "kesu.reports.periodic_reports_send", "schedule": 600.0
    },
    "reports-jobs-recover": {
        "task": "kesu.reports.report_jobs_recover", "schedule": 60.0
    },
    "reports-figures-recover": {
        "task": "kesu.reports.stored_figures_recover", "schedule": 60.0
    },
    "web-exports-recover": {"task": "kesu.web.export_jobs_recover", "schedule": 60.0},
}
# Stored report figures (D): recounted when older than this while the period
# runs, and when older than this once it has ended (services/figures.py).
KESU_REPORT_FRESH_MINUTES = int(os.environ.get("KESU_REPORT_FRESH_MINUTES", "10"))
KESU_REPORT_PAST_FRESH_HOURS = int(os.environ.get("KESU_REPORT_PAST_FRESH_HOURS", "24"))

# --- security (issue 7): retention anonymisation, audit purge and verification --
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "retention-sweep": {"task": "kesu.security.retention_sweep", "schedule": 86400.0},
    "audit-purge": {"task": "kesu.security.audit_purge", "schedule": 86400.0},
    "audit-verify": {"task": "kesu.security.audit_verify", "schedule": 86400.0},
}
