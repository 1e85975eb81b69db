"""Small builders for registry rows in tests (real checksummed IDs; all rows synthetic)."""

import datetime as dt
import itertools

from jiceng.org.models import Region
from jiceng.outreach.ids import id_parse, make_credit_code, make_id
from jiceng.outreach.models import Business, Certificate, Employment, Resident

_serial = itertools.count(1)
DONGPO = "330102003057"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def resident(name="测试人", birth=dt.date(1980, 5, 5), tags=(), community=DONGPO, grid=None, **kw):
    n = next(_serial)
    pid = id_parse(make_id(community[:6], birth, n))
    return Resident.objects.create(
        name=name,
        id_hash=pid.hash,
        id_masked=pid.masked,
        birth_date=birth,
        gender=pid.gender,
        tags="," + ",".join(tags) + "," if tags else "",
        community=region(community),
        grid=region(grid) if grid else None,
        **kw,
    )


def business(name="测试餐馆", industry="餐饮", community=DONGPO, grid=None):
    n = next(_serial)
    return Business.objects.create(
        name=name,
        credit_code=make_credit_code(community[:6], 500000 + n),
        industry=industry,
        community=region(community),
        grid=region(grid) if grid else None,
    )


def employ(person, biz, end_date=None):
    return Employment.objects.create(resident=person, business=biz, end_date=end_date)


def health_cert(person, expires):
    return Certificate.objects.create(
        kind="健康证", number=f"T-JK-{next(_serial)}", holder_resident=person, expires=expires
    )


def licence(biz, expires):
    return Certificate.objects.create(
        kind="食品经营许可证", number=f"T-JY-{next(_serial)}", holder_business=biz, expires=expires
    )
