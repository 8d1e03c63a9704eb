"""Settings for the test suite: the real settings with test keys and a file-backed SQLite."""

import os

# Test-only keys, set before the real settings read the environment.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("VAULT_ENCRYPTION_KEYS", "test-encryption-key-0000000000000000000000000")
os.environ.setdefault("VAULT_BLIND_INDEX_KEY", "test-blind-index-key-000000000000000000000000")
os.environ.setdefault("VAULT_ENV_FILE", os.devnull)

from vault.settings import *  # noqa: F403
from vault.settings import DATABASES, LOGGING, STORAGES, VAR_DIR

DEBUG = False
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Set by the integration tests for the Celery worker process they start: real SMTP, real broker.
REAL_SERVICES = os.environ.get("VAULT_TEST_REAL_SERVICES") == "1"
if not REAL_SERVICES:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# A second, file-backed SQLite database, so tests can read the raw bytes on disk.
VAR_DIR.mkdir(exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Tests render pages without running collectstatic first: no manifest of hashed names to read.
# The hashed names and their cache headers are tested on a real server (tests/integration).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Plain lines in the test output.
LOGGING["handlers"]["console"]["formatter"] = "text"
DATABASES["sqlite_file"] = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": str(VAR_DIR / "test-at-rest.sqlite3"),
    "TEST": {"NAME": str(VAR_DIR / "test-at-rest.sqlite3")},
}
# One cache per test process, emptied before each test (tests/conftest.py): ids repeat from test
# to test, so figures cached under them must not. The Redis cache has tests of its own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = not REAL_SERVICES
CELERY_TASK_EAGER_PROPAGATES = True
# The live server of the browser tests speaks plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
