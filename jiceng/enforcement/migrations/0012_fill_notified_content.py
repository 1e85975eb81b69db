"""Fill what the latest 告知 intended on the cases notified before it was kept on the case (the
step history held it in the notify step's data). A notice without content leaves the fields
empty: there is nothing to compare a decision with (第四十五条)."""

from decimal import Decimal

from django.db import migrations


def _amount(raw):
    return Decimal(raw) if raw else None


def fill(apps, schema_editor):
    PenaltyCase = apps.get_model("enforcement", "PenaltyCase")
    PenaltyStep = apps.get_model("enforcement", "PenaltyStep")
    latest = {}
    for step in PenaltyStep.objects.filter(step="notify").order_by("penalty_case_id", "seq"):
        latest[step.penalty_case_id] = step.data or {}
    for pk, data in latest.items():
        PenaltyCase.objects.filter(pk=pk).update(
            notified_kinds=list(data.get("penalty_kinds") or []),
            notified_fine=_amount(data.get("fine_amount")),
            notified_confiscation=_amount(data.get("confiscation_value")),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0011_party_address_notified_content_statement"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
