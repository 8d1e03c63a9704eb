"""Drop the status word once kept in the names of engagements in the audit log."""

import re

from django.db import migrations

# "元請 → 協力会社 (在籍)": the status in brackets was a translated word of that moment.
STATUS_SUFFIX = re.compile(r" \([^()]*\)$")


def drop_status_from_engagement_names(apps, schema_editor):
    AuditEvent = apps.get_model("vault", "AuditEvent")
    events = AuditEvent.objects.filter(target_type="engagement", target_label__endswith=")")
    for event in events.only("id", "target_label").iterator():
        name = STATUS_SUFFIX.sub("", event.target_label)
        if name != event.target_label:
            AuditEvent.objects.filter(id=event.id).update(target_label=name)


class Migration(migrations.Migration):
    dependencies = [
        ("ccus", "0017_sites_and_fees"),
        ("vault", "0003_keys"),
    ]

    operations = [
        migrations.RunPython(drop_status_from_engagement_names, migrations.RunPython.noop),
    ]
