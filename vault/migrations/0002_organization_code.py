"""Give every firm a code to share with prime contractors."""

from django.db import migrations, models

import vault.firms.models


def fill_codes(apps, schema_editor):
    Organization = apps.get_model("vault", "Organization")
    for organization in Organization.objects.filter(code__isnull=True):
        organization.code = vault.firms.models.new_firm_code()
        organization.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("vault", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="code",
            field=models.CharField(max_length=9, null=True, verbose_name="firm code"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="code",
            field=models.CharField(
                default=vault.firms.models.new_firm_code,
                max_length=9,
                unique=True,
                verbose_name="firm code",
            ),
        ),
    ]
