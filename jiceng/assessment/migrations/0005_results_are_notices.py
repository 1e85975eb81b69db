"""A review's result and a 通报 sent to a unit are for information (workload's TaskKind.NOTICE):
the unit marks them 已阅 and they leave the burden figures. Those already sent as 其他 become
notices; nothing else changes."""

from django.db import migrations
from django.db.models import Q

RESULTS = Q(source_key__startswith="assessment:notice:") | Q(
    source_key__startswith="assessment:appeal:", source_key__endswith=":result"
)


def forwards(apps, schema_editor):
    Task = apps.get_model("workload", "Task")
    Task.objects.filter(RESULTS, kind="other").update(kind="notice")


def backwards(apps, schema_editor):
    Task = apps.get_model("workload", "Task")
    Task.objects.filter(RESULTS, kind="notice").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_appeal_withdraw_and_notice"),
        ("workload", "0003_notice_kind"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
