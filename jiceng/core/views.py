"""Views every deployment needs: the health check; and how every app sends an Excel file."""

import datetime as dt

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from .models import WorkerHeartbeat
from .tables import XLSX

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


def xlsx_response(data: bytes, name: str) -> HttpResponse:
    """An .xlsx download; `name` may be Chinese (sent as RFC 5987 filename*)."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
