"""Pages: rules with the builder and live count, runs, explanations, imports, residents."""

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from jiceng.core.inputs import int_or_none
from jiceng.org.models import Region
from jiceng.org.scope import person_of, scope_code
from jiceng.workload.models import Task, TaskState

from . import actions, selectors
from .conditions import ConditionError
from .forms import builder_catalog, condition_from_post, rows_from_condition, test_cases_from_post
from .ids import IdError, id_parse, mask_name, mask_phone
from .importing import COLUMNS
from .models import ImportKind, Recipient, Resident, Rule, Subject
from .rulecheck import explain
from .screening import matches, source_prefix
from .subjects import subject_spec


def _staff(request) -> str:
    code = scope_code(request.user)
    if code is None:
        raise Http404("未找到，或不在您的管辖范围内")
    return code


@login_required
def index(request):
    code = _staff(request)
    rules = list(selectors.rules_for(request.user))
    regions = Region.objects.filter(code__startswith=code, level="community").values("pk")
    counts = {
        "residents": Resident.objects.filter(community__in=regions).count(),
        "open_tasks": Task.objects.filter(
            kind="outreach", state=TaskState.OPEN, region__code__startswith=code
        ).count(),
    }
    return render(request, "outreach/index.html", {"rules": rules, "counts": counts})


def _region_from(request, raw) -> Region:
    pk = int_or_none(raw)
    region = selectors.writable_regions(request.user).filter(pk=pk).first() if pk else None
    if region is None:
        raise Http404("未找到，或不在您的管辖范围内")
    return region


def _draft(request, rule: Rule | None = None) -> tuple[Rule, dict]:
    """An unsaved rule built from the posted form, and the form's own errors."""
    post = request.POST if request.method == "POST" else request.GET
    draft = Rule(pk=rule.pk if rule else None)
    draft.name = post.get("name", "").strip()
    draft.subject = post.get("subject", "")
    draft.region = _region_from(request, post.get("region"))
    draft.task_title = post.get("task_title", "").strip()
    draft.task_body = post.get("task_body", "").strip()
    days = int_or_none(post.get("due_working_days"))
    draft.due_working_days = 5 if days is None else days
    draft.recipient = post.get("recipient", Recipient.SOCIAL_WORKER)
    errors = {}
    draft.condition, errors["condition"] = condition_from_post(post)
    draft.test_cases, errors["test_cases"] = test_cases_from_post(post)
    return draft, {k: v for k, v in errors.items() if v}


def _context(request, rule: Rule | None, draft: Rule | None = None, errors=None) -> dict:
    shown = draft or rule
    condition = shown.condition if shown else {}
    combinator, rows, flat = rows_from_condition(condition)
    person = person_of(request.user)
    return {
        "rule": rule,
        "form": shown,
        "errors": errors or {},
        "combinator": combinator,
        "rows": rows or [{"field": "", "op": "", "value": ""}],
        "json_mode": not flat,
        "condition_json": json.dumps(condition, ensure_ascii=False, indent=1),
        "test_cases_json": json.dumps(
            shown.test_cases if shown else [], ensure_ascii=False, indent=1
        ),
        "catalog": builder_catalog(),
        "subjects": Subject.choices,
        "recipients": Recipient.choices,
        "regions": selectors.writable_regions(request.user),
        "default_region": (shown.region_id if shown else None) or (person and person.region_id),
        "runs": selectors.runs_of(rule) if rule else [],
        "open_tasks": _open_tasks(rule) if rule else [],
    }


def _open_tasks(rule: Rule) -> list[Task]:
    qs = Task.objects.filter(
        kind="outreach", state=TaskState.OPEN, source_key__startswith=source_prefix(rule)
    )
    return list(qs.select_related("assignee_person", "assignee_unit").order_by("id")[:50])


