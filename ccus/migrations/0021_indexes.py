import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

LIVE = models.Q(("deleted_at__isnull", True))


class KeepTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL (nothing on SQLite); kept when going back: others may use it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class AddPostgresIndex(migrations.AddIndex):
    """A GIN trigram index: PostgreSQL only (SQLite searches without it)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _trigram(name, *expressions, **fields):
    return django.contrib.postgres.indexes.GinIndex(
        *expressions, condition=LIVE, name=name, **fields
    )


def _account_indexes(model: str, expiry: str) -> list:
    return [
        # The list page: one firm's accounts in the trash left out, in the page's own order.
        migrations.RemoveIndex(model_name=model, name=f"{model}_kana_idx"),
        migrations.AddIndex(
            model_name=model,
            index=models.Index(
                condition=LIVE,
                fields=["organization", "name_kana", "name", "id"],
                name=f"{model}_list_idx",
            ),
        ),
        migrations.AddIndex(
            model_name=model,
            index=models.Index(
                condition=LIVE, fields=["organization", "ccus_id_last4"], name=f"{model}_last4_idx"
            ),
        ),
        AddPostgresIndex(
            model_name=model,
            index=_trigram(
                f"{model}_search_trgm", fields=["search_text"], opclasses=["gin_trgm_ops"]
            ),
        ),
        AddPostgresIndex(
            model_name=model,
            index=_trigram(
                f"{model}_name_trgm",
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
                ),
            ),
        ),
        migrations.AddIndex(
            model_name=model,
            index=models.Index(
                condition=LIVE, fields=["organization", expiry], name=f"{model}_expiry_idx"
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("ccus", "0020_delivery_fewer_indexes"),
    ]

    operations = [
        KeepTrigramExtension(),
        *_account_indexes("company", "registration_expires_on"),
        *_account_indexes("worker", "card_expires_on"),
        migrations.AddIndex(
            model_name="reminderdelivery",
            index=models.Index(
                condition=models.Q(("kind", "escalation")),
                fields=["organization", "status"],
                name="delivery_escalation_idx",
            ),
        ),
    ]
