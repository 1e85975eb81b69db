"""Process an uploaded registry file, recording progress on its ImportJob for the page's bar."""

from django.utils import timezone

from .actions import registry_import
from .models import ImportJob


def import_job_process(*, job: ImportJob, by) -> ImportJob:
    """Check and import the job's file; progress and result are written to the job row."""
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)
    job.file.open("rb")
    try:
        data = job.file.read()
    finally:
        job.file.close()

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done)

    result = registry_import(
        kind=job.kind,
        filename=job.filename,
        data=data,
        scope_code=job.region.code,
        by=by if by and by.pk else None,
        dry_run=job.dry_run,
        progress=progress,
    )
    job.total = result.total
    job.done = result.total if result.ok else 0
    job.created, job.updated = result.created, result.updated
    job.errors = result.errors[:500]
    job.state = ImportJob.State.DONE if result.ok else ImportJob.State.FAILED
    job.finished_at = timezone.now()
    job.save()
    return job
