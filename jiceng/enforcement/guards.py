"""Who may take which step of a penalty case: the permission functions of the transition table.

Each permission is (penalty_case, user) → bool; each condition is (penalty_case) → bool.
"""

from jiceng.org.models import Level, Role, township_code
from jiceng.org.scope import person_of

APPROVER_ROLES = (Role.COUNTY_ADMIN, Role.LEADER, Role.ENFORCEMENT_OFFICER)


def of_township(user, township, *roles) -> bool:
    """A person of that township itself (not of the county above it) with one of the roles."""
    if getattr(user, "is_superuser", False):
        return True
    person = person_of(user)
    if person is None or person.region_id is None or not person.has_role(*roles):
        return False
    code = person.region.code
    return township_code(code) is not None and code.startswith(township.code)


def officer(pc, user) -> bool:
    """An enforcement officer (执法人员) of the case's township."""
    return of_township(user, pc.township, Role.ENFORCEMENT_OFFICER)


def decider(pc, user) -> bool:
    """The township's leader in charge (行政机关负责人, 《行政处罚法》第五十七条)."""
    return of_township(user, pc.township, Role.LEADER)


def officer_or_leader(pc, user) -> bool:
    return of_township(user, pc.township, Role.ENFORCEMENT_OFFICER, Role.LEADER)


def legal_reviewer(pc, user) -> bool:
    """A 法制审核人员 of the case's township (《行政处罚法》第五十八条)."""
    return of_township(user, pc.township, Role.LEGAL_REVIEWER)


def approver(pc, user) -> bool:
    """Staff of the district unit that held the power on the date of the act, and only them."""
    person = person_of(user)
    if person is None or not pc.approval_required or pc.approval_unit_id is None:
        return False
    units = {person.home_unit_id, person.managing_unit_id}
    return pc.approval_unit_id in units and person.has_role(*APPROVER_ROLES)


def has_evidence(pc) -> bool:
    return pc.evidence.exists()


def no_hearing_asked(pc) -> bool:
    """Another notice may replace the first only before the party asked for a hearing."""
    return pc.hearing_requested_at is None


def no_hearing_pending(pc) -> bool:
    """A hearing asked for is held or withdrawn before the decision (第六十三条)."""
    return not pc.hearing_pending


def hearing_reported(pc) -> bool:
    """After a hearing the decision follows the record (第六十五条): the chair's report first."""
    return pc.hearing_held_at is None or pc.hearing_reported_at is not None


def needs_approval(pc) -> bool:
    return pc.approval_required


def approved_if_required(pc) -> bool:
    return not pc.approval_required or pc.state == "approved"


def penalised(pc) -> bool:
    """Only a penalty is executed; a 不予处罚 decision has nothing to execute."""
    return pc.outcome != "no_penalty"


def nothing_left_to_execute(pc) -> bool:
    return pc.state == "executed" or pc.outcome == "no_penalty"


def handed_in(pc) -> bool:
    """A fine collected on the spot reaches the agency before the case is closed (第七十一条)."""
    return not pc.handin_pending


# ---- who administers the amount thresholds (thresholds.py) ----------------------------------

# The levels a threshold is set at, and whose administrator may set it for their own area.
THRESHOLD_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


def threshold_area(user) -> str | None:
    """The region-code prefix whose amount thresholds the caller administers: "" (every region and
    the platform defaults) for a platform administrator; their own region's code for a province,
    city or county administrator (`county_admin` of such a region); None for anyone else."""
    if getattr(user, "is_superuser", False):
        return ""
    person = person_of(user)
    if person is None:
        return None
    if person.has_role(Role.PLATFORM_ADMIN):
        return ""
    region = person.region
    if region is None or region.level not in THRESHOLD_LEVELS:
        return None
    return region.code if person.has_role(Role.COUNTY_ADMIN) else None


def may_set_threshold(user, region_code: str) -> bool:
    """Platform defaults (region "") only by a platform administrator; a region's rows by the
    administrator of that region or of one above it."""
    area = threshold_area(user)
    return area is not None and (area == "" or (region_code != "" and region_code.startswith(area)))
