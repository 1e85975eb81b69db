"""API schemas of the case loop."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from jiceng.core.inputs import Id

from .models import Case, clock_of


class Error(Schema):
    detail: str


class ReportIn(Schema):
    description: str = Field(..., description="发生了什么（不超过 2000 字）")
    lon: float | None = Field(None, description="WGS84 经度")
    lat: float | None = Field(None, description="WGS84 纬度")
    address: str = ""
    category_code: str | None = Field(None, description="类别代码，如 M06001（私搭乱建）")
    source: str = "api"
    contact: str | None = Field(None, description="联系电话（可匿名）")
    contact_name: str | None = None
    occurred_at: dt.datetime | None = Field(None, description="行为发生时间：决定当时谁持有权力")
    photos: list[str] = Field(default_factory=list, description="照片：base64 或 data: URL")


class UnitRef(Schema):
    id: int
    name: str


class AssignmentOut(Schema):
    id: int
    unit: UnitRef
    role: str
    state: str
    required: bool
    message: str
    result: str
    step: str
    due_at: dt.datetime | None
    clock: str
    accepted_at: dt.datetime | None
    report_due_at: dt.datetime | None
    handle_due_at: dt.datetime | None
    done_at: dt.datetime | None
    escalated_at: dt.datetime | None
    extension_state: str

    @staticmethod
    def resolve_clock(obj):
        return obj.clock()


class MediationOut(Schema):
    id: int
    at: dt.datetime
    mediator: str
    parties: str
    outcome: str
    follow_up_at: dt.date | None
    followed_up_at: dt.datetime | None
    follow_up_result: str


class CaseOut(Schema):
    code: str
    status: str
    status_label: str
    source: str
    priority: int
    description: str
    lon: float | None
    lat: float | None
    address: str
    category_code: str | None
    category_name: str | None
    category_source: str
    township: str
    region_code: str
    route_unit: str | None
    route_power: str
    route_explanation: list[str]
    triage_reason: str
    lead_unit: str | None
    duplicate_candidates: list[str]
    merged_into: str | None
    occurred_at: dt.datetime
    reported_at: dt.datetime
    registered_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    handled_at: dt.datetime | None
    verified_at: dt.datetime | None
    closed_at: dt.datetime | None
    step: str
    due_at: dt.datetime | None
    clock: str
    handle_due_at: dt.datetime | None
    close_due_at: dt.datetime | None
    reopen_count: int
    satisfaction: str
    prediction: dict
    version: int
    assignments: list[AssignmentOut]
    mediations: list[MediationOut]

    @staticmethod
    def resolve_status_label(obj: Case):
        return obj.get_status_display()

    @staticmethod
    def resolve_category_code(obj: Case):
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_category_name(obj: Case):
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_township(obj: Case):
        return obj.township.name

    @staticmethod
    def resolve_region_code(obj: Case):
        return obj.region.code

    @staticmethod
    def resolve_route_unit(obj: Case):
        return obj.route_unit.name if obj.route_unit_id else None

    @staticmethod
    def resolve_lead_unit(obj: Case):
        return obj.lead_unit.name if obj.lead_unit_id else None

    @staticmethod
    def resolve_duplicate_candidates(obj: Case):
        return list(
            Case.objects.filter(pk__in=obj.duplicate_candidates).values_list("code", flat=True)
        )

    @staticmethod
    def resolve_merged_into(obj: Case):
        return obj.merged_into.code if obj.merged_into_id else None

    @staticmethod
    def resolve_clock(obj: Case):
        return obj.clock()

    @staticmethod
    def resolve_assignments(obj: Case):
        return list(obj.assignments.select_related("unit").order_by("role", "id"))

    @staticmethod
    def resolve_mediations(obj: Case):
        return list(obj.mediations.order_by("id"))


class CaseListOut(Schema):
    code: str
    status: str
    status_label: str
    category_code: str | None
    category_name: str | None
    township: str
    lead_unit: str | None
    reported_at: dt.datetime
    due_at: dt.datetime | None
    clock: str
    lon: float | None
    lat: float | None

    resolve_status_label = staticmethod(CaseOut.resolve_status_label)
    resolve_category_code = staticmethod(CaseOut.resolve_category_code)
    resolve_category_name = staticmethod(CaseOut.resolve_category_name)
    resolve_township = staticmethod(CaseOut.resolve_township)
    resolve_lead_unit = staticmethod(CaseOut.resolve_lead_unit)

    @staticmethod
    def resolve_clock(obj: Case):
        return clock_of(obj.due_at, obj.warn_at)


class CreatedOut(Schema):
    code: str
    secret: str
    status: str
    status_label: str
    created: bool
    township: str
    route_unit: str | None
    route_explanation: list[str]
    triage_reason: str
    duplicate_candidates: list[str]
    track_url: str


class EventOut(Schema):
    seq: int
    verb: str
    actor_label: str
    unit: str | None = None
    at: dt.datetime
    from_status: str
    to_status: str
    note: str
    hash: str

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name if obj.unit_id else None


class PublicCaseOut(Schema):
    code: str
    status: str
    status_label: str
    category_name: str | None
    reported_at: dt.datetime
    closed_at: dt.datetime | None
    merged_into: str | None
    can_rate: bool
    events: list[dict]


class ReasonIn(Schema):
    reason: str


class NoteIn(Schema):
    note: str = ""


class DispatchIn(Schema):
    unit_id: Id | None = None
    message: str = ""


class HandleIn(Schema):
    result: str
    photos: list[str] = Field(default_factory=list)


class VerifyIn(Schema):
    ok: bool
    note: str = ""
    secret: str | None = Field(None, description="上报人核查时提供查询码")
    photos: list[str] = Field(default_factory=list)


class RateIn(Schema):
    satisfaction: str = Field(..., description="satisfied | basic | unsatisfied")
    solved: bool
    responded: bool
    comment: str = ""
    secret: str | None = Field(None, description="上报人评价时提供查询码")


class MergeIn(Schema):
    into: str = Field(..., description="保留的案件编号")


class CategoryIn(Schema):
    category_code: str


class WhistleIn(Schema):
    unit_ids: list[Id]
    message: str
    required: bool = True


class ResultIn(Schema):
    result: str


class ExtensionIn(Schema):
    until: dt.datetime
    reason: str


class DecideIn(Schema):
    approve: bool
    note: str = ""


class MediationIn(Schema):
    mediator: str
    parties: str
    content: str
    outcome: str
    follow_up_at: dt.date | None = None


class FollowUpIn(Schema):
    result: str = Field(..., description="回访情况")


class SiteCheckIn(Schema):
    ok: bool
    note: str = ""
