"""System checks that refuse to run with missing, weak or reused vault keys."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from vault.crypto.blind_index import index_keys

MIN_KEY_LENGTH = 32


def _key_problems(name: str, value: str) -> list[checks.Error]:
    if not value:
        return [checks.Error(f"{name} is empty.", hint=f"Set {name}.", id="vault.E001")]
    if len(value) < MIN_KEY_LENGTH:
        return [
            checks.Error(
                f"A key in {name} is shorter than {MIN_KEY_LENGTH} characters.",
                hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="vault.E002",
            )
        ]
    if value == settings.SECRET_KEY:
        return [
            checks.Error(
                f"A key in {name} equals DJANGO_SECRET_KEY.",
                hint="Vault keys must be dedicated keys of their own.",
                id="vault.E003",
            )
        ]
    return []


def _provider_problems(provider: str) -> list[checks.Error]:
    if provider not in ("environment", "pkcs11"):
        return [
            checks.Error(
                "VAULT_KEY_PROVIDER must be environment or pkcs11.",
                hint="Leave it unset to keep the master key in VAULT_ENCRYPTION_KEYS.",
                id="vault.E006",
            )
        ]
    names = ["VAULT_PKCS11_LIBRARY", "VAULT_PKCS11_TOKEN_LABEL", "VAULT_PKCS11_PIN"]
    names.append("VAULT_PKCS11_KEY_LABELS")
    missing = [name for name in names if not getattr(settings, name, None)]
    if provider == "pkcs11" and missing:
        return [
            checks.Error(
                f"The PKCS#11 key provider needs {', '.join(missing)}.",
                hint="See the README: where the master key lives.",
                id="vault.E007",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_keys_apart(app_configs=None, **kwargs) -> list[checks.Warning]:
    """Warn in production when the key table shares the main database (no crypto-shredding)."""
    if "keys" in settings.DATABASES:
        return []
    return [
        checks.Warning(
            "The key table is in the main database: a dump taken before a firm was deleted "
            "still holds that firm's data key.",
            hint="Set VAULT_KEYS_DATABASE_URL to a database of its own (see the README).",
            id="vault.W001",
        )
    ]


def _blind_index_keys() -> tuple[list[checks.Error], list[str]]:
    """Return the problems of the versioned blind-index keys, and the keys."""
    try:
        keys = index_keys()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="vault.E008")], []
    versions = [int(version[1:]) for version, _key in keys]
    if len(keys) > 2 or versions != sorted(set(versions), reverse=True):
        hint = "List the new key first, then the one it replaces: v2:<new>,v1:<old>."
        return [
            checks.Error(
                "VAULT_BLIND_INDEX_KEYS lists more than two keys, or not newest first.",
                hint=hint,
                id="vault.E008",
            )
        ], []
    return [], [key for _version, key in keys]


@checks.register(checks.Tags.security, deploy=False)
def check_vault_keys(app_configs=None, **kwargs) -> list[checks.Error]:
    """Fail when a vault key is missing, too short, equal to SECRET_KEY or used twice."""
    encryption_keys = list(getattr(settings, "VAULT_ENCRYPTION_KEYS", []) or [])
    provider = getattr(settings, "VAULT_KEY_PROVIDER", "environment")
    errors = _provider_problems(provider)
    blind_errors, blind_keys = _blind_index_keys()
    errors += blind_errors
    if not encryption_keys and provider == "environment":
        errors.append(
            checks.Error(
                "VAULT_ENCRYPTION_KEYS is empty.",
                hint="Set VAULT_ENCRYPTION_KEYS.",
                id="vault.E001",
            )
        )
    for key in encryption_keys:
        errors += _key_problems("VAULT_ENCRYPTION_KEYS", key)
    for blind_key in blind_keys:
        errors += _key_problems("VAULT_BLIND_INDEX_KEY", blind_key)
    if set(blind_keys) & set(encryption_keys):
        errors.append(
            checks.Error(
                "VAULT_BLIND_INDEX_KEY is also an encryption key.",
                hint="Give the blind index a key of its own.",
                id="vault.E004",
            )
        )
    if len(set(encryption_keys)) != len(encryption_keys):
        errors.append(
            checks.Error(
                "VAULT_ENCRYPTION_KEYS lists the same key twice.",
                hint="List each key once, newest first.",
                id="vault.E005",
            )
        )
    return errors
