"""An inspection scored before its task closed on scoring: close that task now, as scoring does
(actions._inspection_task_end), so no unit keeps an inspection in its inbox that is over."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Inspection = apps.get_model("assessment", "Inspection")
    Task = apps.get_model("workload", "Task")
    scored = Inspection.objects.filter(scored_at__isnull=False, task__state="open")
    for x in scored.only("pk", "task_id", "total", "vetoed").iterator():
        shown = "一票否决" if x.vetoed else f"{x.total}分"
        Task.objects.filter(pk=x.task_id, state="open").update(
            state="closed", closed_at=timezone.now(), close_reason=f"已评分：{shown}"
        )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0005_results_are_notices")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
