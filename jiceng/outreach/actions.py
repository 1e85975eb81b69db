"""Writes for outreach: rules (checked, tested, audited), runs, imports, unmasked reads."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit, snapshot
from jiceng.core.tables import read_table
from jiceng.org.scope import region_in_scope

from . import screening
from .conditions import ConditionError, compile_condition
from .importing import ImportResult, import_rows
from .models import Recipient, Rule, Subject
from .rulecheck import run_test_cases

RULE_FIELDS = [
    "name",
    "subject",
    "condition",
    "region",
    "task_title",
    "task_body",
    "due_working_days",
    "recipient",
    "from_unit",
    "test_cases",
]


def _check_rule(rule: Rule, by) -> None:
    errors = {}
    if not (rule.name or "").strip():
        errors["name"] = "请填写规则名称"
    if rule.subject not in Subject.values:
        errors["subject"] = "请选择筛查对象"
    if rule.recipient not in Recipient.values:
        errors["recipient"] = "接收人设置无效"
    if not (rule.task_title or "").strip():
        errors["task_title"] = "请填写待办标题"
    if not rule.condition:
        errors["condition"] = "条件不能为空"
    elif "subject" not in errors:
        try:
            compile_condition(rule.subject, rule.condition)
        except ConditionError as exc:
            errors["condition"] = str(exc)
    if not isinstance(rule.test_cases, list):
        errors["test_cases"] = "测试用例应为列表"
    if rule.region_id is None or not region_in_scope(by, rule.region):
        errors["region"] = "适用区域不在您的管辖范围内"
    qs = Rule.objects.filter(region_id=rule.region_id, name=rule.name).exclude(pk=rule.pk)
    if "name" not in errors and qs.exists():
        errors["name"] = "本区域已有同名规则"
    if errors:
        raise ValidationError(errors)


def rule_save(*, by, rule: Rule | None = None, activate: bool = False, **fields) -> Rule:
    """Create or change a rule; its test cases run on every save. A failing case leaves it off."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {unknown}")
    with transaction.atomic():
        before = snapshot(rule) if rule and rule.pk else None
        rule = rule or Rule(created_by=by)
        for name, value in fields.items():
            setattr(rule, name, value)
        _check_rule(rule, by)
        rule.updated_at = timezone.now()
        rule.save()
        rule.test_results = run_test_cases(rule)
        if not rule.tests_pass:
            rule.active = False
        elif activate:
            rule.active = True
        rule.save(update_fields=["test_results", "active"])
        audit(actor=by, verb="outreach.rule_save", obj=rule, before=before, after=snapshot(rule))
    return rule


def rule_activate(*, rule: Rule, by) -> Rule:
    """Switch a rule on; refused (with the failing cases) unless every stored test case passes."""
    with transaction.atomic():
        rule = Rule.objects.select_for_update().get(pk=rule.pk)
        results = run_test_cases(rule)
        failing = [r for r in results if not r.get("ok")]
        Rule.objects.filter(pk=rule.pk).update(test_results=results)
        rule.test_results = results
        if failing:
            names = "、".join(r["name"] for r in failing)
            raise ValidationError(f"测试用例未通过，规则不能启用：{names}")
        rule.active = True
        rule.save(update_fields=["active"])
        audit(actor=by, verb="outreach.rule_activate", obj=rule, after={"active": True})
    return rule


def rule_deactivate(*, rule: Rule, by) -> Rule:
    with transaction.atomic():
        rule.active = False
        rule.save(update_fields=["active"])
        audit(actor=by, verb="outreach.rule_deactivate", obj=rule, after={"active": False})
    return rule


def rule_run(*, rule: Rule, by, trigger: str = "manual"):
    """Screen now: open tasks for new matches, close those no longer matching (audited)."""
    if not rule.active:
        raise ValidationError("规则未启用，不能筛查（请先让测试用例全部通过并启用）")
    return screening.rule_run(rule=rule, by=by, trigger=trigger)


def registry_import(
    *,
    kind: str,
    filename: str,
    data: bytes,
    scope_code: str,
    by,
    dry_run: bool = False,
    progress=None,
) -> ImportResult:
    """Import one registry file, all or nothing; the import (not each row) is audited."""
    try:
        rows = read_table(filename, data)
    except Exception as exc:  # a broken file is the uploader's error, not ours
        return ImportResult(errors=[{"row": 0, "column": "", "reason": f"无法读取文件：{exc}"}])
    result = import_rows(kind, rows, scope_code=scope_code, dry_run=dry_run, progress=progress)
    if result.ok and not dry_run:
        audit(
            actor=by,
            verb="outreach.import",
            object_type=f"outreach.{kind}",
            object_id=hashlib.sha256(data).hexdigest()[:16],
            after={
                "file": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": result.total,
                "created": result.created,
                "updated": result.updated,
            },
        )
    return result


def audit_export(*, rule: Rule, by, rows: int, unmasked: bool) -> None:
    audit(
        actor=by,
        verb="outreach.export",
        obj=rule,
        after={"rows": rows, "unmasked": unmasked},
    )


def import_job_create(*, kind: str, filename: str, data: bytes, region, by, dry_run: bool):
    """Keep the uploaded file and queue its import; the page follows the job's progress."""
    from django.core.files.base import ContentFile

    from .models import ImportJob
    from .tasks import import_job_run

    job = ImportJob(
        kind=kind,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        region=region,
        dry_run=dry_run,
        by=by,
    )
    job.file.save(filename[-100:], ContentFile(data), save=False)
    job.save()
    import_job_run(job.pk)
    return job


def personal_reveal(*, obj, by, may: bool, purpose: str = "view") -> None:
    """Record that someone saw a registry row unmasked (view) or exported it (export)."""
    if not may:
        raise PermissionDenied("您的岗位无需查看未脱敏的个人信息")
    audit(actor=by, verb=f"outreach.unmasked_{purpose}", obj=obj, after={"purpose": purpose})