def _save(request, rule: Rule | None):
    draft, errors = _draft(request, rule)
    if not errors:
        fields = {
            f: getattr(draft, f)
            for f in (
                "name",
                "subject",
                "condition",
                "region",
                "task_title",
                "task_body",
                "due_working_days",
                "recipient",
                "test_cases",
            )
        }
        if rule is None:
            person = person_of(request.user)
            fields["from_unit"] = (person.managing_unit or person.home_unit) if person else None
        try:
            saved = actions.rule_save(
                by=request.user, rule=rule, activate=bool(request.POST.get("activate")), **fields
            )
        except ValidationError as exc:
            errors = {k: "；".join(v) for k, v in exc.message_dict.items()}
        else:
            if request.POST.get("activate") and not saved.active:
                messages.error(request, "已保存，但测试用例未通过，规则未启用")
            else:
                messages.success(request, "规则已保存" + ("并启用" if saved.active else ""))
            return redirect("outreach:rule", pk=saved.pk)
    return render(request, "outreach/rule_form.html", _context(request, rule, draft, errors))


@login_required
def rule_new(request):
    _staff(request)
    if request.method == "POST":
        return _save(request, None)
    return render(request, "outreach/rule_form.html", _context(request, None))


@login_required
def rule_detail(request, pk: int):
    rule = selectors.rule_get_for(request.user, pk)
    if request.method == "POST":
        return _save(request, rule)
    return render(request, "outreach/rule_form.html", _context(request, rule))


@login_required
def rule_preview(request):
    """The live count for the builder (htmx): how many subjects match right now."""
    _staff(request)
    draft, errors = _draft(request)
    count, error = None, errors.get("condition", "")
    if not error and not draft.condition:
        error = "请至少添加一个条件"
    if not error:
        try:
            subject_spec(draft.subject)
            count = matches(draft).count()
        except (ConditionError, ValueError) as exc:
            error = str(exc)
    return render(request, "outreach/_count.html", {"count": count, "error": error})


