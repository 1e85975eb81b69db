"""Who gets an outreach task: the social worker of the subject's grid or community, else the
community committee (居委会), else the township government."""

from dataclasses import dataclass

from jiceng.org.models import Person, Region, Role, Unit, UnitKind


@dataclass(frozen=True)
class Recipient:
    person_id: int | None
    unit_id: int | None


def recipients_for(region_code: str, *, social_workers: bool = True) -> dict[int, Recipient]:
    """For every community and grid under `region_code`: its recipient (one query per table).

    A grid without a social worker of its own falls back to its community's.
    """
    regions = list(
        Region.objects.filter(
            code__startswith=region_code[:12], level__in=["community", "grid"]
        ).values_list("id", "code", "parent_id", "level")
    )
    ids = [r[0] for r in regions]
    workers: dict[int, int] = {}
    if social_workers:
        for person_id, region_id in (
            Person.objects.filter(region_id__in=ids, role_grants__role=Role.SOCIAL_WORKER)
            .order_by("id")
            .values_list("id", "region_id")
        ):
            workers.setdefault(region_id, person_id)
    committees: dict[int, int] = {}
    for unit_id, region_id in (
        Unit.objects.filter(region_id__in=ids, kind=UnitKind.COMMITTEE)
        .order_by("id")
        .values_list("id", "region_id")
    ):
        committees.setdefault(region_id, unit_id)
    governments = dict(
        Unit.objects.filter(kind=UnitKind.GOVERNMENT, region__level="township")
        .filter(region__code__in={c[:9] for _, c, _, _ in regions})
        .values_list("region__code", "id")
    )
    out: dict[int, Recipient] = {}
    for rid, code, parent_id, level in regions:
        community = rid if level == "community" else parent_id
        person = workers.get(rid) or workers.get(community)
        unit = None if person else committees.get(community) or governments.get(code[:9])
        out[rid] = Recipient(person, unit)
    return out


def recipient_of(community: Region, grid: Region | None = None) -> Recipient:
    table = recipients_for(community.code)
    return table.get(grid.pk if grid else community.pk) or table.get(community.pk)
