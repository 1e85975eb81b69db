"""Helpers for case tests: points inside demo townships, reports through the API."""

import datetime as dt
import io
import random
import uuid

from django.utils import timezone
from PIL import Image
from shapely.geometry import Point, shape

from jiceng.org.models import Level, Region, Unit

KEYAN, PANJIANG = "330603002", "530303102"


def point_in(township_code: str, k: int | None = 0) -> tuple[float, float]:
    """A fixed point of the k-th grid, or with k=None a random point (no accidental duplicates)."""
    grids = Region.objects.filter(level=Level.GRID, code__startswith=township_code).order_by("code")
    if k is not None:
        p = shape(grids[k % grids.count()].boundary).representative_point()
        return round(p.x, 6), round(p.y, 6)
    poly = shape(grids[random.randrange(grids.count())].boundary)
    minx, miny, maxx, maxy = poly.bounds
    while True:
        p = Point(random.uniform(minx, maxx), random.uniform(miny, maxy))
        if poly.contains(p):
            return round(p.x, 6), round(p.y, 6)


def unit(township_code: str, suffix: str) -> Unit:
    region = Region.objects.get(code=township_code)
    return Unit.objects.get(region=region, name=f"{region.name}{suffix}")


def report(
    client, *, township=KEYAN, category="M06010", text="有人倾倒垃圾", k=0, key=None, **extra
):
    lon, lat = point_in(township, k)
    body = {"description": text, "lon": lon, "lat": lat, "category_code": category, **extra}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/cases", body, content_type="application/json", **headers)


def at(y, m, d, hh=9, mm=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def jpeg_with_gps(lon: float, lat: float) -> bytes:
    """A small JPEG carrying an EXIF GPS block (and a camera model)."""
    img = Image.new("RGB", (32, 24), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0110] = "TestCam"

    def dms(v):
        v = abs(v)
        d = int(v)
        m = int((v - d) * 60)
        s = ((v - d) * 60 - m) * 60
        return (float(d), float(m), round(s, 4))

    exif[0x8825] = {
        1: "N" if lat >= 0 else "S",
        2: dms(lat),
        3: "E" if lon >= 0 else "W",
        4: dms(lon),
    }
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def new_key() -> str:
    return uuid.uuid4().hex


def run_together(fn, n: int = 2) -> list:
    """Run fn in n threads released at the same instant; returns their results.

    The in-memory SQLite test database answers 'table is locked' at once instead of waiting
    (a file database with WAL waits, as deployments do), so a locked attempt is retried for up
    to 30 s. An exception in a thread is raised here.
    """
    import threading
    import time

    from django.db import OperationalError, connection

    barrier, results, errors = threading.Barrier(n), [], []

    def worker():
        barrier.wait()
        deadline = time.monotonic() + 30
        try:
            while True:
                try:
                    results.append(fn())
                    return
                except OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)
        except Exception as exc:  # handed to the test below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results
