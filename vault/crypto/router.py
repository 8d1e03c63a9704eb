"""Send the key table to a database of its own when VAULT_KEYS_DATABASE_URL names one."""

from django.conf import settings

KEYS = "keys"


def _separate() -> bool:
    return KEYS in settings.DATABASES


class KeyTableRouter:
    """The key table lives in the `keys` database if configured; nothing else does."""

    def _is_key_table(self, model) -> bool:
        return model._meta.label_lower == "vault.firmkey"

    def db_for_read(self, model, **hints) -> str | None:
        return KEYS if _separate() and self._is_key_table(model) else None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        if not _separate():
            return None
        is_key_table = app_label == "vault" and model_name == "firmkey"
        if db == KEYS:
            return is_key_table
        return False if is_key_table else None
