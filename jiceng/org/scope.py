"""Who may see what: every read is limited to the caller's region subtree."""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Person, Region, Role

STAFF_ROLES = {r.value for r in Role} - {Role.RESIDENT}


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def scope_code(user) -> str | None:
    """The region-code prefix the caller may see; '' means everything; None means nothing."""
    if getattr(user, "is_superuser", False):
        return ""
    person = person_of(user)
    if person is None or person.region_id is None or not person.has_role(*STAFF_ROLES):
        return None
    if person.has_role(Role.PLATFORM_ADMIN):
        return ""
    return person.region.code


def region_q(user, field: str = "region") -> Q:
    """A filter keeping rows whose `field` (a Region relation) lies in the caller's scope."""
    code = scope_code(user)
    if code is None:
        return Q(pk__in=[])
    if code == "":
        return Q()
    return Q(**{f"{field}__code__startswith": code})


def scoped(qs: QuerySet, user, field: str = "region") -> QuerySet:
    return qs.filter(region_q(user, field))


def get_scoped_or_404(qs: QuerySet, user, field: str = "region", **lookup):
    """Fetch one protected row; outside the caller's scope it does not exist (404)."""
    obj = scoped(qs, user, field).filter(**lookup).first()
    if obj is None:
        raise Http404("未找到，或不在您的管辖范围内")
    return obj


def region_in_scope(user, region: Region) -> bool:
    code = scope_code(user)
    return code is not None and region.code.startswith(code)