@login_required
def rule_action(request, pk: int):
    rule = selectors.rule_get_for(request.user, pk)
    if request.method != "POST":
        return redirect("outreach:rule", pk=rule.pk)
    action = request.POST.get("action")
    try:
        if action == "run":
            run = actions.rule_run(rule=rule, by=request.user)
            messages.success(
                request,
                f"筛查完成：符合条件{run.matched}，新开待办{run.opened}，"
                f"自动关闭{run.closed}，用时{run.duration_ms}毫秒",
            )
        elif action == "activate":
            actions.rule_activate(rule=rule, by=request.user)
            messages.success(request, "规则已启用")
        elif action == "deactivate":
            actions.rule_deactivate(rule=rule, by=request.user)
            messages.success(request, "规则已停用")
        else:
            return HttpResponseNotAllowed(["POST"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("outreach:rule", pk=rule.pk)


@login_required
def rule_export(request, pk: int):
    """Current matches as CSV; masked, or unmasked for those whose work needs it (audited)."""
    rule = selectors.rule_get_for(request.user, pk)
    unmask = request.GET.get("unmask") == "1"
    if unmask and not selectors.may_unmask(request.user, rule.region):
        raise PermissionDenied("您的岗位无需导出未脱敏的个人信息")
    spec = subject_spec(rule.subject)
    names = [p for p in spec.name_paths]
    rows = matches(rule).values_list("pk", *[p.removesuffix("!mask") for p in names])[:100000]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rule-{rule.pk}.csv"'
    response.write("\ufeff")
    out = csv.writer(response)
    out.writerow(["编号", *[p.removesuffix("!mask") for p in names]])
    n = 0
    for row in rows:
        shown = [
            v if unmask or not p.endswith("!mask") else mask_name(str(v))
            for p, v in zip(names, row[1:], strict=True)
        ]
        out.writerow([row[0], *shown])
        n += 1
    actions.audit_export(rule=rule, by=request.user, rows=n, unmasked=unmask)
    return response


@login_required
def subject_detail(request, subject: str, pk: int):
    """One registry row, masked; with ?rule= the reasons it matches; ?unmask=1 is audited."""
    try:
        subject_spec(subject)
    except ValueError:
        raise Http404("未知的对象类型") from None
    obj = selectors.subject_get_for(request.user, subject, pk)
    community = selectors.community_of(subject, obj)
    may = selectors.may_unmask(request.user, community)
    unmask = request.GET.get("unmask") == "1"
    if unmask:
        actions.personal_reveal(obj=obj, by=request.user, may=may)
    rule = None
    if int_or_none(request.GET.get("rule")):
        rule = (
            selectors.rules_for(request.user)
            .filter(pk=int_or_none(request.GET["rule"]), subject=subject)
            .first()
        )
    lines = explain(rule, obj, unmasked=unmask) if rule else []
    return render(
        request,
        "outreach/subject.html",
        {
            "subject": subject,
            "label": subject_spec(subject).label,
            "card": _card(subject, obj, unmask),
            "rule": rule,
            "lines": lines,
            "matched": all(line["ok"] for line in lines[:1]),
            "may_unmask": may,
            "unmasked": unmask,
        },
    )


def _resident_card(r: Resident, unmask: bool) -> list[tuple[str, str]]:
    return [
        ("姓名", r.name if unmask else mask_name(r.name)),
        ("身份证号", r.id_masked),
        ("出生日期", f"{r.birth_date:%Y-%m-%d}" if unmask else f"{r.birth_date:%Y-%m}-**"),
        ("性别", r.get_gender_display()),
        ("电话", (r.phone if unmask else mask_phone(r.phone)) if r.phone else "—"),
        ("地址", r.address if unmask else (r.address[:4] + "…" if r.address else "—")),
        ("标签", "、".join(r.tag_list) or "—"),
        ("社区/网格", f"{r.community.name} {r.grid.name if r.grid else ''}"),
    ]


def _card(subject: str, obj, unmask: bool) -> list[tuple[str, str]]:
    if subject == "resident":
        return _resident_card(obj, unmask)
    if subject == "employee":
        return [
            ("单位", obj.business.name),
            ("行业", obj.business.industry),
            ("岗位", obj.role or "—"),
            ("离职日期", obj.end_date or "—"),
            *_resident_card(obj.resident, unmask),
        ]
    if subject == "business":
        return [
            ("名称", obj.name),
            ("统一社会信用代码", obj.credit_code),
            ("行业", obj.industry),
            ("地址", obj.address or "—"),
        ]
    holder = obj.holder_resident or obj.holder_business
    name = holder.name if unmask or obj.holder_business else mask_name(holder.name)
    return [
        ("证件", obj.kind),
        ("编号", obj.number),
        ("持证人", name),
        ("有效期至", obj.expires or "长期"),
    ]


@login_required
def imports(request):
    code = _staff(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind")
        if not upload or kind not in ImportKind.values:
            messages.error(request, "请选择数据类型和文件（.xlsx 或 .csv）")
            return redirect("outreach:imports")
        data = upload.read()
        person = person_of(request.user)
        job = actions.import_job_create(
            kind=kind,
            filename=upload.name,
            data=data,
            by=request.user,
            region=person.region
            if person and person.region
            else Region.objects.filter(code=code).first(),
            dry_run=bool(request.POST.get("dry_run")),
        )
        return redirect("outreach:import", pk=job.pk)
    return render(
        request,
        "outreach/imports.html",
        {
            "jobs": selectors.imports_for(request.user)[:30],
            "kinds": ImportKind.choices,
            "columns": COLUMNS,
        },
    )


@login_required
def import_detail(request, pk: int):
    job = selectors.import_get_for(request.user, pk)
    template = (
        "outreach/_import_progress.html"
        if request.headers.get("HX-Request")
        else "outreach/import.html"
    )
    return render(request, template, {"job": job})


@login_required
def residents(request):
    """Find a resident by ID number (matched by its hash; the number itself is not kept)."""
    code = _staff(request)
    qs = Resident.objects.filter(community__code__startswith=code).select_related(
        "community", "grid"
    )
    # POSTed, so that the number never appears in a URL or a server log.
    raw = request.POST.get("id", "").strip() if request.method == "POST" else ""
    error = ""
    if raw:
        try:
            qs = qs.filter(id_hash=id_parse(raw).hash)
        except IdError as exc:
            error, qs = str(exc), qs.none()
    tag = request.GET.get("tag", "").strip()
    if tag:
        qs = qs.filter(tags__contains=f",{tag},")
    rows = [(r, mask_name(r.name)) for r in qs.order_by("id")[:200]]
    # The typed ID number is never echoed back into the page.
    return render(
        request,
        "outreach/residents.html",
        {"rows": rows, "error": error, "searched": bool(raw), "tag": tag},
    )
