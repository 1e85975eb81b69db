"""Who may change the lists (county admins in their county, platform admins) and readiness."""

from jiceng.org.models import CODE_LENGTH, Level, Region, Role
from jiceng.org.scope import person_of

TOWNSHIP_EDITORS = (Role.LEADER, Role.DISPATCHER, Role.HANDLER, Role.ENFORCEMENT_OFFICER)


def is_platform_admin(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    person = person_of(user)
    return bool(person and person.has_role(Role.PLATFORM_ADMIN))


def county_of(user) -> str | None:
    """The county code a county admin manages, or None."""
    person = person_of(user)
    if person is None or person.region_id is None or not person.has_role(Role.COUNTY_ADMIN):
        return None
    code = person.region.code
    return code[: CODE_LENGTH[Level.COUNTY]] if len(code) >= CODE_LENGTH[Level.COUNTY] else None


def can_edit_lists(user) -> bool:
    return is_platform_admin(user) or county_of(user) is not None


def can_edit_region(user, region: Region | None) -> bool:
    """May the caller change list entries owned by / aimed at `region` (None = platform-wide)?"""
    if is_platform_admin(user):
        return True
    county = county_of(user)
    return bool(county and region is not None and region.code.startswith(county))


def require_region(user, region: Region | None) -> None:
    if not can_edit_region(user, region):
        where = region.name if region is not None else "全平台通用清单"
        raise PermissionError(f"无权修改{where}的权责清单：仅限本县区管理员或平台管理员")


def can_edit_readiness(user, township: Region) -> bool:
    """Staff of that township itself (not of a county above it) and platform admins."""
    if is_platform_admin(user):
        return True
    person = person_of(user)
    return bool(
        person
        and person.region_id
        and person.region.code == township.code
        and person.has_role(*TOWNSHIP_EDITORS)
    )
