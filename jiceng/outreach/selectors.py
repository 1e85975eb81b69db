"""Reads for outreach, limited to the caller's region; who may see personal data unmasked."""

from django.db.models import QuerySet
from django.http import Http404

from jiceng.org.models import Region, Role
from jiceng.org.scope import get_scoped_or_404, person_of, scope_code, scoped

from .models import ImportJob, Rule, ScreeningRun
from .subjects import subject_spec


def rules_for(user) -> QuerySet[Rule]:
    return scoped(Rule.objects.select_related("region"), user).order_by("region__code", "name")


def rule_get_for(user, pk: int) -> Rule:
    return get_scoped_or_404(Rule.objects.select_related("region", "from_unit"), user, pk=pk)


def runs_of(rule: Rule, limit: int = 20) -> list[ScreeningRun]:
    return list(rule.runs.select_related("by")[:limit])


def imports_for(user) -> QuerySet[ImportJob]:
    return scoped(ImportJob.objects.all(), user)


def import_get_for(user, pk: int) -> ImportJob:
    return get_scoped_or_404(ImportJob.objects.all(), user, pk=pk)


def subject_get_for(user, subject: str, pk: int):
    """One registry row (resident, employment, business or certificate) in the caller's scope."""
    spec = subject_spec(subject)
    code = scope_code(user)
    obj = None
    if code is not None:
        qs = spec.model._default_manager.alias(_comm=spec.region_expression("community"))
        if code:
            qs = qs.filter(_comm__in=Region.objects.filter(code__startswith=code).values("pk"))
        obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("未找到，或不在您的管辖范围内")
    return obj


def community_of(subject: str, obj) -> Region:
    spec = subject_spec(subject)
    pk = spec.model._default_manager.filter(pk=obj.pk).values_list(
        spec.region_expression("community")
    )
    return Region.objects.get(pk=pk[0][0])


def may_unmask(user, community: Region) -> bool:
    """Only people whose work needs it: the community's social worker, or a platform admin."""
    person = person_of(user)
    if person is None:
        return False
    if person.has_role(Role.PLATFORM_ADMIN):
        return True
    return bool(
        person.has_role(Role.SOCIAL_WORKER)
        and person.region is not None
        and community.code.startswith(person.region.code[:12])
    )


def writable_regions(user) -> QuerySet[Region]:
    """Regions a rule may apply to: township, community or grid in the caller's scope."""
    code = scope_code(user)
    if code is None:
        return Region.objects.none()
    return Region.objects.filter(
        code__startswith=code, level__in=["county", "township", "community", "grid"]
    ).order_by("code")
