from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("vault", "0003_keys"),
    ]

    operations = [
        # The log page orders by (created_at, id), newest first: this index gives that order.
        migrations.RemoveIndex(model_name="auditevent", name="vault_audit_organiz_496768_idx"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["organization", "-created_at", "-id"], name="audit_org_recent_idx"
            ),
        ),
    ]
