"""Views every deployment needs: the health check."""

import datetime as dt

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from .models import WorkerHeartbeat

WORKER_FRESH = dt.timedelta(minutes=3)


def healthz(request):
    """200 with the database engine and whether a background worker was seen lately."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    seen = bool(last and timezone.now() - last.seen_at < WORKER_FRESH)
    return JsonResponse(
        {
            "status": "ok",
            "database": connection.vendor,
            "worker_seen": seen,
            "worker_last_seen": last.seen_at.isoformat() if last else None,
        }
    )
