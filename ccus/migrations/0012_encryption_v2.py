"""Rewrite old-format encrypted values bound to their record, for databases small enough."""

from django.db import migrations

# Above this many records the migration leaves the work to `manage.py migrate_encryption`,
# which shows progress and can be interrupted and resumed.
SMALL = 10_000
MODELS = ("Company", "Worker", "HandoverStep", "ImportJob")


class _Out:
    def write(self, text: str) -> None:
        print(f"  {text}")


def rewrite_old_format(apps, schema_editor):
    from vault.management.commands.migrate_encryption import migrate_all

    if schema_editor.connection.alias != "default":
        return
    models = [apps.get_model("ccus", name) for name in MODELS]
    records = sum(model._base_manager.count() for model in models)
    if records == 0:
        return
    if records > SMALL:
        print(
            f"\n  {records} records: run `python manage.py migrate_encryption` to rewrite "
            "their encrypted values (old values stay readable until then)."
        )
        return
    migrate_all(models, batch_size=500, dry_run=False, stdout=_Out(), progress_bar=False)


class Migration(migrations.Migration):
    dependencies = [
        ("ccus", "0011_health_snapshots"),
        ("vault", "0003_keys"),
    ]

    operations = [migrations.RunPython(rewrite_old_format, migrations.RunPython.noop)]
