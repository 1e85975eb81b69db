"""Who may take which step of a case: the permission functions of the transition table.

Each guard is (case, user) → bool. A reporter acting through the tracking secret is passed as
the `ReporterToken` marker instead of a user.
"""

from jiceng.org.models import Role
from jiceng.org.scope import person_of, region_in_scope


class ReporterToken:
    """Stands in for the anonymous reporter who proved the case code + tracking secret."""

    is_authenticated = False
    is_superuser = False
    pk = None

    def __init__(self, case_id: int):
        self.case_id = case_id


class SystemActor:
    """The platform itself (auto-dispatch at intake, escalation sweeps)."""

    is_authenticated = True
    is_superuser = True
    pk = None
    username = "system"


SYSTEM = SystemActor()
DESK_ROLES = (Role.DISPATCHER, Role.LEADER)
HANDLER_ROLES = (Role.HANDLER, Role.ENFORCEMENT_OFFICER, Role.LEADER, Role.DISPATCHER)


def _staff_in_scope(case, user, *roles) -> bool:
    if isinstance(user, SystemActor) or getattr(user, "is_superuser", False):
        return True
    person = person_of(user)
    return bool(person and person.has_role(*roles) and region_in_scope(user, case.township))


def township_desk(case, user) -> bool:
    """The township's dispatcher or leader (立案、派遣、吹哨、结案)."""
    return _staff_in_scope(case, user, *DESK_ROLES)


def leader(case, user) -> bool:
    return _staff_in_scope(case, user, Role.LEADER)


def unit_member(user, unit_id: int | None) -> bool:
    if isinstance(user, SystemActor) or getattr(user, "is_superuser", False):
        return True
    person = person_of(user)
    if person is None or unit_id is None:
        return False
    return unit_id in {person.home_unit_id, person.managing_unit_id} and person.has_role(
        *HANDLER_ROLES
    )


def lead_member(case, user) -> bool:
    """Staff of the lead unit, or the township desk acting for it."""
    return unit_member(user, case.lead_unit_id) or township_desk(case, user)


def verifier(case, user) -> bool:
    """A grid worker or the desk of the township, or the reporter with the secret."""
    if isinstance(user, ReporterToken):
        return user.case_id == case.pk
    return _staff_in_scope(case, user, Role.GRID_WORKER, *DESK_ROLES)


def rater(case, user) -> bool:
    if isinstance(user, ReporterToken):
        return user.case_id == case.pk
    if getattr(user, "pk", None) and user.pk == case.reporter_id:
        return True
    return township_desk(case, user)  # the hotline desk records a caller's rating


def all_parts_done(case) -> bool:
    """The case closes only when the lead part and every required assisting part are done."""
    return not case.assignments.filter(required=True, state__in=["pending", "active"]).exists()


def mediated(case) -> bool:
    """A dispute (矛盾纠纷: its category needs mediation) is handled only once a mediation is on
    record (S10)."""
    category = case.category
    return not (category and category.needs_mediation) or case.mediations.exists()


def followed_up(case) -> bool:
    """A case closes only after every follow-up visit its mediations planned (回访) is done."""
    return not case.mediations.filter(
        follow_up_at__isnull=False, followed_up_at__isnull=True
    ).exists()


# What a refused step lacks, said for each condition (refusal() names the first one not met).
UNMET = {
    all_parts_done: "还有协办或主办单位未完成",
    mediated: "矛盾纠纷须先记录调解经过和结果",
    followed_up: "调解回访尚未完成",
}
