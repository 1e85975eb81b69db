"""Seed the default category tree (GB/T 47678.5 components and matters, disputes, emergencies)."""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    from jiceng.cases.categories import CSV_NAME, load_categories

    path = settings.SHARED_DATA / "categories" / CSV_NAME
    if path.exists():  # without the shared data, `jiceng load_categories --path` seeds later
        load_categories(apps.get_model("cases", "Category"), path)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
