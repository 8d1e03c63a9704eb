"""Settings for CCUS Vault, read from the environment (and a local `.env` in development)."""

import datetime
import os
from pathlib import Path

import environ

from vault.celery_config import celery_settings
from vault.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
ENV_FILE = Path(os.environ.get("VAULT_ENV_FILE", BASE_DIR / ".env"))
if ENV_FILE.is_file():
    # Values already in the environment win over the file.
    env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

# Secrets have no default: a missing one stops start-up with a message naming the variable.
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
# Where the master key lives: "environment" (VAULT_ENCRYPTION_KEYS) or "pkcs11" (an HSM).
VAULT_KEY_PROVIDER = env.str("VAULT_KEY_PROVIDER", default="environment")
# Master keys, newest first: firm data keys are wrapped with the first, unwrapped with any.
# They also read values of the old format until `manage.py migrate_encryption` has run.
VAULT_ENCRYPTION_KEYS = env.list(
    "VAULT_ENCRYPTION_KEYS", **({"default": []} if VAULT_KEY_PROVIDER == "pkcs11" else {})
)
# The PKCS#11 provider: the token's library, label and PIN, and master key labels, newest first.
VAULT_PKCS11_LIBRARY = env.str("VAULT_PKCS11_LIBRARY", default="")
VAULT_PKCS11_TOKEN_LABEL = env.str("VAULT_PKCS11_TOKEN_LABEL", default="")
VAULT_PKCS11_PIN = env.str("VAULT_PKCS11_PIN", default="")
VAULT_PKCS11_KEY_LABELS = env.list("VAULT_PKCS11_KEY_LABELS", default=[])
# Values of the old format (not bound to their record) are read until this is turned off.
VAULT_READ_OLD_FORMAT = env.bool("VAULT_READ_OLD_FORMAT", default=True)
# Seconds a process trusts a data key it read; a firm key rotation waits this long.
VAULT_KEY_CACHE_SECONDS = env.int("VAULT_KEY_CACHE_SECONDS", default=60)
# Key of the blind index (exact lookup and uniqueness of IDs and emails), or versioned keys
VAULT_BLIND_INDEX_KEYS = env.list("VAULT_BLIND_INDEX_KEYS", default=[])  # v2:<new>,v1:<old>
VAULT_BLIND_INDEX_KEY = "" if VAULT_BLIND_INDEX_KEYS else env.str("VAULT_BLIND_INDEX_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin behind the second factor (django-otp's admin site).
    "vault.apps.VaultAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Trigram indexes of the searches (PostgreSQL); nothing of it is used on SQLite.
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    "ninja",
    "vault",
    "ccus",
]

MIDDLEWARE = [
    "vault.ops.context.RequestContextMiddleware",
    "vault.ops.metrics.MetricsMiddleware",
    "vault.ops.proxy.ProxyClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vault.auth.middleware.IdleTimeoutMiddleware",
    "vault.auth.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vault.urls"
WSGI_APPLICATION = "vault.wsgi.application"

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
                "vault.firms.context_processors.membership",
            ],
            "builtins": ["vault.templatetags.remembered_urls"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ccus-vault.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The key table in a database of its own: deleting a firm then shreds it in every earlier dump
# of the main database. Without it the key table lives in the main database.
if env.str("VAULT_KEYS_DATABASE_URL", default=""):
    DATABASES["keys"] = env.db("VAULT_KEYS_DATABASE_URL")
DATABASE_ROUTERS = ["vault.crypto.router.KeyTableRouter"]
# Keep a process's connection between requests (a new one costs more than most pages). No check
# before reuse (a round trip per request): a broken one is closed after the request that met it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "vault.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ccus:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "vault.auth.backends.AccountBackend",
]
# Lock a user out from one address after repeated failures, for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The sign-in form posts the email address as "username", like Django's own form.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "vault/auth/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "token"]
OTP_TOTP_ISSUER = "CCUS Vault"
# Passkeys are a second factor only: the password comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "vault.auth.passkeys.PasskeyHelper"
# Default: the host the browser is on. Set both behind a proxy that rewrites the host.
OTP_WEBAUTHN_RP_ID = env.str("OTP_WEBAUTHN_RP_ID", default="")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("OTP_WEBAUTHN_ALLOWED_ORIGINS", default=[])
OTP_WEBAUTHN_RP_NAME = "CCUS Vault"
# PasskeyHelper takes the relying party and origin from the request's host, which Django has
# checked against ALLOWED_HOSTS, when these two are not set.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E010", "otp_webauthn.E030"]
# Sessions: signed out after this long idle, and in any case after SESSION_COOKIE_AGE.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# A reveal needs a password or code confirmed within this many seconds.
REAUTH_SECONDS = 5 * 60
REVEALS_PER_10_MINUTES = env.int("REVEALS_PER_10_MINUTES", default=30)
# A one-time link to a worker's own login expires after its first view or this many hours.
HANDOFF_LINK_HOURS = 72
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic writes each file under a name with its hash, gzipped beside it; whitenoise serves
# those with a cache lifetime of a year (a new version is a new name).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes and Prometheus talk to the web process directly, in plain HTTP on a private address.
SECURE_REDIRECT_EXEMPT = [r"^healthz", r"^metrics$"]
# Only when a reverse proxy terminates TLS and sets these headers (deploy/nginx.conf): then
# X-Forwarded-Proto says whether the visitor used HTTPS, and X-Forwarded-For who they are.
# Without it the headers are ignored, so nobody can claim HTTPS or another address.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
# Everything is served from this site: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The Django admin sets a few inline style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"

# EMAIL_URL sets EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, ... (smtp://, smtp+tls://). Without it,
# emails are written as files under var/mail.
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CCUS Vault <noreply@localhost>")

REDIS_URL = env.str("REDIS_URL", default="")
# The cache (API rate counters, cached figures and list rows): with Redis, shared by every web
# process on every host, and sessions are read from it (written through to the database, so a
# flushed Redis signs nobody out). Without it (`make run` on a bare machine) sessions stay in the
# database and the cache is a folder the processes of the machine share.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "vault.cache.redis.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ccus-vault",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Calls per API token (and period: s, min, h, day), counted in the cache: across every web
# process and host with Redis.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")

# Celery: the broker, delivery guarantees and what beat runs when (vault/celery_config.py).
globals().update(celery_settings(REDIS_URL, VAR_DIR, env.int("BEAT_LOCK_SECONDS", default=60)))
# Seconds before the first retry of a failed email (doubling each time, with jitter).
REMINDER_RETRY_BASE = env.int("REMINDER_RETRY_BASE", default=30)
# Seconds a pending reminder may wait for its task before the sweep queues it again.
REMINDER_PENDING_GRACE = env.int("REMINDER_PENDING_GRACE", default=600)

# One JSON object per line in production (request id, user id, firm id; never a value), plain
# lines for a person reading `make run`.
LOGGING = logging_config(
    "json" if env.str("LOG_FORMAT", default="text" if DEBUG else "json") == "json" else "text",
    level=env.str("LOG_LEVEL", default="INFO"),
)

# Prometheus scrapes /metrics with `Authorization: Bearer <METRICS_TOKEN>`; unset, it is a 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Error reports to Sentry, scrubbed of every value (vault/ops/sentry.py), only when a DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from vault.ops.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
    )
