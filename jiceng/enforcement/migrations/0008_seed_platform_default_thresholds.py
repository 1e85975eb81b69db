"""The platform-default amount rows thresholds.py used to hold in code (region "": used until a
province records its own). Idempotent: a row already there is left as it is."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

LAW_2021 = dt.date(2021, 7, 15)
DEFAULT_BASIS = "平台默认值（未配置本省标准时适用，请按本省规定核定）"
ROWS = [
    ("hearing_fine", "individual", "5000"),
    ("hearing_fine", "organisation", "50000"),
    ("hearing_confiscation", "individual", "5000"),
    ("hearing_confiscation", "organisation", "50000"),
    ("major_fine", "individual", "10000"),
    ("major_fine", "organisation", "100000"),
    ("major_confiscation", "individual", "10000"),
    ("major_confiscation", "organisation", "100000"),
]


def seed(apps, schema_editor):
    AmountThreshold = apps.get_model("enforcement", "AmountThreshold")
    for name, party, amount in ROWS:
        AmountThreshold.objects.get_or_create(
            name=name,
            party_kind=party,
            region_code="",
            effective_from=LAW_2021,
            defaults={"amount": Decimal(amount), "basis": DEFAULT_BASIS},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0007_amount_thresholds"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
